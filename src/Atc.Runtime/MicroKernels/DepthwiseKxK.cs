using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Channels-last depthwise convolution for any kernel size, stride and dilation (5x5, 7x7, 3x1, ...), one output row
/// at a time, vectorised across channels. The padding is handled outside the inner loops: kernel rows above or below
/// the image are skipped for the whole row, pixels whose taps all fall inside the row (the interior) run in groups of
/// eight with one weight load per tap shared by the group and eight independent accumulators, and the few border
/// pixels run one at a time over the taps that fall inside the row. At stride 1 (no dilation) 5- and 7-wide kernel
/// rows slide instead: four pixels share each input column load, and the row's weights stay in registers, so a 7x7
/// needs 17 loads per 28 FMAs instead of 36. Channels go 512-, 256-bit, then the last few as one masked vector
/// (portable: 128-bit, then one at a time); the epilogue (bias, residual, clamp) is applied as each vector is stored.
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
        int oh, Activation activation, Isa isa, int firstChannel = 0)
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
        int ch = firstChannel;
        if (isa == Isa.Avx512) ch = Channels<Float512, Vector512<float>>(row, g.OutW, first, end, ch);
        if (isa != Isa.Portable) ch = Channels<Float256, Vector256<float>>(row, g.OutW, first, end, ch);
        if (ch == c) return;
        if (isa == Isa.Avx512)
        {
            MaskedChannels<Float512, Vector512<float>, MaskedLanes512>(row, g.OutW, ch, new MaskedLanes512(c - ch));
        }
        else if (isa == Isa.Avx2)
        {
            MaskedChannels<Float256, Vector256<float>, MaskedLanes256>(row, g.OutW, ch, new MaskedLanes256(c - ch));
        }
        else
        {
            ch = Channels<Float128, Vector128<float>>(row, g.OutW, first, end, ch);
            Channels<Float1, float>(row, g.OutW, first, end, ch);
        }
    }

    /// <summary>The last channels [c, C), fewer than a vector, as one partial vector over every pixel of the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaskedChannels<TOps, TVec, TLanes>(in RowContext row, int outW, int c, TLanes lanes)
        where TOps : struct, IFloatVector<TVec> where TVec : struct where TLanes : struct, IVectorLanes<TVec>
    {
        for (int ow = 0; ow < outW; ow++) Border<TOps, TVec, TLanes>(row, ow, c, lanes);
    }

    /// <summary>Every pixel of the row for channels [c0, ...) one vector at a time; returns the first channel left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Channels<TOps, TVec>(in RowContext row, int outW, int first, int end, int c0)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        int c = c0;
        var all = default(AllLanes<TOps, TVec>);
        bool slides = row.SW == 1 && row.DW == 1;
        bool slidesByTwo = row.SW == 2 && row.DW == 1;
        for (; c + TOps.Count <= row.Channels; c += TOps.Count)
        {
            int ow = 0;
            for (; ow < first; ow++) Border<TOps, TVec, AllLanes<TOps, TVec>>(row, ow, c, all);
            if (slides && row.KW == 7)
            {
                for (; ow + 4 <= end; ow += 4) Sliding<TOps, TVec, Taps7>(row, ow, c);
            }
            else if (slides && row.KW == 5)
            {
                for (; ow + 4 <= end; ow += 4) Sliding<TOps, TVec, Taps5>(row, ow, c);
            }
            else if (slidesByTwo && row.KW == 7)
            {
                for (; ow + 4 <= end; ow += 4) SlidingStride2<TOps, TVec, Taps7>(row, ow, c);
            }
            else if (slidesByTwo && row.KW == 5)
            {
                for (; ow + 4 <= end; ow += 4) SlidingStride2<TOps, TVec, Taps5>(row, ow, c);
            }
            for (; ow + 8 <= end; ow += 8) Interior<TOps, TVec, Rows8>(row, ow, c);
            for (; ow + 4 <= end; ow += 4) Interior<TOps, TVec, Rows4>(row, ow, c);
            for (; ow < outW; ow++) Border<TOps, TVec, AllLanes<TOps, TVec>>(row, ow, c, all);
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
        StoreFour<TOps, TVec>(row, at, channels, a0, a1, a2, a3, lo, hi);
        if (p > 4)
        {
            StoreFour<TOps, TVec>(row, at + 4 * channels, channels, a4, a5, a6, a7, lo, hi);
        }
    }

    /// <summary>
    /// Four interior pixels from <paramref name="ow"/> at stride 1, no dilation, kernel width <typeparamref name="TK"/>
    /// (5 or 7): per kernel row the weights are loaded once and every input column (4 + K - 1 of them) is loaded once
    /// and meets each pixel whose window covers it (pixel p takes column j with weight j - p).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sliding<TOps, TVec, TK>(in RowContext row, int ow, int c)
        where TOps : struct, IFloatVector<TVec> where TVec : struct where TK : struct, IRowCount
    {
        bool seven = TK.Value == 7;
        long ch = row.Channels;
        var init = row.Bias == null ? TOps.Zero : TOps.Load(row.Bias + c);
        TVec a0 = init, a1 = init, a2 = init, a3 = init;
        float* x = row.FirstRow + ((long)ow - row.PW) * ch + c;
        float* w = row.Weights + (long)row.KhBegin * TK.Value * ch + c;
        for (int kh = row.KhBegin; kh < row.KhEnd; kh++, x += row.KernelRowStride, w += TK.Value * ch)
        {
            TVec w0 = TOps.Load(w), w1 = TOps.Load(w + ch), w2 = TOps.Load(w + 2 * ch), w3 = TOps.Load(w + 3 * ch), w4 = TOps.Load(w + 4 * ch);
            TVec w5 = seven ? TOps.Load(w + 5 * ch) : default, w6 = seven ? TOps.Load(w + 6 * ch) : default;
            var v = TOps.Load(x);
            a0 = TOps.MultiplyAdd(v, w0, a0);
            v = TOps.Load(x + ch);
            a0 = TOps.MultiplyAdd(v, w1, a0); a1 = TOps.MultiplyAdd(v, w0, a1);
            v = TOps.Load(x + 2 * ch);
            a0 = TOps.MultiplyAdd(v, w2, a0); a1 = TOps.MultiplyAdd(v, w1, a1); a2 = TOps.MultiplyAdd(v, w0, a2);
            v = TOps.Load(x + 3 * ch);
            a0 = TOps.MultiplyAdd(v, w3, a0); a1 = TOps.MultiplyAdd(v, w2, a1); a2 = TOps.MultiplyAdd(v, w1, a2); a3 = TOps.MultiplyAdd(v, w0, a3);
            v = TOps.Load(x + 4 * ch);
            a0 = TOps.MultiplyAdd(v, w4, a0); a1 = TOps.MultiplyAdd(v, w3, a1); a2 = TOps.MultiplyAdd(v, w2, a2); a3 = TOps.MultiplyAdd(v, w1, a3);
            v = TOps.Load(x + 5 * ch);
            if (seven) a0 = TOps.MultiplyAdd(v, w5, a0);
            a1 = TOps.MultiplyAdd(v, w4, a1); a2 = TOps.MultiplyAdd(v, w3, a2); a3 = TOps.MultiplyAdd(v, w2, a3);
            v = TOps.Load(x + 6 * ch);
            if (seven) { a0 = TOps.MultiplyAdd(v, w6, a0); a1 = TOps.MultiplyAdd(v, w5, a1); }
            a2 = TOps.MultiplyAdd(v, w4, a2); a3 = TOps.MultiplyAdd(v, w3, a3);
            v = TOps.Load(x + 7 * ch);
            if (seven) { a1 = TOps.MultiplyAdd(v, w6, a1); a2 = TOps.MultiplyAdd(v, w5, a2); }
            a3 = TOps.MultiplyAdd(v, w4, a3);
            if (seven)
            {
                v = TOps.Load(x + 8 * ch);
                a2 = TOps.MultiplyAdd(v, w6, a2); a3 = TOps.MultiplyAdd(v, w5, a3);
                a3 = TOps.MultiplyAdd(TOps.Load(x + 9 * ch), w6, a3);
            }
        }
        var lo = TOps.Broadcast(row.Min);
        var hi = TOps.Broadcast(row.Max);
        long at = (long)ow * ch + c;
        StoreFour<TOps, TVec>(row, at, ch, a0, a1, a2, a3, lo, hi);
    }

    /// <summary>
    /// Four interior pixels from <paramref name="ow"/> at stride 2, no dilation, kernel width <typeparamref name="TK"/>
    /// (5 or 7): per kernel row every input column (6 + K of them) is loaded once and meets each pixel whose window
    /// covers it (pixel p takes column j with weight j - 2p): 11 or 13 loads for 20 or 28 FMAs instead of 20 or 28.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SlidingStride2<TOps, TVec, TK>(in RowContext row, int ow, int c)
        where TOps : struct, IFloatVector<TVec> where TVec : struct where TK : struct, IRowCount
    {
        bool seven = TK.Value == 7;
        long ch = row.Channels;
        var init = row.Bias == null ? TOps.Zero : TOps.Load(row.Bias + c);
        TVec a0 = init, a1 = init, a2 = init, a3 = init;
        float* x = row.FirstRow + ((long)ow * 2 - row.PW) * ch + c;
        float* w = row.Weights + (long)row.KhBegin * TK.Value * ch + c;
        for (int kh = row.KhBegin; kh < row.KhEnd; kh++, x += row.KernelRowStride, w += TK.Value * ch)
        {
            TVec w0 = TOps.Load(w), w1 = TOps.Load(w + ch), w2 = TOps.Load(w + 2 * ch), w3 = TOps.Load(w + 3 * ch), w4 = TOps.Load(w + 4 * ch);
            TVec w5 = seven ? TOps.Load(w + 5 * ch) : default, w6 = seven ? TOps.Load(w + 6 * ch) : default;
            a0 = TOps.MultiplyAdd(TOps.Load(x), w0, a0);
            a0 = TOps.MultiplyAdd(TOps.Load(x + ch), w1, a0);
            var v = TOps.Load(x + 2 * ch);
            a0 = TOps.MultiplyAdd(v, w2, a0); a1 = TOps.MultiplyAdd(v, w0, a1);
            v = TOps.Load(x + 3 * ch);
            a0 = TOps.MultiplyAdd(v, w3, a0); a1 = TOps.MultiplyAdd(v, w1, a1);
            v = TOps.Load(x + 4 * ch);
            a0 = TOps.MultiplyAdd(v, w4, a0); a1 = TOps.MultiplyAdd(v, w2, a1); a2 = TOps.MultiplyAdd(v, w0, a2);
            v = TOps.Load(x + 5 * ch);
            if (seven) a0 = TOps.MultiplyAdd(v, w5, a0);
            a1 = TOps.MultiplyAdd(v, w3, a1); a2 = TOps.MultiplyAdd(v, w1, a2);
            v = TOps.Load(x + 6 * ch);
            if (seven) a0 = TOps.MultiplyAdd(v, w6, a0);
            a1 = TOps.MultiplyAdd(v, w4, a1); a2 = TOps.MultiplyAdd(v, w2, a2); a3 = TOps.MultiplyAdd(v, w0, a3);
            v = TOps.Load(x + 7 * ch);
            if (seven) a1 = TOps.MultiplyAdd(v, w5, a1);
            a2 = TOps.MultiplyAdd(v, w3, a2); a3 = TOps.MultiplyAdd(v, w1, a3);
            v = TOps.Load(x + 8 * ch);
            if (seven) a1 = TOps.MultiplyAdd(v, w6, a1);
            a2 = TOps.MultiplyAdd(v, w4, a2); a3 = TOps.MultiplyAdd(v, w2, a3);
            v = TOps.Load(x + 9 * ch);
            if (seven) a2 = TOps.MultiplyAdd(v, w5, a2);
            a3 = TOps.MultiplyAdd(v, w3, a3);
            v = TOps.Load(x + 10 * ch);
            if (seven) a2 = TOps.MultiplyAdd(v, w6, a2);
            a3 = TOps.MultiplyAdd(v, w4, a3);
            if (seven)
            {
                a3 = TOps.MultiplyAdd(TOps.Load(x + 11 * ch), w5, a3);
                a3 = TOps.MultiplyAdd(TOps.Load(x + 12 * ch), w6, a3);
            }
        }
        var lo = TOps.Broadcast(row.Min);
        var hi = TOps.Broadcast(row.Max);
        long at = (long)ow * ch + c;
        StoreFour<TOps, TVec>(row, at, ch, a0, a1, a2, a3, lo, hi);
    }

    /// <summary>One pixel, one vector of channels, over the kernel columns that fall inside the input row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Border<TOps, TVec, TLanes>(in RowContext row, int ow, int c, TLanes lanes)
        where TOps : struct, IFloatVector<TVec> where TVec : struct where TLanes : struct, IVectorLanes<TVec>
    {
        long channels = row.Channels;
        int iw0 = ow * row.SW - row.PW;
        // Kernel columns inside the row: iw0 + kw * DW in [0, InW).
        int kwBegin = iw0 >= 0 ? 0 : Math.Min(row.KW, (-iw0 + row.DW - 1) / row.DW);
        int kwEnd = row.InW - 1 - iw0 < 0 ? kwBegin : Math.Clamp((row.InW - 1 - iw0) / row.DW + 1, kwBegin, row.KW);
        // Four accumulators (taps round-robin within a kernel row) cut the dependency chain of a tap loop that has
        // nothing else to overlap with: border pixels are 43% of a 14-wide row's and all of a 7-wide row's for 7x7.
        var a0 = row.Bias == null ? TOps.Zero : lanes.Load(row.Bias + c);
        TVec a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
        long tapStep = (long)row.DW * channels;
        float* x = row.FirstRow + (long)iw0 * channels + c;
        float* w = row.Weights + (long)row.KhBegin * row.KW * channels + c;
        for (int kh = row.KhBegin; kh < row.KhEnd; kh++, x += row.KernelRowStride, w += row.KW * channels)
        {
            float* xt = x + kwBegin * tapStep;
            float* wt = w + (long)kwBegin * channels;
            int kw = kwBegin;
            for (; kw + 3 < kwEnd; kw += 4, xt += 4 * tapStep, wt += 4 * channels)
            {
                a0 = TOps.MultiplyAdd(lanes.Load(xt), lanes.Load(wt), a0);
                a1 = TOps.MultiplyAdd(lanes.Load(xt + tapStep), lanes.Load(wt + channels), a1);
                a2 = TOps.MultiplyAdd(lanes.Load(xt + 2 * tapStep), lanes.Load(wt + 2 * channels), a2);
                a3 = TOps.MultiplyAdd(lanes.Load(xt + 3 * tapStep), lanes.Load(wt + 3 * channels), a3);
            }
            if (kw < kwEnd) a0 = TOps.MultiplyAdd(lanes.Load(xt), lanes.Load(wt), a0);
            if (kw + 1 < kwEnd) a1 = TOps.MultiplyAdd(lanes.Load(xt + tapStep), lanes.Load(wt + channels), a1);
            if (kw + 2 < kwEnd) a2 = TOps.MultiplyAdd(lanes.Load(xt + 2 * tapStep), lanes.Load(wt + 2 * channels), a2);
        }
        var acc = TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3));
        long at = (long)ow * channels + c;
        if (row.Residual != null) acc = TOps.Add(acc, lanes.Load(row.Residual + at));
        if (row.Clamp) acc = TOps.Clamp(acc, TOps.Broadcast(row.Min), TOps.Broadcast(row.Max));
        lanes.Store(acc, row.Output + at);
    }

    /// <summary>Four consecutive pixels' accumulators, <paramref name="pixelStep"/> floats apart, through <see cref="Store"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFour<TOps, TVec>(in RowContext row, long at, long pixelStep, TVec a0, TVec a1, TVec a2, TVec a3, TVec lo, TVec hi)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        Store<TOps, TVec>(row, at, a0, lo, hi);
        Store<TOps, TVec>(row, at + pixelStep, a1, lo, hi);
        Store<TOps, TVec>(row, at + 2 * pixelStep, a2, lo, hi);
        Store<TOps, TVec>(row, at + 3 * pixelStep, a3, lo, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TOps, TVec>(in RowContext row, long at, TVec acc, TVec lo, TVec hi)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        if (row.Residual != null) acc = TOps.Add(acc, TOps.Load(row.Residual + at));
        if (row.Clamp) acc = TOps.Clamp(acc, lo, hi);
        TOps.Store(acc, row.Output + at);
    }

    private struct Taps5 : IRowCount { public static int Value => 5; }
    private struct Taps7 : IRowCount { public static int Value => 7; }
}
