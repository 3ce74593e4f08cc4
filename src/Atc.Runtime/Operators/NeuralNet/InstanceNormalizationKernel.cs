using System.Runtime.Intrinsics;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>One task per (image, channel) plane: a pass for the mean, one for the variance, one to normalise.</summary>
internal sealed unsafe class InstanceNormalizationKernel(int planes, int channels, long planeSize, float epsilon) : IKernel
{
    private readonly int _planes = planes, _channels = channels;
    private readonly long _planeSize = planeSize;
    private readonly float _epsilon = epsilon;

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body
        {
            Kernel = this,
            X = (float*)args.Inputs[0],
            Scale = (float*)args.Inputs[1],
            Bias = (float*)args.Inputs[2],
            Y = (float*)args.Outputs[0],
        };
        args.Workers.For(_planes, ref body);
    }

    private struct Body : IParallelBody
    {
        public InstanceNormalizationKernel Kernel;
        public float* X, Scale, Bias, Y;

        public readonly void Invoke(int plane)
        {
            var k = Kernel;
            long n = k._planeSize;
            float* x = X + plane * n, y = Y + plane * n;
            int c = plane % k._channels;
            double mean = Sum(x, n, 0f, squares: false) / n;
            double variance = Sum(x, n, (float)mean, squares: true) / n;
            float a = (float)(Scale[c] / Math.Sqrt(variance + k._epsilon));
            float b = Bias[c] - (float)mean * a;
            var av = Vector256.Create(a);
            var bv = Vector256.Create(b);
            long i = 0;
            for (; i + 8 <= n; i += 8) Vector256.MultiplyAddEstimate(Vector256.Load(x + i), av, bv).Store(y + i);
            for (; i < n; i++) y[i] = MathF.FusedMultiplyAdd(x[i], a, b);
        }
    }

    /// <summary>Sum of x (or of (x - center)^2), in float vectors flushed to double every block for accuracy.</summary>
    private static double Sum(float* x, long n, float center, bool squares)
    {
        const int block = 1024;
        var cv = Vector256.Create(center);
        double total = 0;
        for (long start = 0; start < n; start += block)
        {
            long end = Math.Min(n, start + block);
            var acc = Vector256<float>.Zero;
            long i = start;
            for (; i + 8 <= end; i += 8)
            {
                var v = Vector256.Load(x + i);
                if (squares) { v -= cv; acc = Vector256.MultiplyAddEstimate(v, v, acc); }
                else acc += v;
            }
            double part = Vector256.Sum(acc);
            for (; i < end; i++)
            {
                float v = x[i];
                part += squares ? (double)(v - center) * (v - center) : v;
            }
            total += part;
        }
        return total;
    }
}
