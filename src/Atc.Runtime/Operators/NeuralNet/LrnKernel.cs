using System.Runtime.Intrinsics;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>LRN: tasks are (image, run of pixels); channels-first vectorises the window sum across pixels.</summary>
internal sealed unsafe class LrnKernel(int batch, int channels, long pixels, bool channelsLast, int size, float alpha, float beta, float bias) : IKernel
{
    private const int PixelsPerTask = 512;

    private readonly int _batch = batch, _channels = channels, _size = size;
    private readonly long _pixels = pixels;
    private readonly bool _channelsLast = channelsLast;
    private readonly float _alphaOverSize = alpha / size, _beta = beta, _bias = bias;

    public long ScratchBytes => 0;

    private int ChunksPerImage => (int)((_pixels + PixelsPerTask - 1) / PixelsPerTask);

    public void Run(in KernelArgs args)
    {
        var body = new Body { Kernel = this, X = (float*)args.Inputs[0], Y = (float*)args.Outputs[0] };
        args.Workers.For(_batch * ChunksPerImage, ref body);
    }

    private struct Body : IParallelBody
    {
        public LrnKernel Kernel;
        public float* X, Y;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            int n = index / k.ChunksPerImage;
            long p0 = (long)(index % k.ChunksPerImage) * PixelsPerTask;
            long p1 = Math.Min(k._pixels, p0 + PixelsPerTask);
            long image = (long)n * k._channels * k._pixels;
            if (k._channelsLast) k.ChannelsLast(X + image, Y + image, p0, p1);
            else k.ChannelsFirst(X + image, Y + image, p0, p1);
        }
    }

    private (int Low, int High) Window(int c) => (Math.Max(0, c - (_size - 1) / 2), Math.Min(_channels - 1, c + _size / 2));

    private float Normalize(float x, float sum) => x * MathF.Pow(_bias + _alphaOverSize * sum, -_beta);

    private void ChannelsFirst(float* x, float* y, long p0, long p1)
    {
        int count = (int)(p1 - p0);
        float* sums = stackalloc float[PixelsPerTask];
        for (int c = 0; c < _channels; c++)
        {
            new Span<float>(sums, count).Clear();
            var (low, high) = Window(c);
            for (int j = low; j <= high; j++)
            {
                float* xs = x + j * _pixels + p0;
                int i = 0;
                for (; i + 8 <= count; i += 8)
                {
                    var v = Vector256.Load(xs + i);
                    Vector256.MultiplyAddEstimate(v, v, Vector256.Load(sums + i)).Store(sums + i);
                }
                for (; i < count; i++) sums[i] += xs[i] * xs[i];
            }
            float* xc = x + c * _pixels + p0, yc = y + c * _pixels + p0;
            for (int i = 0; i < count; i++) yc[i] = Normalize(xc[i], sums[i]);
        }
    }

    private void ChannelsLast(float* x, float* y, long p0, long p1)
    {
        for (long p = p0; p < p1; p++)
        {
            float* xp = x + p * _channels, yp = y + p * _channels;
            for (int c = 0; c < _channels; c++)
            {
                var (low, high) = Window(c);
                float sum = 0f;
                for (int j = low; j <= high; j++) sum += xp[j] * xp[j];
                yp[c] = Normalize(xp[c], sum);
            }
        }
    }
}
