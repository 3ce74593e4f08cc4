using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Max / average pooling. Channels-last: one task per output row, vectors across channels (<see cref="ChannelsLastPool"/>). Channels-first: one task
/// per (image, channel) plane, each kernel tap applied to the run of outputs whose input is inside the row.
/// Average divisors are products of per-axis tap counts, computed once.
/// </summary>
internal sealed unsafe class PoolKernel : IKernel
{
    private readonly ConvGeometry _g;
    private readonly bool _max;
    private readonly int[] _countD, _countH, _countW;
    private readonly ChannelsLastPool? _channelsLast;

    public PoolKernel(ConvGeometry geometry, bool max, bool countIncludePad, SpatialWindow window)
    {
        _g = geometry;
        _max = max;
        var g = geometry;
        int r = g.SpatialRank;
        int PadEnd(int axis3) => axis3 - (3 - r) is var i && i >= 0 ? window.PadsEnd[i] : 0;
        _countD = TapCounts(g.InD, g.OutD, g.KD, g.SD, g.DD, g.PD, PadEnd(0), countIncludePad);
        _countH = TapCounts(g.InH, g.OutH, g.KH, g.SH, g.DH, g.PH, PadEnd(1), countIncludePad);
        _countW = TapCounts(g.InW, g.OutW, g.KW, g.SW, g.DW, g.PW, PadEnd(2), countIncludePad);
        if (g.ChannelsLast) _channelsLast = new ChannelsLastPool(g, max, _countD, _countH, _countW);
    }

    /// <summary>Per output position: taps inside the input, or inside the padded input when padding counts.</summary>
    private static int[] TapCounts(int input, int output, int kernel, int stride, int dilation, int padBegin, int padEnd, bool includePad)
    {
        var counts = new int[output];
        int lo = includePad ? -padBegin : 0, hi = includePad ? input + padEnd : input;
        for (int o = 0; o < output; o++)
            for (int k = 0; k < kernel; k++)
            {
                int p = o * stride - padBegin + k * dilation;
                if (p >= lo && p < hi) counts[o]++;
            }
        return counts;
    }

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body { Kernel = this, X = (float*)args.Inputs[0], Y = (float*)args.Outputs[0] };
        int tasks = _g.ChannelsLast ? _g.Batch * _g.OutD * _g.OutH : _g.Batch * _g.InChannels;
        args.Workers.For(tasks, ref body);
    }

    private struct Body : IParallelBody
    {
        public PoolKernel Kernel;
        public float* X, Y;

        public readonly void Invoke(int index)
        {
            if (Kernel._channelsLast is { } channelsLast) channelsLast.Row(X, Y, index);
            else Kernel.ChannelsFirstPlane(X, Y, index);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ChannelsFirstPlane(float* x, float* y, int plane)
    {
        var g = _g;
        float* xPlane = x + (long)plane * g.InPixels;
        float* yPlane = y + (long)plane * g.OutPixels;
        int ow = g.OutW;
        for (int od = 0; od < g.OutD; od++)
            for (int oh = 0; oh < g.OutH; oh++)
            {
                float* yRow = yPlane + ((long)od * g.OutH + oh) * ow;
                new Span<float>(yRow, ow).Fill(_max ? float.NegativeInfinity : 0f);
                for (int kd = 0; kd < g.KD; kd++)
                {
                    int id = od * g.SD - g.PD + kd * g.DD;
                    if ((uint)id >= (uint)g.InD) continue;
                    for (int kh = 0; kh < g.KH; kh++)
                    {
                        int ih = oh * g.SH - g.PH + kh * g.DH;
                        if ((uint)ih >= (uint)g.InH) continue;
                        float* xRow = xPlane + ((long)id * g.InH + ih) * g.InW;
                        for (int kw = 0; kw < g.KW; kw++)
                        {
                            int offset = kw * g.DW - g.PW;
                            int first = offset >= 0 ? 0 : (-offset + g.SW - 1) / g.SW;
                            int last = g.InW - 1 - offset < 0 ? 0 : Math.Min(ow, (g.InW - 1 - offset) / g.SW + 1);
                            if (first < last) Accumulate(yRow, xRow + offset, g.SW, first, last);
                        }
                    }
                }
                if (!_max)
                {
                    float rowCount = _countD[od] * _countH[oh];
                    for (int i = 0; i < ow; i++) yRow[i] /= Math.Max(1f, rowCount * _countW[i]);
                }
            }
    }

    /// <summary>y[i] = max(y[i], x[i*stride]) or y[i] += x[i*stride], for i in [first, last).</summary>
    private void Accumulate(float* y, float* x, int stride, int first, int last)
    {
        int i = first;
        if (stride == 1)
        {
            for (; i + 8 <= last; i += 8)
            {
                var v = Vector256.Load(x + i);
                var acc = Vector256.Load(y + i);
                (_max ? Vector256.MaxNative(acc, v) : acc + v).Store(y + i);
            }
        }
        if (_max)
            for (; i < last; i++) y[i] = MathF.Max(y[i], x[(long)i * stride]);
        else
            for (; i < last; i++) y[i] += x[(long)i * stride];
    }
}
