using System.Numerics.Tensors;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps;

/// <summary>Bilinear resize of NCHW float32: each output row blends two input rows, then pairs of columns.</summary>
internal sealed unsafe class BilinearNchwKernel(int[] input, int[] output, ResizeAxisMap rows, ResizeAxisMap columns) : IKernel
{
    private readonly int[] _input = input;
    private readonly int[] _output = output;
    private readonly ResizeAxisMap _rows = rows;
    private readonly ResizeAxisMap _columns = columns;

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body(this, (float*)args.Inputs[0], (float*)args.Outputs[0]);
        long planes = (long)_output[0] * _output[1];
        ParallelRange.For(args.Workers, planes * _output[2], _output[3] * 4L, ref body);
    }

    private readonly struct Body(BilinearNchwKernel k, float* x, float* y) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int inH = k._input[2], inW = k._input[3], outH = k._output[2], outW = k._output[3];
            for (long item = start; item < end; item++)
            {
                long plane = item / outH;
                int oy = (int)(item % outH);
                float* top = x + (plane * inH + k._rows.Low[oy]) * inW;
                float* bottom = x + (plane * inH + k._rows.High[oy]) * inW;
                float wy = k._rows.Weight[oy];
                float* destination = y + (plane * outH + oy) * outW;
                for (int ox = 0; ox < outW; ox++)
                {
                    int x0 = k._columns.Low[ox], x1 = k._columns.High[ox];
                    float wx = k._columns.Weight[ox];
                    float t = top[x0] + (top[x1] - top[x0]) * wx;
                    float b = bottom[x0] + (bottom[x1] - bottom[x0]) * wx;
                    destination[ox] = t + (b - t) * wy;
                }
            }
        }
    }
}

/// <summary>Bilinear resize of NHWC float32: each output pixel blends four channel vectors.</summary>
internal sealed unsafe class BilinearNhwcKernel(int[] input, int[] output, ResizeAxisMap rows, ResizeAxisMap columns) : IKernel
{
    private readonly int[] _input = input;
    private readonly int[] _output = output;
    private readonly ResizeAxisMap _rows = rows;
    private readonly ResizeAxisMap _columns = columns;

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body(this, (float*)args.Inputs[0], (float*)args.Outputs[0]);
        ParallelRange.For(args.Workers, (long)_output[0] * _output[1], (long)_output[2] * _output[3] * 4, ref body);
    }

    private readonly struct Body(BilinearNhwcKernel k, float* x, float* y) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int inH = k._input[1], inW = k._input[2], channels = k._input[3], outH = k._output[1], outW = k._output[2];
            for (long item = start; item < end; item++)
            {
                long n = item / outH;
                int oy = (int)(item % outH);
                float wy = k._rows.Weight[oy];
                float* top = x + (n * inH + k._rows.Low[oy]) * inW * channels;
                float* bottom = x + (n * inH + k._rows.High[oy]) * inW * channels;
                for (int ox = 0; ox < outW; ox++)
                {
                    float wx = k._columns.Weight[ox];
                    long c0 = (long)k._columns.Low[ox] * channels, c1 = (long)k._columns.High[ox] * channels;
                    var destination = new Span<float>(y + ((n * outH + oy) * outW + ox) * channels, channels);
                    TensorPrimitives.Multiply(new ReadOnlySpan<float>(top + c0, channels), (1 - wx) * (1 - wy), destination);
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(top + c1, channels), wx * (1 - wy), destination, destination);
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(bottom + c0, channels), (1 - wx) * wy, destination, destination);
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(bottom + c1, channels), wx * wy, destination, destination);
                }
            }
        }
    }
}
