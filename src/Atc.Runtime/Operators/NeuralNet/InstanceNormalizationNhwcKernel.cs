using System.Runtime.Intrinsics;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// InstanceNormalization of channels-last data [N, spatial..., C] in two passes over memory. Statistics: one task per
/// (image, group of 16 channels) reads every pixel's group once, vectorised over the channels, summing x - shift and
/// its square (shift = the first pixel's value, so the variance does not cancel for data far from zero; float sums
/// are flushed to double every block of pixels). The per-(image, channel) scale and shift land in the scratch.
/// Normalise: y = x * a[c] + b[c] over pixel rows, vectorised over the channels.
/// </summary>
internal sealed unsafe class InstanceNormalizationNhwcKernel(int images, long pixels, int channels, float epsilon) : IKernel
{
    /// <summary>Channels one statistics task gathers: two 8-float vectors.</summary>
    private const int GroupWidth = 16;
    /// <summary>Pixels summed in float before the sums are flushed to double.</summary>
    private const int FlushBlock = 128;

    private readonly int _images = images, _channels = channels;
    private readonly long _pixels = pixels;
    private readonly float _epsilon = epsilon;
    private int Groups => (_channels + GroupWidth - 1) / GroupWidth;

    /// <summary>Scales then shifts, one per (image, channel).</summary>
    public long ScratchBytes => 2L * _images * _channels * sizeof(float);

    public void Run(in KernelArgs args)
    {
        float* coefficients = (float*)args.Scratch;
        var statistics = new Statistics
        {
            Kernel = this,
            X = (float*)args.Inputs[0],
            Scale = (float*)args.Inputs[1],
            Bias = (float*)args.Inputs[2],
            Coefficients = coefficients,
        };
        args.Workers.For(_images * Groups, ref statistics);
        var normalise = new Normalise(this, (float*)args.Inputs[0], (float*)args.Outputs[0], coefficients);
        ParallelRange.For(args.Workers, _images * _pixels, _channels, ref normalise);
    }

    private struct Statistics : IParallelBody
    {
        public InstanceNormalizationNhwcKernel Kernel;
        public float* X, Scale, Bias, Coefficients;

        public readonly void Invoke(int item)
        {
            var k = Kernel;
            int channels = k._channels;
            int image = item / k.Groups, first = item % k.Groups * GroupWidth;
            int width = Math.Min(GroupWidth, channels - first);
            long pixels = k._pixels;
            float* x = X + image * pixels * channels + first;
            float* shift = stackalloc float[GroupWidth];
            double* sum = stackalloc double[GroupWidth];
            double* squares = stackalloc double[GroupWidth];
            for (int c = 0; c < GroupWidth; c++) { shift[c] = c < width ? x[c] : 0; sum[c] = 0; squares[c] = 0; }

            int vectors = width / 8;
            var shift0 = Vector256.Load(shift);
            var shift1 = Vector256.Load(shift + 8);
            for (long start = 0; start < pixels; start += FlushBlock)
            {
                long end = Math.Min(pixels, start + FlushBlock);
                if (vectors > 0)
                {
                    Vector256<float> s0 = default, q0 = default, s1 = default, q1 = default;
                    for (long p = start; p < end; p++)
                    {
                        float* pixel = x + p * channels;
                        var d0 = Vector256.Load(pixel) - shift0;
                        s0 += d0;
                        q0 = Vector256.MultiplyAddEstimate(d0, d0, q0);
                        if (vectors == 2)
                        {
                            var d1 = Vector256.Load(pixel + 8) - shift1;
                            s1 += d1;
                            q1 = Vector256.MultiplyAddEstimate(d1, d1, q1);
                        }
                    }
                    for (int j = 0; j < 8; j++)
                    {
                        sum[j] += s0.GetElement(j);
                        squares[j] += q0.GetElement(j);
                        sum[8 + j] += s1.GetElement(j);
                        squares[8 + j] += q1.GetElement(j);
                    }
                }
                // Channels past the last full vector (a group narrower than 8 or 16).
                for (int c = vectors * 8; c < width; c++)
                {
                    float s = 0, q = 0, center = shift[c];
                    for (long p = start; p < end; p++)
                    {
                        float d = x[p * channels + c] - center;
                        s += d;
                        q = MathF.FusedMultiplyAdd(d, d, q);
                    }
                    sum[c] += s;
                    squares[c] += q;
                }
            }

            float* a = Coefficients + image * channels + first;
            float* b = Coefficients + (k._images + image) * channels + first;
            for (int c = 0; c < width; c++)
            {
                double meanShifted = sum[c] / pixels;
                double variance = Math.Max(0, squares[c] / pixels - meanShifted * meanShifted);
                double mean = shift[c] + meanShifted;
                double scale = Scale[first + c] / Math.Sqrt(variance + k._epsilon);
                a[c] = (float)scale;
                b[c] = (float)(Bias[first + c] - mean * scale);
            }
        }
    }

    private readonly struct Normalise(InstanceNormalizationNhwcKernel k, float* x, float* y, float* coefficients) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int channels = k._channels;
            long pixels = k._pixels;
            for (long row = start; row < end; row++)
            {
                long image = row / pixels;
                float* a = coefficients + image * channels, b = coefficients + (k._images + image) * channels;
                float* source = x + row * channels, destination = y + row * channels;
                int c = 0;
                for (; c + 8 <= channels; c += 8)
                    Vector256.MultiplyAddEstimate(Vector256.Load(source + c), Vector256.Load(a + c), Vector256.Load(b + c)).Store(destination + c);
                for (; c < channels; c++) destination[c] = MathF.FusedMultiplyAdd(source[c], a[c], b[c]);
            }
        }
    }
}
