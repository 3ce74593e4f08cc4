using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Channels-last depthwise convolution for any kernel size, stride and dilation (5x5, 7x7, 3x1, ...), one output row
/// at a time, vectorised across channels. The padding is handled outside the inner loops: kernel rows above or below
/// the image are skipped for the whole row, pixels whose taps all fall inside the row (the interior) run in groups of
/// eight with one weight load per tap shared by the group and eight independent accumulators, and the few border
/// pixels run one at a time over the taps that fall inside the row. Channels go 512-, 256-, 128-bit, then one at a
/// time; the epilogue (bias, residual, clamp) is applied as each vector is stored.
/// </summary>
internal static unsafe class DepthwiseKxK
{
    /// <summary>One output row's operands.</summary>
    private struct RowContext
    {
        /// <summary>Image row of kernel row <see cref="KhBegin"/>, channel 0 of input column 0.</summary>
        public float* FirstRow;
        /// <summary>Floats between the input rows of consecutive kernel rows (dilation x row).</summary>
        public long KernelRowStride;
        public int KhBegin, KhEnd;
        public float* Weights, Bias, Output, Residual;
        public int Channels, KW, SW, DW, PW, InW;
        public float Min, Max;
        public bool Clamp;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(ConvGeometry g, float* image, float* tapWeights, float* bias, float* output, float* residual,
        int oh, Activation activation, Isa isa)
    {
        int ih0 = oh * g.SH - g.PH;
        // Kernel rows inside the image: ih0 + kh * DH in [0, InH).
        int khBegin = ih0 >= 0 ? 0 : Math.Min(g.KH, (-ih0 + g.DH - 1) / g.DH);
        int khEnd = g.InH - 1 - ih0 < 0 ? khBegin : Math.Clamp((g.InH - 1 - ih0) / g.DH + 1, khBegin, g.KH);
        int c = g.InChannels;
        var row = new RowContext
        {
            FirstRow = image + (long)(ih0 + khBegin * g.DH) * g.InW * c,
            KernelRowStride = (long)g.DH * g.InW * c,
            KhBegin = khBegin,
            KhEnd = khEnd,
            Weights = tapWeights,
            Bias = bias,
            Output = output,
            Residual = residual,
            Channels = c,
            KW = g.KW,
            SW = g.SW,
            DW = g.DW,
            PW = g.PW,
            InW = g.InW,
            Min = activation.Min,
            Max = activation.Max,
            Clamp = activation.IsClamp,
        };
        // Output columns whose kernel taps are all inside the input row: [first, end).
        int first = Math.Min(g.OutW, (g.PW + g.SW - 1) / g.SW);
        int lastTap = g.InW - 1 + g.PW - (g.KW - 1) * g.DW;
        int end = lastTap < 0 ? first : Math.Clamp(lastTap / g.SW + 1, first, g.OutW);
        int ch = 0;
        if (isa == Isa.Avx512) ch = Channels<Float512, Vector512<float>>(row, g.OutW, first, end, ch);
        if (isa != Isa.Portable) ch = Channels<Float256, Vector256<float>>(row, g.OutW, first, end, ch);
        ch = Channels<Float128, Vector128<float>>(row, g.OutW, first, end, ch);
        Channels<Float1, float>(row, g.OutW, first, end, ch);
    }

    /// <summary>Every pixel of the row for channels [c0, ...) one vector at a time; returns the first channel left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Channels<TOps, TVec>(in RowContext row, int outW, int first, int end, int c0)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        int c = c0;
        for (; c + TOps.Count <= row.Channels; c += TOps.Count)
        {
            int ow = 0;
            for (; ow < first; ow++) Border<TOps, TVec>(row, ow, c);
            for (; ow + 8 <= end; ow += 8) Interior<TOps, TVec, Rows8>(row, ow, c);
            for (; ow + 4 <= end; ow += 4) Interior<TOps, TVec, Rows4>(row, ow, c);
            for (; ow < end; ow++) Border<TOps, TVec>(row, ow, c);
            for (; ow < outW; ow++) Border<TOps, TVec>(row, ow, c);
        }
        return c;
    }

    /// <summary>
    /// <typeparamref name="TPixels"/> (4 or 8) interior pixels from <paramref name="ow"/>, one vector of channels:
    /// every tap's weight is loaded once and meets each pixel's input in its own accumulator.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interior<TOps, TVec, TPixels>(in RowContext row, int ow, int c)
        where TOps : struct, IFloatVector<TVec> where TVec : struct where TPixels : struct, IRowCount
    {
        int p = TPixels.Value;
        long channels = row.Channels, pixelStep = row.SW * channels, tapStep = row.DW * channels;
        var init = row.Bias == null ? TOps.Zero : TOps.Load(row.Bias + c);
        TVec a0 = init, a1 = init, a2 = init, a3 = init, a4 = init, a5 = init, a6 = init, a7 = init;
        float* x = row.FirstRow + ((long)ow * row.SW - row.PW) * channels + c;
        float* w = row.Weights + (long)row.KhBegin * row.KW * channels + c;
        for (int kh = row.KhBegin; kh < row.KhEnd; kh++, x += row.KernelRowStride)
        {
            float* xt = x;
            for (int kw = 0; kw < row.KW; kw++, xt += tapStep, w += channels)
            {
                var wv = TOps.Load(w);
                a0 = TOps.MultiplyAdd(TOps.Load(xt), wv, a0);
                a1 = TOps.MultiplyAdd(TOps.Load(xt + pixelStep), wv, a1);
                a2 = TOps.MultiplyAdd(TOps.Load(xt + 2 * pixelStep), wv, a2);
                a3 = TOps.MultiplyAdd(TOps.Load(xt + 3 * pixelStep), wv, a3);
                if (p > 4)
                {
                    a4 = TOps.MultiplyAdd(TOps.Load(xt + 4 * pixelStep), wv, a4);
                    a5 = TOps.MultiplyAdd(TOps.Load(xt + 5 * pixelStep), wv, a5);
                    a6 = TOps.MultiplyAdd(TOps.Load(xt + 6 * pixelStep), wv, a6);
                    a7 = TOps.MultiplyAdd(TOps.Load(xt + 7 * pixelStep), wv, a7);
                }
            }
        }
        var lo = TOps.Broadcast(row.Min);
        var hi = TOps.Broadcast(row.Max);
        long at = (long)ow * channels + c;
        Store<TOps, TVec>(row, at, a0, lo, hi);
        Store<TOps, TVec>(row, at + channels, a1, lo, hi);
        Store<TOps, TVec>(row, at + 2 * channels, a2, lo, hi);
        Store<TOps, TVec>(row, at + 3 * channels, a3, lo, hi);
        if (p > 4)
        {
            Store<TOps, TVec>(row, at + 4 * channels, a4, lo, hi);
            Store<TOps, TVec>(row, at + 5 * channels, a5, lo, hi);
            Store<TOps, TVec>(row, at + 6 * channels, a6, lo, hi);
            Store<TOps, TVec>(row, at + 7 * channels, a7, lo, hi);
        }
    }

    /// <summary>One pixel, one vector of channels, over the kernel columns that fall inside the input row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Border<TOps, TVec>(in RowContext row, int ow, int c)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        long channels = row.Channels;
        int iw0 = ow * row.SW - row.PW;
        // Kernel columns inside the row: iw0 + kw * DW in [0, InW).
        int kwBegin = iw0 >= 0 ? 0 : Math.Min(row.KW, (-iw0 + row.DW - 1) / row.DW);
        int kwEnd = row.InW - 1 - iw0 < 0 ? kwBegin : Math.Clamp((row.InW - 1 - iw0) / row.DW + 1, kwBegin, row.KW);
        // Two accumulators halve the dependency chain of a tap loop that has nothing else to overlap with.
        var even = row.Bias == null ? TOps.Zero : TOps.Load(row.Bias + c);
        var odd = TOps.Zero;
        float* x = row.FirstRow + (long)iw0 * channels + c;
        float* w = row.Weights + (long)row.KhBegin * row.KW * channels + c;
        for (int kh = row.KhBegin; kh < row.KhEnd; kh++, x += row.KernelRowStride, w += row.KW * channels)
        {
            int kw = kwBegin;
            for (; kw + 1 < kwEnd; kw += 2)
            {
                even = TOps.MultiplyAdd(TOps.Load(x + (long)kw * row.DW * channels), TOps.Load(w + kw * channels), even);
                odd = TOps.MultiplyAdd(TOps.Load(x + (long)(kw + 1) * row.DW * channels), TOps.Load(w + (kw + 1) * channels), odd);
            }
            if (kw < kwEnd) even = TOps.MultiplyAdd(TOps.Load(x + (long)kw * row.DW * channels), TOps.Load(w + kw * channels), even);
        }
        Store<TOps, TVec>(row, (long)ow * channels + c, TOps.Add(even, odd), TOps.Broadcast(row.Min), TOps.Broadcast(row.Max));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TOps, TVec>(in RowContext row, long at, TVec acc, TVec lo, TVec hi)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        if (row.Residual != null) acc = TOps.Add(acc, TOps.Load(row.Residual + at));
        if (row.Clamp) acc = TOps.Clamp(acc, lo, hi);
        TOps.Store(acc, row.Output + at);
    }
}
