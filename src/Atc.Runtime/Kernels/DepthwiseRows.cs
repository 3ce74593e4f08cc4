using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.Kernels;

/// <summary>
/// Inner loops of depthwise convolution (one input channel per group), 2-D. Channels-last vectorises over channels
/// with weights re-laid as [tap, channel]; channels-first vectorises along output rows, adding one kernel tap at a
/// time over the run of outputs whose input is inside the image.
/// </summary>
internal static unsafe class DepthwiseRows
{
    /// <summary>One output row (all its pixels and channels) of a channels-last depthwise conv.</summary>
    public static void ChannelsLastRow(ConvGeometry g, float* x, float* tapWeights, float* bias, float* residual, float* y,
        int n, int oh, Activation activation)
    {
        int c = g.InChannels;
        int ih0 = oh * g.SH - g.PH;
        var lo = Vector256.Create(activation.Min);
        var hi = Vector256.Create(activation.Max);
        bool clamp = activation.IsClamp;
        long rowOffset = ((long)n * g.OutH + oh) * g.OutW * c;
        float* yRow = y + rowOffset;
        float* rRow = residual == null ? null : residual + rowOffset;
        float* image = x + (long)n * g.InH * g.InW * c;
        // Taps that fall inside the image for this output pixel: pointer and weight row.
        float** inputs = stackalloc float*[g.KH * g.KW];
        float** weights = stackalloc float*[g.KH * g.KW];

        for (int ow = 0; ow < g.OutW; ow++)
        {
            int iw0 = ow * g.SW - g.PW;
            int taps = 0;
            for (int kh = 0; kh < g.KH; kh++)
            {
                int ih = ih0 + kh * g.DH;
                if ((uint)ih >= (uint)g.InH) continue;
                for (int kw = 0; kw < g.KW; kw++)
                {
                    int iw = iw0 + kw * g.DW;
                    if ((uint)iw >= (uint)g.InW) continue;
                    inputs[taps] = image + ((long)ih * g.InW + iw) * c;
                    weights[taps] = tapWeights + (long)(kh * g.KW + kw) * c;
                    taps++;
                }
            }

            float* yp = yRow + (long)ow * c;
            float* rp = rRow == null ? null : rRow + (long)ow * c;
            int ch = 0;
            for (; ch + 8 <= c; ch += 8)
            {
                var acc = bias == null ? Vector256<float>.Zero : Vector256.Load(bias + ch);
                for (int t = 0; t < taps; t++)
                    acc = Vector256.MultiplyAddEstimate(Vector256.Load(inputs[t] + ch), Vector256.Load(weights[t] + ch), acc);
                if (rp != null) acc += Vector256.Load(rp + ch);
                if (clamp) acc = Vector256.MinNative(Vector256.MaxNative(acc, lo), hi);
                acc.Store(yp + ch);
            }
            for (; ch < c; ch++)
            {
                float acc = bias == null ? 0f : bias[ch];
                for (int t = 0; t < taps; t++) acc = MathF.FusedMultiplyAdd(inputs[t][ch], weights[t][ch], acc);
                if (rp != null) acc += rp[ch];
                yp[ch] = activation.Apply(acc);
            }
        }
    }

    /// <summary>One output plane of a channels-first depthwise conv.</summary>
    public static void ChannelsFirstPlane(ConvGeometry g, float* xPlane, float* w, float biasValue, float* rPlane, float* yPlane,
        Activation activation)
    {
        int ow = g.OutW;
        for (int oh = 0; oh < g.OutH; oh++)
        {
            float* yRow = yPlane + (long)oh * ow;
            new Span<float>(yRow, ow).Fill(biasValue);
            for (int kh = 0; kh < g.KH; kh++)
            {
                int ih = oh * g.SH - g.PH + kh * g.DH;
                if ((uint)ih >= (uint)g.InH) continue;
                float* xRow = xPlane + (long)ih * g.InW;
                for (int kw = 0; kw < g.KW; kw++)
                {
                    int offset = kw * g.DW - g.PW;
                    // Outputs whose input column ow*SW + offset is inside the row.
                    int first = offset >= 0 ? 0 : (-offset + g.SW - 1) / g.SW;
                    int last = g.InW - 1 - offset < 0 ? 0 : Math.Min(ow, (g.InW - 1 - offset) / g.SW + 1);
                    if (first < last) AddScaled(yRow, xRow + offset, g.SW, w[kh * g.KW + kw], first, last);
                }
            }
            float* rRow = rPlane == null ? null : rPlane + (long)oh * ow;
            FinishRow(yRow, rRow, ow, activation);
        }
    }

    /// <summary>y[i] += weight * x[i * stride] for i in [first, last).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(float* y, float* x, int stride, float weight, int first, int last)
    {
        int i = first;
        if (stride == 1)
        {
            var wv = Vector256.Create(weight);
            for (; i + 8 <= last; i += 8)
                Vector256.MultiplyAddEstimate(Vector256.Load(x + i), wv, Vector256.Load(y + i)).Store(y + i);
            for (; i < last; i++) y[i] = MathF.FusedMultiplyAdd(x[i], weight, y[i]);
        }
        else
        {
            for (; i < last; i++) y[i] = MathF.FusedMultiplyAdd(x[(long)i * stride], weight, y[i]);
        }
    }

    private static void FinishRow(float* y, float* residual, int count, Activation activation)
    {
        if (residual == null && !activation.IsClamp) return;
        var lo = Vector256.Create(activation.Min);
        var hi = Vector256.Create(activation.Max);
        int i = 0;
        for (; i + 8 <= count; i += 8)
        {
            var v = Vector256.Load(y + i);
            if (residual != null) v += Vector256.Load(residual + i);
            if (activation.IsClamp) v = Vector256.MinNative(Vector256.MaxNative(v, lo), hi);
            v.Store(y + i);
        }
        for (; i < count; i++)
        {
            float v = y[i];
            if (residual != null) v += residual[i];
            y[i] = activation.Apply(v);
        }
    }
}
