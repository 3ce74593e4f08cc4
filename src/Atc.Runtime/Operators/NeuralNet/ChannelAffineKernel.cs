using System.Runtime.Intrinsics;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Y = X * a[c] + b[c] per channel c, where channel = (element / inner) % channels (inner = 1 for channels-last).
/// a and b are folded from batch-norm parameters once when constant, else per call into scratch.
/// </summary>
internal sealed unsafe class ChannelAffineKernel(long elements, int channels, long inner, float epsilon, AlignedBuffer? folded) : IKernel
{
    private const long ElementsPerTask = 1 << 15;

    private readonly long _elements = elements;
    private readonly int _channels = channels;
    private readonly long _inner = inner;
    private readonly float _epsilon = epsilon;
    private readonly AlignedBuffer? _folded = folded;

    /// <summary>a = scale / sqrt(var + eps) into the first half, b = B - mean * a into the second.</summary>
    public static void Fold(ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance,
        float epsilon, Span<float> folded)
    {
        int c = scale.Length;
        for (int i = 0; i < c; i++)
        {
            float a = (float)(scale[i] / Math.Sqrt((double)variance[i] + epsilon));
            folded[i] = a;
            folded[c + i] = bias[i] - mean[i] * a;
        }
    }

    public long ScratchBytes => _folded is null ? 2L * _channels * sizeof(float) + 64 : 0;

    /// <summary>Rows: runs of elements sharing one channel (channels-first) or one pixel of all channels.</summary>
    private long RowLength => _inner == 1 ? _channels : _inner;

    public void Run(in KernelArgs args)
    {
        float* ab;
        if (_folded is null)
        {
            ab = (float*)((args.Scratch + 63) & ~(nint)63);
            Fold(new ReadOnlySpan<float>((void*)args.Inputs[1], _channels), new ReadOnlySpan<float>((void*)args.Inputs[2], _channels),
                new ReadOnlySpan<float>((void*)args.Inputs[3], _channels), new ReadOnlySpan<float>((void*)args.Inputs[4], _channels),
                _epsilon, new Span<float>(ab, 2 * _channels));
        }
        else
        {
            ab = _folded.Pointer;
        }
        long rows = RowLength == 0 ? 0 : _elements / RowLength;
        long rowsPerTask = Math.Max(1, ElementsPerTask / Math.Max(1, RowLength));
        var body = new Body { Kernel = this, X = (float*)args.Inputs[0], Y = (float*)args.Outputs[0], AB = ab, Rows = rows, RowsPerTask = rowsPerTask };
        args.Workers.For((int)((rows + rowsPerTask - 1) / rowsPerTask), ref body);
    }

    private struct Body : IParallelBody
    {
        public ChannelAffineKernel Kernel;
        public float* X, Y, AB;
        public long Rows, RowsPerTask;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            long length = k.RowLength;
            long end = Math.Min(Rows, (index + 1) * RowsPerTask);
            for (long row = index * RowsPerTask; row < end; row++)
            {
                float* x = X + row * length, y = Y + row * length;
                if (k._inner == 1) PerElement(x, y, AB, AB + k._channels, k._channels);
                else
                {
                    int c = (int)(row % k._channels);
                    Uniform(x, y, AB[c], AB[k._channels + c], length);
                }
            }
        }
    }

    private static void Uniform(float* x, float* y, float a, float b, long count)
    {
        var av = Vector256.Create(a);
        var bv = Vector256.Create(b);
        long i = 0;
        for (; i + 8 <= count; i += 8) Vector256.MultiplyAddEstimate(Vector256.Load(x + i), av, bv).Store(y + i);
        for (; i < count; i++) y[i] = MathF.FusedMultiplyAdd(x[i], a, b);
    }

    private static void PerElement(float* x, float* y, float* a, float* b, int count)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8)
            Vector256.MultiplyAddEstimate(Vector256.Load(x + i), Vector256.Load(a + i), Vector256.Load(b + i)).Store(y + i);
        for (; i < count; i++) y[i] = MathF.FusedMultiplyAdd(x[i], a[i], b[i]);
    }
}
