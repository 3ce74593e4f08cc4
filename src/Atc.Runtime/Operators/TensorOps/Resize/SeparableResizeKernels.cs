using System.Numerics.Tensors;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Resize;

/// <summary>Linear or cubic resize of NCHW float32: each output value is a weighted sum of taps² input values.</summary>
internal sealed unsafe class SeparableResizeNchwKernel(int[] input, int[] output, ResizeAxisMap rows, ResizeAxisMap columns) : IKernel
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
        ParallelRange.For(args.Workers, planes * _output[2], _output[3] * 4L * _rows.Taps, ref body);
    }

    /// <summary>Widest input row blended on the stack; wider rows use the direct loop.</summary>
    private const int MaxStackRow = 8192;

    private readonly struct Body(SeparableResizeNchwKernel k, float* x, float* y) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int inH = k._input[2], inW = k._input[3], outH = k._output[2], outW = k._output[3];
            int rowTaps = k._rows.Taps, columnTaps = k._columns.Taps;
            var columnIndex = k._columns.Index;
            var columnWeight = k._columns.Weight;
            Span<float> blended = inW <= MaxStackRow ? stackalloc float[inW] : default;
            for (long item = start; item < end; item++)
            {
                long plane = item / outH;
                int oy = (int)(item % outH);
                float* destination = y + (plane * outH + oy) * outW;
                if (inW > MaxStackRow)
                {
                    Direct(plane, oy, destination);
                    continue;
                }
                // Vertical pass over whole input rows (vectorised), then the horizontal taps per output column.
                for (int ky = 0; ky < rowTaps; ky++)
                {
                    var row = new ReadOnlySpan<float>(x + (plane * inH + k._rows.Index[oy * rowTaps + ky]) * inW, inW);
                    float w = k._rows.Weight[oy * rowTaps + ky];
                    if (ky == 0) TensorPrimitives.Multiply(row, w, blended);
                    else TensorPrimitives.MultiplyAdd(row, w, blended, blended);
                }
                if (columnTaps == 2)
                {
                    for (int ox = 0; ox < outW; ox++)
                        destination[ox] = blended[columnIndex[2 * ox]] * columnWeight[2 * ox] + blended[columnIndex[2 * ox + 1]] * columnWeight[2 * ox + 1];
                }
                else
                {
                    for (int ox = 0; ox < outW; ox++)
                    {
                        float sum = 0;
                        for (int kx = 0; kx < columnTaps; kx++) sum += blended[columnIndex[ox * columnTaps + kx]] * columnWeight[ox * columnTaps + kx];
                        destination[ox] = sum;
                    }
                }
            }
        }

        private void Direct(long plane, int oy, float* destination)
        {
            int inH = k._input[2], inW = k._input[3], outW = k._output[3];
            int rowTaps = k._rows.Taps, columnTaps = k._columns.Taps;
            for (int ox = 0; ox < outW; ox++)
            {
                float sum = 0;
                for (int ky = 0; ky < rowTaps; ky++)
                {
                    float* row = x + (plane * inH + k._rows.Index[oy * rowTaps + ky]) * inW;
                    float across = 0;
                    for (int kx = 0; kx < columnTaps; kx++)
                        across += row[k._columns.Index[ox * columnTaps + kx]] * k._columns.Weight[ox * columnTaps + kx];
                    sum += across * k._rows.Weight[oy * rowTaps + ky];
                }
                destination[ox] = sum;
            }
        }
    }
}

/// <summary>Linear or cubic resize of NHWC float32: each output pixel is a weighted sum of taps² channel vectors.</summary>
internal sealed unsafe class SeparableResizeNhwcKernel(int[] input, int[] output, ResizeAxisMap rows, ResizeAxisMap columns) : IKernel
{
    private readonly int[] _input = input;
    private readonly int[] _output = output;
    private readonly ResizeAxisMap _rows = rows;
    private readonly ResizeAxisMap _columns = columns;

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body(this, (float*)args.Inputs[0], (float*)args.Outputs[0]);
        ParallelRange.For(args.Workers, (long)_output[0] * _output[1], (long)_output[2] * _output[3] * 4 * _rows.Taps, ref body);
    }

    private readonly struct Body(SeparableResizeNhwcKernel k, float* x, float* y) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int inH = k._input[1], inW = k._input[2], channels = k._input[3], outH = k._output[1], outW = k._output[2];
            int rowTaps = k._rows.Taps, columnTaps = k._columns.Taps;
            for (long item = start; item < end; item++)
            {
                long n = item / outH;
                int oy = (int)(item % outH);
                for (int ox = 0; ox < outW; ox++)
                {
                    var destination = new Span<float>(y + ((n * outH + oy) * outW + ox) * channels, channels);
                    destination.Clear();
                    for (int ky = 0; ky < rowTaps; ky++)
                    {
                        float* row = x + (n * inH + k._rows.Index[oy * rowTaps + ky]) * inW * channels;
                        float wy = k._rows.Weight[oy * rowTaps + ky];
                        for (int kx = 0; kx < columnTaps; kx++)
                        {
                            float w = wy * k._columns.Weight[ox * columnTaps + kx];
                            var pixel = new ReadOnlySpan<float>(row + (long)k._columns.Index[ox * columnTaps + kx] * channels, channels);
                            TensorPrimitives.MultiplyAdd(pixel, w, destination, destination);
                        }
                    }
                }
            }
        }
    }
}
