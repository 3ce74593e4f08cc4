using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// One call of the narrow-group direct convolution: a run of output pixels of one output row (at most the tile's
/// pixel count) x one or two vectors of one group's output channels. The input is a zero-padded channels-last image,
/// so every tap is inside it; pixel p's tap (kh, kw) starts at X + p * PixelStep + kh * RowStep + kw * TapStep.
/// </summary>
internal unsafe struct NarrowGroupTile
{
    /// <summary>Pixel 0's first tap, at the group's first input channel.</summary>
    public float* X;
    public nint PixelStep, TapStep, RowStep;
    public int KernelRows, KernelCols;
    /// <summary>Input channels of the group: the multiply-adds per tap.</summary>
    public int Channels;
    /// <summary>The vectors' weights, [KH][KW][Channels][block lanes], at the first vector's lane.</summary>
    public float* Weights;
    /// <summary>Floats between two input channels' weight rows (the block's lane count).</summary>
    public nint WeightStep;
    /// <summary>Output (and residual) at pixel 0, the first vector's first channel.</summary>
    public float* Y;
    public float* Residual;
    public nint OutputStride, ResidualStride;
    /// <summary>The vectors' bias (zero-padded to whole vectors), or null.</summary>
    public float* Bias;
    public float Min, Max;
    public bool Clamp;
    /// <summary>Valid output pixels (the rest were computed on padding or the next row and are dropped).</summary>
    public int Pixels;
    /// <summary>Valid output channels of the vectors (fewer than they hold at a group's last lanes).</summary>
    public int Lanes;
}

/// <summary>
/// Direct convolution for groups with few output channels: the group's output channels are the vector dimension (1
/// or 2 vectors), up to 8 output pixels are the rows of the register tile, and each input value is broadcast once per
/// tile. The K loop runs over taps and, inside a tap, over the group's input channels; every input of the group is
/// read in place from the padded image. Bias, residual and clamp are applied as the accumulators are stored.
/// </summary>
[SkipLocalsInit]
internal static unsafe class NarrowGroupKernel<TOps, TVec, TPixels, TBlock>
    where TOps : struct, IFloatVector<TVec> where TVec : struct
    where TPixels : struct, IRowCount where TBlock : struct, IBlockVectors
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ref NarrowGroupTile t)
    {
        int n = TOps.Count, p = TPixels.Value;
        bool two = TBlock.Two;
        TVec c0l = TOps.Zero, c0h = TOps.Zero, c1l = TOps.Zero, c1h = TOps.Zero, c2l = TOps.Zero, c2h = TOps.Zero;
        TVec c3l = TOps.Zero, c3h = TOps.Zero, c4l = TOps.Zero, c4h = TOps.Zero, c5l = TOps.Zero, c5h = TOps.Zero;
        TVec c6l = TOps.Zero, c6h = TOps.Zero, c7l = TOps.Zero, c7h = TOps.Zero;
        nint s = t.PixelStep, ws = t.WeightStep;
        int channels = t.Channels;
        float* w = t.Weights;
        float* row = t.X;
        for (int kh = 0; kh < t.KernelRows; kh++, row += t.RowStep)
        {
            float* tap = row;
            for (int kw = 0; kw < t.KernelCols; kw++, tap += t.TapStep)
            {
                // One pointer per pixel keeps each broadcast a single addressing mode.
                float* x0 = tap, x1 = tap + s, x2 = tap + 2 * s, x3 = tap + 3 * s, x4 = tap + 4 * s, x5 = tap + 5 * s;
                float* x6 = tap + 6 * s, x7 = tap + 7 * s;
                for (int c = 0; c < channels; c++, w += ws)
                {
                    TVec b0 = TOps.Load(w), b1 = two ? TOps.Load(w + n) : TOps.Zero, a;
                    a = TOps.Broadcast(x0[c]); c0l = TOps.MultiplyAdd(a, b0, c0l); if (two) c0h = TOps.MultiplyAdd(a, b1, c0h);
                    a = TOps.Broadcast(x1[c]); c1l = TOps.MultiplyAdd(a, b0, c1l); if (two) c1h = TOps.MultiplyAdd(a, b1, c1h);
                    a = TOps.Broadcast(x2[c]); c2l = TOps.MultiplyAdd(a, b0, c2l); if (two) c2h = TOps.MultiplyAdd(a, b1, c2h);
                    a = TOps.Broadcast(x3[c]); c3l = TOps.MultiplyAdd(a, b0, c3l); if (two) c3h = TOps.MultiplyAdd(a, b1, c3h);
                    a = TOps.Broadcast(x4[c]); c4l = TOps.MultiplyAdd(a, b0, c4l); if (two) c4h = TOps.MultiplyAdd(a, b1, c4h);
                    a = TOps.Broadcast(x5[c]); c5l = TOps.MultiplyAdd(a, b0, c5l); if (two) c5h = TOps.MultiplyAdd(a, b1, c5h);
                    if (p > 6)
                    {
                        a = TOps.Broadcast(x6[c]); c6l = TOps.MultiplyAdd(a, b0, c6l); if (two) c6h = TOps.MultiplyAdd(a, b1, c6h);
                        a = TOps.Broadcast(x7[c]); c7l = TOps.MultiplyAdd(a, b0, c7l); if (two) c7h = TOps.MultiplyAdd(a, b1, c7h);
                    }
                }
            }
        }
        if (t.Lanes == (two ? 2 * n : n))
        {
            int valid = t.Pixels;
            Store(ref t, 0, c0l, c0h); if (valid > 1) Store(ref t, 1, c1l, c1h); if (valid > 2) Store(ref t, 2, c2l, c2h);
            if (valid > 3) Store(ref t, 3, c3l, c3h); if (valid > 4) Store(ref t, 4, c4l, c4h); if (valid > 5) Store(ref t, 5, c5l, c5h);
            if (p > 6)
            {
                if (valid > 6) Store(ref t, 6, c6l, c6h);
                if (valid > 7) Store(ref t, 7, c7l, c7h);
            }
            return;
        }
        // A group's last lanes: stage the accumulators (widest: 8 pixels x 2 x 16 floats) and write what is valid.
        float* staged = stackalloc float[8 * 32];
        int width = 2 * n;
        TOps.Store(c0l, staged); TOps.Store(c0h, staged + n);
        TOps.Store(c1l, staged + width); TOps.Store(c1h, staged + width + n);
        TOps.Store(c2l, staged + 2 * width); TOps.Store(c2h, staged + 2 * width + n);
        TOps.Store(c3l, staged + 3 * width); TOps.Store(c3h, staged + 3 * width + n);
        TOps.Store(c4l, staged + 4 * width); TOps.Store(c4h, staged + 4 * width + n);
        TOps.Store(c5l, staged + 5 * width); TOps.Store(c5h, staged + 5 * width + n);
        TOps.Store(c6l, staged + 6 * width); TOps.Store(c6h, staged + 6 * width + n);
        TOps.Store(c7l, staged + 7 * width); TOps.Store(c7h, staged + 7 * width + n);
        NarrowGroupEdge.Write(ref t, staged, width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref NarrowGroupTile t, int pixel, TVec lo, TVec hi)
    {
        int n = TOps.Count;
        bool two = TBlock.Two;
        if (t.Bias != null)
        {
            lo = TOps.Add(lo, TOps.Load(t.Bias));
            if (two) hi = TOps.Add(hi, TOps.Load(t.Bias + n));
        }
        if (t.Residual != null)
        {
            float* r = t.Residual + pixel * t.ResidualStride;
            lo = TOps.Add(lo, TOps.Load(r));
            if (two) hi = TOps.Add(hi, TOps.Load(r + n));
        }
        if (t.Clamp)
        {
            TVec min = TOps.Broadcast(t.Min), max = TOps.Broadcast(t.Max);
            lo = TOps.Clamp(lo, min, max);
            if (two) hi = TOps.Clamp(hi, min, max);
        }
        float* y = t.Y + pixel * t.OutputStride;
        TOps.Store(lo, y);
        if (two) TOps.Store(hi, y + n);
    }
}

/// <summary>Scalar write of a tile with fewer valid channels than its vectors hold, same epilogue.</summary>
internal static unsafe class NarrowGroupEdge
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Write(ref NarrowGroupTile t, float* staged, int width)
    {
        for (int p = 0; p < t.Pixels; p++, staged += width)
        {
            float* y = t.Y + p * t.OutputStride;
            float* r = t.Residual == null ? null : t.Residual + p * t.ResidualStride;
            for (int c = 0; c < t.Lanes; c++)
            {
                float v = staged[c];
                if (t.Bias != null) v += t.Bias[c];
                if (r != null) v += r[c];
                if (t.Clamp) v = MathF.Min(MathF.Max(v, t.Min), t.Max);
                y[c] = v;
            }
        }
    }
}
