using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.Kernels;

/// <summary>What one output row of a channels-last depthwise conv needs (3x3 fast path).</summary>
internal unsafe struct DepthwiseRow
{
    /// <summary>Input rows under kernel rows 0, 1, 2 (a zero row where the tap falls in the padding).</summary>
    public float* Input0, Input1, Input2;
    /// <summary>Weights as [tap, channel].</summary>
    public float* Weights;
    public float* Bias;
    /// <summary>First element of the output row (and of the residual row, if any).</summary>
    public float* Output, Residual;
    public int Channels, StrideW, DilationW, PadW;
    public float Min, Max;
    public bool Clamp;
}

/// <summary>
/// Channels-last depthwise convolution, one output row at a time, vectorised across channels. For 3x3 kernels the
/// pixels whose taps are all inside the row run with the nine weight vectors in registers (rows in the vertical
/// padding read a zero row); edge pixels and other kernel sizes take the general per-tap loop.
/// </summary>
internal static unsafe class DepthwiseChannelsLast
{
    public static bool UsesZeroRow(ConvGeometry g) => g.KH == 3 && g.KW == 3;

    public static void Row(ConvGeometry g, float* x, float* tapWeights, float* bias, float* residual, float* y, float* zeroRow,
        int n, int oh, Activation activation, Isa isa)
    {
        int c = g.InChannels;
        long rowOffset = ((long)n * g.OutH + oh) * g.OutW * c;
        float* image = x + (long)n * g.InH * g.InW * c;
        var row = new DepthwiseRow
        {
            Weights = tapWeights,
            Bias = bias,
            Output = y + rowOffset,
            Residual = residual == null ? null : residual + rowOffset,
            Channels = c,
            StrideW = g.SW,
            DilationW = g.DW,
            PadW = g.PW,
            Min = activation.Min,
            Max = activation.Max,
            Clamp = activation.IsClamp,
        };

        // Output columns whose kernel taps are all inside the input row.
        int first = Math.Min(g.OutW, (g.PW + g.SW - 1) / g.SW);
        int lastTap = g.InW - 1 + g.PW - (g.KW - 1) * g.DW;
        int end = lastTap < 0 ? first : Math.Clamp(lastTap / g.SW + 1, first, g.OutW);
        if (!UsesZeroRow(g) || first >= end)
        {
            General(g, image, row, oh, 0, g.OutW, 0);
            return;
        }
        float* RowAt(int kh)
        {
            int ih = oh * g.SH - g.PH + kh * g.DH;
            return (uint)ih < (uint)g.InH ? image + (long)ih * g.InW * c : zeroRow;
        }
        row.Input0 = RowAt(0);
        row.Input1 = RowAt(1);
        row.Input2 = RowAt(2);
        int done = 0;
        if (isa == Isa.Avx512) done = Interior3x3Wide(row, first, end, 0, c);
        if (isa != Isa.Portable) done = Interior3x3(row, first, end, done, c);
        if (done < c) General(g, image, row, oh, first, end, done);
        General(g, image, row, oh, 0, first, 0);
        General(g, image, row, oh, end, g.OutW, 0);
    }

    /// <summary>Pixels [ow0, ow1), channels [c0, C): taps gathered per pixel, bounds checked.</summary>
    private static void General(ConvGeometry g, float* image, in DepthwiseRow row, int oh, int ow0, int ow1, int c0)
    {
        int c = row.Channels;
        int ih0 = oh * g.SH - g.PH;
        var lo = Vector256.Create(row.Min);
        var hi = Vector256.Create(row.Max);
        var activation = new Activation(row.Min, row.Max);
        float** inputs = stackalloc float*[g.KH * g.KW];
        float** weights = stackalloc float*[g.KH * g.KW];
        for (int ow = ow0; ow < ow1; ow++)
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
                    weights[taps] = row.Weights + (long)(kh * g.KW + kw) * c;
                    taps++;
                }
            }

            float* yp = row.Output + (long)ow * c;
            float* rp = row.Residual == null ? null : row.Residual + (long)ow * c;
            int ch = c0;
            for (; ch + 8 <= c; ch += 8)
            {
                var acc = row.Bias == null ? Vector256<float>.Zero : Vector256.Load(row.Bias + ch);
                for (int t = 0; t < taps; t++)
                    acc = Vector256.MultiplyAddEstimate(Vector256.Load(inputs[t] + ch), Vector256.Load(weights[t] + ch), acc);
                if (rp != null) acc += Vector256.Load(rp + ch);
                if (row.Clamp) acc = Vector256.MinNative(Vector256.MaxNative(acc, lo), hi);
                acc.Store(yp + ch);
            }
            for (; ch < c; ch++)
            {
                float acc = row.Bias == null ? 0f : row.Bias[ch];
                for (int t = 0; t < taps; t++) acc = MathF.FusedMultiplyAdd(inputs[t][ch], weights[t][ch], acc);
                if (rp != null) acc += rp[ch];
                yp[ch] = activation.Apply(acc);
            }
        }
    }

    /// <summary>3x3 interior pixels [ow0, ow1), channels [c0, c1) in steps of 16: weights held in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Interior3x3Wide(in DepthwiseRow row, int ow0, int ow1, int c0, int c1)
    {
        int c = c0;
        long channels = row.Channels, stride = row.StrideW * channels, dilation = row.DilationW * channels;
        var lo = Vector512.Create(row.Min);
        var hi = Vector512.Create(row.Max);
        for (; c + 16 <= c1; c += 16)
        {
            float* w = row.Weights + c;
            var w0 = Vector512.Load(w + 0 * channels);
            var w1 = Vector512.Load(w + 1 * channels);
            var w2 = Vector512.Load(w + 2 * channels);
            var w3 = Vector512.Load(w + 3 * channels);
            var w4 = Vector512.Load(w + 4 * channels);
            var w5 = Vector512.Load(w + 5 * channels);
            var w6 = Vector512.Load(w + 6 * channels);
            var w7 = Vector512.Load(w + 7 * channels);
            var w8 = Vector512.Load(w + 8 * channels);
            var b = row.Bias == null ? Vector512<float>.Zero : Vector512.Load(row.Bias + c);
            float* r0 = row.Input0 + c, r1 = row.Input1 + c, r2 = row.Input2 + c;
            float* y = row.Output + c;
            float* res = row.Residual == null ? null : row.Residual + c;
            long column = ((long)ow0 * row.StrideW - row.PadW) * channels;
            for (int ow = ow0; ow < ow1; ow++, column += stride)
            {
                var acc = b;
                acc = Vector512.MultiplyAddEstimate(Vector512.Load(r0 + column), w0, acc);
                acc = Vector512.MultiplyAddEstimate(Vector512.Load(r0 + column + dilation), w1, acc);
                acc = Vector512.MultiplyAddEstimate(Vector512.Load(r0 + column + 2 * dilation), w2, acc);
                acc = Vector512.MultiplyAddEstimate(Vector512.Load(r1 + column), w3, acc);
                acc = Vector512.MultiplyAddEstimate(Vector512.Load(r1 + column + dilation), w4, acc);
                acc = Vector512.MultiplyAddEstimate(Vector512.Load(r1 + column + 2 * dilation), w5, acc);
                acc = Vector512.MultiplyAddEstimate(Vector512.Load(r2 + column), w6, acc);
                acc = Vector512.MultiplyAddEstimate(Vector512.Load(r2 + column + dilation), w7, acc);
                acc = Vector512.MultiplyAddEstimate(Vector512.Load(r2 + column + 2 * dilation), w8, acc);
                long at = (long)ow * channels;
                if (res != null) acc += Vector512.Load(res + at);
                if (row.Clamp) acc = Vector512.MinNative(Vector512.MaxNative(acc, lo), hi);
                acc.Store(y + at);
            }
        }
        return c;
    }

    /// <summary>3x3 interior pixels [ow0, ow1), channels [c0, c1) in steps of 8: weights held in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Interior3x3(in DepthwiseRow row, int ow0, int ow1, int c0, int c1)
    {
        int c = c0;
        long channels = row.Channels, stride = row.StrideW * channels, dilation = row.DilationW * channels;
        var lo = Vector256.Create(row.Min);
        var hi = Vector256.Create(row.Max);
        for (; c + 8 <= c1; c += 8)
        {
            float* w = row.Weights + c;
            var w0 = Vector256.Load(w + 0 * channels);
            var w1 = Vector256.Load(w + 1 * channels);
            var w2 = Vector256.Load(w + 2 * channels);
            var w3 = Vector256.Load(w + 3 * channels);
            var w4 = Vector256.Load(w + 4 * channels);
            var w5 = Vector256.Load(w + 5 * channels);
            var w6 = Vector256.Load(w + 6 * channels);
            var w7 = Vector256.Load(w + 7 * channels);
            var w8 = Vector256.Load(w + 8 * channels);
            var b = row.Bias == null ? Vector256<float>.Zero : Vector256.Load(row.Bias + c);
            float* r0 = row.Input0 + c, r1 = row.Input1 + c, r2 = row.Input2 + c;
            float* y = row.Output + c;
            float* res = row.Residual == null ? null : row.Residual + c;
            long column = ((long)ow0 * row.StrideW - row.PadW) * channels;
            for (int ow = ow0; ow < ow1; ow++, column += stride)
            {
                var acc = b;
                acc = Vector256.MultiplyAddEstimate(Vector256.Load(r0 + column), w0, acc);
                acc = Vector256.MultiplyAddEstimate(Vector256.Load(r0 + column + dilation), w1, acc);
                acc = Vector256.MultiplyAddEstimate(Vector256.Load(r0 + column + 2 * dilation), w2, acc);
                acc = Vector256.MultiplyAddEstimate(Vector256.Load(r1 + column), w3, acc);
                acc = Vector256.MultiplyAddEstimate(Vector256.Load(r1 + column + dilation), w4, acc);
                acc = Vector256.MultiplyAddEstimate(Vector256.Load(r1 + column + 2 * dilation), w5, acc);
                acc = Vector256.MultiplyAddEstimate(Vector256.Load(r2 + column), w6, acc);
                acc = Vector256.MultiplyAddEstimate(Vector256.Load(r2 + column + dilation), w7, acc);
                acc = Vector256.MultiplyAddEstimate(Vector256.Load(r2 + column + 2 * dilation), w8, acc);
                long at = (long)ow * channels;
                if (res != null) acc += Vector256.Load(res + at);
                if (row.Clamp) acc = Vector256.MinNative(Vector256.MaxNative(acc, lo), hi);
                acc.Store(y + at);
            }
        }
        return c;
    }
}
