using System.Runtime.Intrinsics;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>Global pooling: one task per plane (channels-first) or per image (channels-last).</summary>
internal sealed unsafe class GlobalPoolKernel(int batch, int channels, int pixels, bool channelsLast, bool max) : IKernel
{
    private readonly int _batch = batch, _channels = channels, _pixels = pixels;
    private readonly bool _channelsLast = channelsLast, _max = max;

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body { Kernel = this, X = (float*)args.Inputs[0], Y = (float*)args.Outputs[0] };
        args.Workers.For(_channelsLast ? _batch : _batch * _channels, ref body);
    }

    private struct Body : IParallelBody
    {
        public GlobalPoolKernel Kernel;
        public float* X, Y;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            if (k._channelsLast) k.ReduceImage(X + (long)index * k._pixels * k._channels, Y + (long)index * k._channels);
            else Y[index] = k.ReducePlane(X + (long)index * k._pixels);
        }
    }

    /// <summary>Channels-first: one plane to one value.</summary>
    private float ReducePlane(float* x)
    {
        int i = 0;
        if (_max)
        {
            var acc = Vector256.Create(float.NegativeInfinity);
            for (; i + 8 <= _pixels; i += 8) acc = Vector256.MaxNative(acc, Vector256.Load(x + i));
            float m = float.NegativeInfinity;
            for (int j = 0; j < 8; j++) m = MathF.Max(m, acc[j]);
            for (; i < _pixels; i++) m = MathF.Max(m, x[i]);
            return m;
        }
        var sum = Vector256<float>.Zero;
        for (; i + 8 <= _pixels; i += 8) sum += Vector256.Load(x + i);
        float s = Vector256.Sum(sum);
        for (; i < _pixels; i++) s += x[i];
        return s / _pixels;
    }

    /// <summary>Channels-last: all pixels of one image to one vector of channels.</summary>
    private void ReduceImage(float* x, float* y)
    {
        new Span<float>(y, _channels).Fill(_max ? float.NegativeInfinity : 0f);
        for (int p = 0; p < _pixels; p++, x += _channels)
        {
            int c = 0;
            for (; c + 8 <= _channels; c += 8)
            {
                var acc = Vector256.Load(y + c);
                var v = Vector256.Load(x + c);
                (_max ? Vector256.MaxNative(acc, v) : acc + v).Store(y + c);
            }
            for (; c < _channels; c++) y[c] = _max ? MathF.Max(y[c], x[c]) : y[c] + x[c];
        }
        if (!_max)
            for (int c = 0; c < _channels; c++) y[c] /= _pixels;
    }
}
