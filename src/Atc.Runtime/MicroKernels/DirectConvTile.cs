using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Floats between the input windows of neighbouring output pixels (stride x input channels) as a type, so the JIT
/// folds each pixel's offset into the broadcast's address.
/// </summary>
internal interface IPixelStep
{
    static abstract int Value { get; }
}

internal struct PixelStep1 : IPixelStep { public static int Value => 1; }
internal struct PixelStep2 : IPixelStep { public static int Value => 2; }
internal struct PixelStep3 : IPixelStep { public static int Value => 3; }
internal struct PixelStep4 : IPixelStep { public static int Value => 4; }
internal struct PixelStep6 : IPixelStep { public static int Value => 6; }
internal struct PixelStep8 : IPixelStep { public static int Value => 8; }

/// <summary>
/// Vectors of output channels a tile computes: two for a full block, one for a block whose valid channels fit in
/// one vector (16 output channels on AVX-512), which halves its multiply-adds instead of computing zeros.
/// </summary>
internal interface IBlockVectors
{
    static abstract bool Two { get; }
}

internal struct OneVector : IBlockVectors { public static bool Two => false; }
internal struct TwoVectors : IBlockVectors { public static bool Two => true; }

/// <summary>
/// One call of the direct convolution tile: a run of output pixels of one output row (at most the tile's pixel
/// count) x one block of output channels (two vectors wide). Input rows are read in place (or from a zero-padded
/// strip at the borders): row pointer kh points at pixel 0's first tap, and a kernel row is one contiguous run of
/// KW x C floats.
/// </summary>
internal unsafe struct DirectConvTile
{
    /// <summary>KH pointers; null for a kernel row outside the image (it adds nothing).</summary>
    public float** Rows;
    public int KernelRows;
    /// <summary>KW x C: floats of one kernel row.</summary>
    public int Run;
    /// <summary>The channel block's weights, [KH][KW][C][block width].</summary>
    public float* Weights;
    /// <summary>Output (and residual) at pixel 0, channel 0 of the block; pixels are <see cref="PixelStride"/> apart.</summary>
    public float* Y;
    public float* Residual;
    public nint PixelStride;
    /// <summary>The block's bias, block width values (zero-padded), or null.</summary>
    public float* Bias;
    public float Min, Max;
    public bool Clamp;
    /// <summary>Valid output pixels (the rest of the tile is computed on padding and dropped).</summary>
    public int Pixels;
    /// <summary>Valid channels of the block.</summary>
    public int Channels;
}

/// <summary>
/// Direct convolution for few input channels: output channels are the vector dimension (1 or 2 vectors, the weights
/// always laid out 2 vectors wide), up to 12 output pixels are the rows of the register tile, and every input value
/// is broadcast once per tile. The K loop runs over the kernel's rows and, inside a row, over KW x C contiguous
/// floats; the epilogue (bias, residual, clamp) is applied as the accumulators are stored. A tile with fewer valid
/// pixels (a row's last) still stores with vectors; only a block with fewer valid channels than it computes takes
/// the scalar edge write.
/// </summary>
[SkipLocalsInit]
internal static unsafe class DirectConvKernel<TOps, TVec, TPixels, TStep, TBlock>
    where TOps : struct, IFloatVector<TVec> where TVec : struct
    where TPixels : struct, IRowCount where TStep : struct, IPixelStep where TBlock : struct, IBlockVectors
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ref DirectConvTile t)
    {
        int n = TOps.Count, p = TPixels.Value, s = TStep.Value;
        bool two = TBlock.Two;
        TVec c0l = TOps.Zero, c0h = TOps.Zero, c1l = TOps.Zero, c1h = TOps.Zero, c2l = TOps.Zero, c2h = TOps.Zero;
        TVec c3l = TOps.Zero, c3h = TOps.Zero, c4l = TOps.Zero, c4h = TOps.Zero, c5l = TOps.Zero, c5h = TOps.Zero;
        TVec c6l = TOps.Zero, c6h = TOps.Zero, c7l = TOps.Zero, c7h = TOps.Zero, c8l = TOps.Zero, c8h = TOps.Zero;
        TVec c9l = TOps.Zero, c9h = TOps.Zero, c10l = TOps.Zero, c10h = TOps.Zero, c11l = TOps.Zero, c11h = TOps.Zero;
        nint run = t.Run;
        float* w = t.Weights;
        for (int kh = 0; kh < t.KernelRows; kh++)
        {
            float* x = t.Rows[kh];
            if (x == null)
            {
                w += run * 2 * n;
                continue;
            }
            for (nint j = 0; j < run; j++, w += 2 * n)
            {
                TVec b0 = TOps.Load(w), b1 = two ? TOps.Load(w + n) : TOps.Zero, a;
                a = TOps.Broadcast(x[j]); c0l = TOps.MultiplyAdd(a, b0, c0l); if (two) c0h = TOps.MultiplyAdd(a, b1, c0h);
                a = TOps.Broadcast(x[j + s]); c1l = TOps.MultiplyAdd(a, b0, c1l); if (two) c1h = TOps.MultiplyAdd(a, b1, c1h);
                a = TOps.Broadcast(x[j + 2 * s]); c2l = TOps.MultiplyAdd(a, b0, c2l); if (two) c2h = TOps.MultiplyAdd(a, b1, c2h);
                a = TOps.Broadcast(x[j + 3 * s]); c3l = TOps.MultiplyAdd(a, b0, c3l); if (two) c3h = TOps.MultiplyAdd(a, b1, c3h);
                a = TOps.Broadcast(x[j + 4 * s]); c4l = TOps.MultiplyAdd(a, b0, c4l); if (two) c4h = TOps.MultiplyAdd(a, b1, c4h);
                a = TOps.Broadcast(x[j + 5 * s]); c5l = TOps.MultiplyAdd(a, b0, c5l); if (two) c5h = TOps.MultiplyAdd(a, b1, c5h);
                if (p > 6)
                {
                    a = TOps.Broadcast(x[j + 6 * s]); c6l = TOps.MultiplyAdd(a, b0, c6l); if (two) c6h = TOps.MultiplyAdd(a, b1, c6h);
                    a = TOps.Broadcast(x[j + 7 * s]); c7l = TOps.MultiplyAdd(a, b0, c7l); if (two) c7h = TOps.MultiplyAdd(a, b1, c7h);
                    a = TOps.Broadcast(x[j + 8 * s]); c8l = TOps.MultiplyAdd(a, b0, c8l); if (two) c8h = TOps.MultiplyAdd(a, b1, c8h);
                    a = TOps.Broadcast(x[j + 9 * s]); c9l = TOps.MultiplyAdd(a, b0, c9l); if (two) c9h = TOps.MultiplyAdd(a, b1, c9h);
                    a = TOps.Broadcast(x[j + 10 * s]); c10l = TOps.MultiplyAdd(a, b0, c10l); if (two) c10h = TOps.MultiplyAdd(a, b1, c10h);
                    a = TOps.Broadcast(x[j + 11 * s]); c11l = TOps.MultiplyAdd(a, b0, c11l); if (two) c11h = TOps.MultiplyAdd(a, b1, c11h);
                }
            }
        }
        if (t.Channels == (two ? 2 * n : n))
        {
            // The epilogue's operands in registers once: the stores to Y could alias them, so they would be reloaded.
            var e = new Epilogue
            {
                HasBias = t.Bias != null,
                BiasLo = t.Bias != null ? TOps.Load(t.Bias) : TOps.Zero,
                BiasHi = t.Bias != null && two ? TOps.Load(t.Bias + n) : TOps.Zero,
                Clamp = t.Clamp,
                Min = TOps.Broadcast(t.Min),
                Max = TOps.Broadcast(t.Max),
                Y = t.Y,
                Residual = t.Residual,
                Stride = t.PixelStride,
            };
            // A row's last tile may hold fewer valid pixels: the rest were computed on padding and are dropped here.
            int valid = t.Pixels;
            Store(e, 0, c0l, c0h); if (valid > 1) Store(e, 1, c1l, c1h); if (valid > 2) Store(e, 2, c2l, c2h);
            if (valid > 3) Store(e, 3, c3l, c3h); if (valid > 4) Store(e, 4, c4l, c4h); if (valid > 5) Store(e, 5, c5l, c5h);
            if (p > 6)
            {
                if (valid > 6) Store(e, 6, c6l, c6h); if (valid > 7) Store(e, 7, c7l, c7h); if (valid > 8) Store(e, 8, c8l, c8h);
                if (valid > 9) Store(e, 9, c9l, c9h); if (valid > 10) Store(e, 10, c10l, c10h); if (valid > 11) Store(e, 11, c11l, c11h);
            }
            return;
        }
        // An edge tile: stage the accumulators (widest: 12 pixels x 2 x 16 floats) and write what is valid.
        float* tile = stackalloc float[12 * 32];
        TOps.Store(c0l, tile + 0 * n); TOps.Store(c0h, tile + 1 * n);
        TOps.Store(c1l, tile + 2 * n); TOps.Store(c1h, tile + 3 * n);
        TOps.Store(c2l, tile + 4 * n); TOps.Store(c2h, tile + 5 * n);
        TOps.Store(c3l, tile + 6 * n); TOps.Store(c3h, tile + 7 * n);
        TOps.Store(c4l, tile + 8 * n); TOps.Store(c4h, tile + 9 * n);
        TOps.Store(c5l, tile + 10 * n); TOps.Store(c5h, tile + 11 * n);
        if (p > 6)
        {
            TOps.Store(c6l, tile + 12 * n); TOps.Store(c6h, tile + 13 * n);
            TOps.Store(c7l, tile + 14 * n); TOps.Store(c7h, tile + 15 * n);
            TOps.Store(c8l, tile + 16 * n); TOps.Store(c8h, tile + 17 * n);
            TOps.Store(c9l, tile + 18 * n); TOps.Store(c9h, tile + 19 * n);
            TOps.Store(c10l, tile + 20 * n); TOps.Store(c10h, tile + 21 * n);
            TOps.Store(c11l, tile + 22 * n); TOps.Store(c11h, tile + 23 * n);
        }
        DirectConvEdge.Write(ref t, tile, 2 * n);
    }

    private struct Epilogue
    {
        public bool HasBias, Clamp;
        public TVec BiasLo, BiasHi, Min, Max;
        public float* Y, Residual;
        public nint Stride;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(in Epilogue e, int pixel, TVec lo, TVec hi)
    {
        int n = TOps.Count;
        float* y = e.Y + pixel * e.Stride;
        bool two = TBlock.Two;
        if (e.HasBias)
        {
            lo = TOps.Add(lo, e.BiasLo);
            if (two) hi = TOps.Add(hi, e.BiasHi);
        }
        if (e.Residual != null)
        {
            float* r = e.Residual + pixel * e.Stride;
            lo = TOps.Add(lo, TOps.Load(r));
            if (two) hi = TOps.Add(hi, TOps.Load(r + n));
        }
        if (e.Clamp)
        {
            lo = TOps.Clamp(lo, e.Min, e.Max);
            if (two) hi = TOps.Clamp(hi, e.Min, e.Max);
        }
        TOps.Store(lo, y);
        if (two) TOps.Store(hi, y + n);
    }
}

/// <summary>Scalar write of an edge tile (fewer pixels or channels than the tile holds), same epilogue.</summary>
internal static unsafe class DirectConvEdge
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Write(ref DirectConvTile t, float* tile, int width)
    {
        for (int p = 0; p < t.Pixels; p++, tile += width)
        {
            float* y = t.Y + p * t.PixelStride;
            float* r = t.Residual == null ? null : t.Residual + p * t.PixelStride;
            for (int c = 0; c < t.Channels; c++)
            {
                float v = tile[c];
                if (t.Bias != null) v += t.Bias[c];
                if (r != null) v += r[c];
                if (t.Clamp) v = MathF.Min(MathF.Max(v, t.Min), t.Max);
                y[c] = v;
            }
        }
    }
}
