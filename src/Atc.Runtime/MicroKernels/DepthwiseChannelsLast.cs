using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.MicroKernels;

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
/// padding read a zero row), four at a time sliding along the row at stride 1 and 2 (each input vector loaded once
/// for every pixel it feeds: the 512-bit loads, not the FMAs, bound the one-pixel loop), edge pixels one at a time, and channels past the last whole vector run as one masked
/// vector in <see cref="DepthwiseKxK"/>; other kernel sizes (and rows too narrow for an interior) run it entirely.
/// </summary>
internal static unsafe class DepthwiseChannelsLast
{
    public static bool UsesZeroRow(ConvGeometry g) => g.KH == 3 && g.KW == 3;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

        bool wide = isa == Isa.Avx512;
        // Output columns whose kernel taps are all inside the input row.
        int first = Math.Min(g.OutW, (g.PW + g.SW - 1) / g.SW);
        int lastTap = g.InW - 1 + g.PW - (g.KW - 1) * g.DW;
        int end = lastTap < 0 ? first : Math.Clamp(lastTap / g.SW + 1, first, g.OutW);
        if (!UsesZeroRow(g) || first >= end)
        {
            DepthwiseKxK.Row(g, image, tapWeights, bias, row.Output, row.Residual, oh, activation, isa);
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
        if (wide) done = Interior3x3<Float512, Vector512<float>>(row, first, end, 0, c);
        if (isa != Isa.Portable) done = Interior3x3<Float256, Vector256<float>>(row, first, end, done, c);
        else done = Interior3x3<Float128, Vector128<float>>(row, first, end, done, c);
        for (int ow = 0; ow < first; ow++) Edge3x3(g, image, zeroRow, row, oh, ow, done, isa);
        for (int ow = end; ow < g.OutW; ow++) Edge3x3(g, image, zeroRow, row, oh, ow, done, isa);
        // The last channels, fewer than a vector: one masked vector per pixel (portable: 128-bit, then scalar).
        if (done < c) DepthwiseKxK.Row(g, image, tapWeights, bias, row.Output, row.Residual, oh, activation, isa, done);
    }

    /// <summary>
    /// One 3x3 pixel at the left or right edge, channels [0, <paramref name="channels"/>): taps outside the image read
    /// the zero row (which has at least a pixel's channels), so the nine FMAs need no bounds checks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Edge3x3(ConvGeometry g, float* image, float* zeros, in DepthwiseRow row, int oh, int ow, int channels, Isa isa)
    {
        int c = row.Channels;
        float** p = stackalloc float*[9];
        for (int kh = 0; kh < 3; kh++)
        {
            int ih = oh * g.SH - g.PH + kh * g.DH;
            for (int kw = 0; kw < 3; kw++)
            {
                int iw = ow * g.SW - g.PW + kw * g.DW;
                p[kh * 3 + kw] = (uint)ih < (uint)g.InH && (uint)iw < (uint)g.InW ? image + ((long)ih * g.InW + iw) * c : zeros;
            }
        }
        long at = (long)ow * c;
        int ch = 0;
        if (isa == Isa.Avx512) ch = EdgeChannels<Float512, Vector512<float>>(row, p, at, ch, channels);
        if (isa != Isa.Portable) ch = EdgeChannels<Float256, Vector256<float>>(row, p, at, ch, channels);
        ch = EdgeChannels<Float128, Vector128<float>>(row, p, at, ch, channels);
        EdgeChannels<Float1, float>(row, p, at, ch, channels);
    }

    /// <summary>Channels [ch, end) of one edge pixel, one vector at a time; returns the first channel left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EdgeChannels<TOps, TVec>(in DepthwiseRow row, float** p, long at, int ch, int end)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        long c = row.Channels;
        float* p0 = p[0], p1 = p[1], p2 = p[2], p3 = p[3], p4 = p[4], p5 = p[5], p6 = p[6], p7 = p[7], p8 = p[8];
        var lo = TOps.Broadcast(row.Min);
        var hi = TOps.Broadcast(row.Max);
        for (; ch + TOps.Count <= end; ch += TOps.Count)
        {
            float* wc = row.Weights + ch;
            var acc = row.Bias == null ? TOps.Zero : TOps.Load(row.Bias + ch);
            acc = TOps.MultiplyAdd(TOps.Load(p0 + ch), TOps.Load(wc), acc);
            var acc1 = TOps.Multiply(TOps.Load(p1 + ch), TOps.Load(wc + c));
            var acc2 = TOps.Multiply(TOps.Load(p2 + ch), TOps.Load(wc + 2 * c));
            acc = TOps.MultiplyAdd(TOps.Load(p3 + ch), TOps.Load(wc + 3 * c), acc);
            acc1 = TOps.MultiplyAdd(TOps.Load(p4 + ch), TOps.Load(wc + 4 * c), acc1);
            acc2 = TOps.MultiplyAdd(TOps.Load(p5 + ch), TOps.Load(wc + 5 * c), acc2);
            acc = TOps.MultiplyAdd(TOps.Load(p6 + ch), TOps.Load(wc + 6 * c), acc);
            acc1 = TOps.MultiplyAdd(TOps.Load(p7 + ch), TOps.Load(wc + 7 * c), acc1);
            acc2 = TOps.MultiplyAdd(TOps.Load(p8 + ch), TOps.Load(wc + 8 * c), acc2);
            acc = TOps.Add(acc, TOps.Add(acc1, acc2));
            if (row.Residual != null) acc = TOps.Add(acc, TOps.Load(row.Residual + at + ch));
            if (row.Clamp) acc = TOps.Clamp(acc, lo, hi);
            TOps.Store(acc, row.Output + at + ch);
        }
        return ch;
    }

    /// <summary>3x3 interior pixels [ow0, ow1), channels [c0, c1) one vector at a time: weights held in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Interior3x3<TOps, TVec>(in DepthwiseRow row, int ow0, int ow1, int c0, int c1)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        int c = c0;
        long channels = row.Channels, stride = row.StrideW * channels, dilation = row.DilationW * channels;
        var lo = TOps.Broadcast(row.Min);
        var hi = TOps.Broadcast(row.Max);
        for (; c + TOps.Count <= c1; c += TOps.Count)
        {
            float* w = row.Weights + c;
            var w0 = TOps.Load(w + 0 * channels);
            var w1 = TOps.Load(w + 1 * channels);
            var w2 = TOps.Load(w + 2 * channels);
            var w3 = TOps.Load(w + 3 * channels);
            var w4 = TOps.Load(w + 4 * channels);
            var w5 = TOps.Load(w + 5 * channels);
            var w6 = TOps.Load(w + 6 * channels);
            var w7 = TOps.Load(w + 7 * channels);
            var w8 = TOps.Load(w + 8 * channels);
            var b = row.Bias == null ? TOps.Zero : TOps.Load(row.Bias + c);
            float* r0 = row.Input0 + c, r1 = row.Input1 + c, r2 = row.Input2 + c;
            float* y = row.Output + c;
            float* res = row.Residual == null ? null : row.Residual + c;
            long column = ((long)ow0 * row.StrideW - row.PadW) * channels;
            int ow = ow0;
            // Four pixels at a time, sliding: each input column of a kernel row is loaded once and meets every pixel
            // whose window covers it (6 loads for 12 FMAs at stride 1, 9 at stride 2, against 12 one pixel at a time).
            if (row.DilationW == 1 && row.StrideW <= 2)
            {
                bool two = row.StrideW == 2;
                for (; ow + 4 <= ow1; ow += 4, column += 4 * stride)
                {
                    TVec a0 = b, a1 = b, a2 = b, a3 = b;
                    if (two)
                    {
                        SlideStride2<TOps, TVec>(r0 + column, channels, w0, w1, w2, ref a0, ref a1, ref a2, ref a3);
                        SlideStride2<TOps, TVec>(r1 + column, channels, w3, w4, w5, ref a0, ref a1, ref a2, ref a3);
                        SlideStride2<TOps, TVec>(r2 + column, channels, w6, w7, w8, ref a0, ref a1, ref a2, ref a3);
                    }
                    else
                    {
                        SlideStride1<TOps, TVec>(r0 + column, channels, w0, w1, w2, ref a0, ref a1, ref a2, ref a3);
                        SlideStride1<TOps, TVec>(r1 + column, channels, w3, w4, w5, ref a0, ref a1, ref a2, ref a3);
                        SlideStride1<TOps, TVec>(r2 + column, channels, w6, w7, w8, ref a0, ref a1, ref a2, ref a3);
                    }
                    long at4 = (long)ow * channels;
                    Store<TOps, TVec>(row, y, res, at4, a0, lo, hi);
                    Store<TOps, TVec>(row, y, res, at4 + channels, a1, lo, hi);
                    Store<TOps, TVec>(row, y, res, at4 + 2 * channels, a2, lo, hi);
                    Store<TOps, TVec>(row, y, res, at4 + 3 * channels, a3, lo, hi);
                }
            }
            for (; ow < ow1; ow++, column += stride)
            {
                var acc = b;
                acc = TOps.MultiplyAdd(TOps.Load(r0 + column), w0, acc);
                acc = TOps.MultiplyAdd(TOps.Load(r0 + column + dilation), w1, acc);
                acc = TOps.MultiplyAdd(TOps.Load(r0 + column + 2 * dilation), w2, acc);
                var acc1 = TOps.Multiply(TOps.Load(r1 + column), w3);
                acc1 = TOps.MultiplyAdd(TOps.Load(r1 + column + dilation), w4, acc1);
                acc1 = TOps.MultiplyAdd(TOps.Load(r1 + column + 2 * dilation), w5, acc1);
                var acc2 = TOps.Multiply(TOps.Load(r2 + column), w6);
                acc2 = TOps.MultiplyAdd(TOps.Load(r2 + column + dilation), w7, acc2);
                acc2 = TOps.MultiplyAdd(TOps.Load(r2 + column + 2 * dilation), w8, acc2);
                acc = TOps.Add(acc, TOps.Add(acc1, acc2));
                long at = (long)ow * channels;
                if (res != null) acc = TOps.Add(acc, TOps.Load(res + at));
                if (row.Clamp) acc = TOps.Clamp(acc, lo, hi);
                TOps.Store(acc, y + at);
            }
        }
        return c;
    }

    /// <summary>One kernel row (weights <paramref name="wa"/>, <paramref name="wb"/>, <paramref name="wc"/>) of four
    /// stride-1 pixels: input columns 0-5 from <paramref name="x"/>, pixel p takes column j with weight j - p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SlideStride1<TOps, TVec>(float* x, long ch, TVec wa, TVec wb, TVec wc, ref TVec a0, ref TVec a1, ref TVec a2, ref TVec a3)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        var v = TOps.Load(x);
        a0 = TOps.MultiplyAdd(v, wa, a0);
        v = TOps.Load(x + ch);
        a0 = TOps.MultiplyAdd(v, wb, a0); a1 = TOps.MultiplyAdd(v, wa, a1);
        v = TOps.Load(x + 2 * ch);
        a0 = TOps.MultiplyAdd(v, wc, a0); a1 = TOps.MultiplyAdd(v, wb, a1); a2 = TOps.MultiplyAdd(v, wa, a2);
        v = TOps.Load(x + 3 * ch);
        a1 = TOps.MultiplyAdd(v, wc, a1); a2 = TOps.MultiplyAdd(v, wb, a2); a3 = TOps.MultiplyAdd(v, wa, a3);
        v = TOps.Load(x + 4 * ch);
        a2 = TOps.MultiplyAdd(v, wc, a2); a3 = TOps.MultiplyAdd(v, wb, a3);
        a3 = TOps.MultiplyAdd(TOps.Load(x + 5 * ch), wc, a3);
    }

    /// <summary>One kernel row of four stride-2 pixels: input columns 0-8, pixel p takes column j with weight j - 2p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SlideStride2<TOps, TVec>(float* x, long ch, TVec wa, TVec wb, TVec wc, ref TVec a0, ref TVec a1, ref TVec a2, ref TVec a3)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        a0 = TOps.MultiplyAdd(TOps.Load(x), wa, a0);
        a0 = TOps.MultiplyAdd(TOps.Load(x + ch), wb, a0);
        var v = TOps.Load(x + 2 * ch);
        a0 = TOps.MultiplyAdd(v, wc, a0); a1 = TOps.MultiplyAdd(v, wa, a1);
        a1 = TOps.MultiplyAdd(TOps.Load(x + 3 * ch), wb, a1);
        v = TOps.Load(x + 4 * ch);
        a1 = TOps.MultiplyAdd(v, wc, a1); a2 = TOps.MultiplyAdd(v, wa, a2);
        a2 = TOps.MultiplyAdd(TOps.Load(x + 5 * ch), wb, a2);
        v = TOps.Load(x + 6 * ch);
        a2 = TOps.MultiplyAdd(v, wc, a2); a3 = TOps.MultiplyAdd(v, wa, a3);
        a3 = TOps.MultiplyAdd(TOps.Load(x + 7 * ch), wb, a3);
        a3 = TOps.MultiplyAdd(TOps.Load(x + 8 * ch), wc, a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TOps, TVec>(in DepthwiseRow row, float* y, float* residual, long at, TVec acc, TVec lo, TVec hi)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        if (residual != null) acc = TOps.Add(acc, TOps.Load(residual + at));
        if (row.Clamp) acc = TOps.Clamp(acc, lo, hi);
        TOps.Store(acc, y + at);
    }
}
