using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
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

/// <summary>
/// Linear or cubic resize of NHWC float32 as two separable passes. Horizontal: an input row is filtered along W into
/// a row of output pixels (taps channel vectors each, vectorised over the channels) and kept in a small cache of taps
/// rows, so each input row is filtered once however many output rows read it. Vertical: an output row is the
/// weighted sum of taps cached rows, one vectorised pass over the whole row. The index and weight tables are the
/// axis maps built with the kernel. Rows wider than the cache are done in column chunks of
/// <paramref name="chunkColumns"/> output pixels.
/// </summary>
internal sealed unsafe class SeparableResizeNhwcKernel(int[] input, int[] output, ResizeAxisMap rows, ResizeAxisMap columns, int chunkColumns) : IKernel
{
    /// <summary>Floats of horizontally filtered rows one task keeps on its stack (64 KB).</summary>
    public const int CacheFloats = 16384;

    private readonly int[] _input = input;
    private readonly int[] _output = output;
    private readonly ResizeAxisMap _rows = rows;
    private readonly ResizeAxisMap _columns = columns;
    private readonly int _chunkColumns = Math.Min(chunkColumns, output[2]);

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body(this, (float*)args.Inputs[0], (float*)args.Outputs[0]);
        ParallelRange.For(args.Workers, (long)_output[0] * _output[1], (long)_output[2] * _output[3] * 2 * _rows.Taps, ref body);
    }

    private readonly struct Body(SeparableResizeNhwcKernel k, float* x, float* y) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int inH = k._input[1], channels = k._input[3], outH = k._output[1], outW = k._output[2];
            int taps = k._rows.Taps, chunk = k._chunkColumns;
            if ((long)taps * chunk * channels > CacheFloats)
            {
                Direct(start, end);
                return;
            }
            float* cache = stackalloc float[taps * chunk * channels];
            long* cached = stackalloc long[taps];    // the input row (image * inH + row) each slot holds, -1 for none
            long* wanted = stackalloc long[taps];
            for (int first = 0; first < outW; first += chunk)
            {
                int width = Math.Min(chunk, outW - first), length = width * channels;
                for (int slot = 0; slot < taps; slot++) cached[slot] = -1;
                for (long item = start; item < end; item++)
                {
                    long image = item / outH;
                    int oy = (int)(item % outH);
                    for (int t = 0; t < taps; t++) wanted[t] = image * inH + k._rows.Index[oy * taps + t];
                    var destination = new Span<float>(y + (item * outW + first) * channels, length);
                    for (int t = 0; t < taps; t++)
                    {
                        float* row = Filtered(cache, cached, wanted, taps, wanted[t], first, width, channels);
                        var filtered = new ReadOnlySpan<float>(row, length);
                        float weight = k._rows.Weight[oy * taps + t];
                        if (t == 0) TensorPrimitives.Multiply(filtered, weight, destination);
                        else TensorPrimitives.MultiplyAdd(filtered, weight, destination, destination);
                    }
                }
            }
        }

        /// <summary>Pixels too wide for the row cache (thousands of channels): taps² channel vectors per output pixel.</summary>
        private void Direct(long start, long end)
        {
            int inH = k._input[1], inW = k._input[2], channels = k._input[3], outH = k._output[1], outW = k._output[2];
            int rowTaps = k._rows.Taps, columnTaps = k._columns.Taps;
            for (long item = start; item < end; item++)
            {
                long image = item / outH;
                int oy = (int)(item % outH);
                for (int ox = 0; ox < outW; ox++)
                {
                    var destination = new Span<float>(y + (item * outW + ox) * channels, channels);
                    destination.Clear();
                    for (int ky = 0; ky < rowTaps; ky++)
                    {
                        float* row = x + (image * inH + k._rows.Index[oy * rowTaps + ky]) * inW * channels;
                        float wy = k._rows.Weight[oy * rowTaps + ky];
                        for (int kx = 0; kx < columnTaps; kx++)
                        {
                            var pixel = new ReadOnlySpan<float>(row + (long)k._columns.Index[ox * columnTaps + kx] * channels, channels);
                            TensorPrimitives.MultiplyAdd(pixel, wy * k._columns.Weight[ox * columnTaps + kx], destination, destination);
                        }
                    }
                }
            }
        }

        /// <summary>The cached horizontal filtering of input row <paramref name="row"/>, computed into a slot no tap
        /// of the current output row needs when it is not cached.</summary>
        private float* Filtered(float* cache, long* cached, long* wanted, int taps, long row, int first, int width, int channels)
        {
            int free = -1;
            for (int slot = 0; slot < taps; slot++)
            {
                if (cached[slot] == row) return cache + (long)slot * width * channels;
                bool needed = false;
                for (int t = 0; t < taps; t++) needed |= cached[slot] == wanted[t];
                if (!needed && free < 0) free = slot;
            }
            float* target = cache + (long)free * width * channels;
            cached[free] = row;
            FilterRow(x + row * k._input[2] * channels, target, first, width, channels);
            return target;
        }

        /// <summary>Output pixels [first, first + width) of one input row: taps channel vectors weighted each.</summary>
        private void FilterRow(float* source, float* target, int first, int width, int channels)
        {
            int taps = k._columns.Taps;
            var index = k._columns.Index;
            var weight = k._columns.Weight;
            for (int ox = 0; ox < width; ox++)
            {
                float* pixel = target + (long)ox * channels;
                int at = (first + ox) * taps;
                int c = 0;
                for (; c + Vector256<float>.Count <= channels; c += Vector256<float>.Count)
                {
                    var sum = Vector256.Load(source + (long)index[at] * channels + c) * weight[at];
                    for (int t = 1; t < taps; t++)
                        sum = Vector256.MultiplyAddEstimate(Vector256.Load(source + (long)index[at + t] * channels + c), Vector256.Create(weight[at + t]), sum);
                    sum.Store(pixel + c);
                }
                for (; c < channels; c++)
                {
                    float sum = source[(long)index[at] * channels + c] * weight[at];
                    for (int t = 1; t < taps; t++) sum = MathF.FusedMultiplyAdd(source[(long)index[at + t] * channels + c], weight[at + t], sum);
                    pixel[c] = sum;
                }
            }
        }
    }
}
