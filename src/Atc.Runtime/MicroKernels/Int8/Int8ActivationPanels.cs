using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>
/// The signed operand of <see cref="Int8Tile"/> (a convolution's input columns): a [K, P] byte matrix (one row per
/// filter tap, one column per output pixel) packed per <see cref="Int8Tile.Columns"/> pixels as [K/4][16][4], each
/// value shifted to signed (uint8 - 128), K and the pixels padded with zeros; packed per run, with the column sums of
/// the shifted values.
/// </summary>
internal static unsafe class Int8ActivationPanels
{
    public static long PanelBytes(int k) => (long)Int8Tile.Columns * Int8WeightPanels.PaddedDepth(k);

    /// <summary>Packs pixels [p0, p0 + width) of rows k of <paramref name="source"/> (row k at source + k · stride).
    /// <paramref name="flip"/> is 0x80 for uint8 input (to int8) and 0 for int8.</summary>
    public static void Pack(Int8Path path, byte* source, long stride, int k, int p0, int width, byte flip, sbyte* panel)
    {
        int quads = Int8WeightPanels.PaddedDepth(k) / 4;
        if (width == Int8Tile.Columns && path != Int8Path.Portable && Sse2.IsSupported)
        {
            var mask = Vector128.Create(flip);
            // A missing row (K not a multiple of 4) reads as the value that becomes 0 after the flip.
            var neutral = Vector128.Create(flip);
            byte* at = source + p0;
            for (int q = 0; q < quads; q++, at += 4 * stride)
            {
                int rows = Math.Min(4, k - 4 * q);
                var r0 = Vector128.Load(at) ^ mask;
                var r1 = (rows > 1 ? Vector128.Load(at + stride) : neutral) ^ mask;
                var r2 = (rows > 2 ? Vector128.Load(at + 2 * stride) : neutral) ^ mask;
                var r3 = (rows > 3 ? Vector128.Load(at + 3 * stride) : neutral) ^ mask;
                var t0 = Sse2.UnpackLow(r0, r1).AsInt16();
                var t1 = Sse2.UnpackHigh(r0, r1).AsInt16();
                var t2 = Sse2.UnpackLow(r2, r3).AsInt16();
                var t3 = Sse2.UnpackHigh(r2, r3).AsInt16();
                byte* o = (byte*)panel + q * 64;
                Sse2.UnpackLow(t0, t2).AsByte().Store(o);
                Sse2.UnpackHigh(t0, t2).AsByte().Store(o + 16);
                Sse2.UnpackLow(t1, t3).AsByte().Store(o + 32);
                Sse2.UnpackHigh(t1, t3).AsByte().Store(o + 48);
            }
            return;
        }
        for (int q = 0; q < quads; q++)
            for (int c = 0; c < Int8Tile.Columns; c++)
                for (int j = 0; j < 4; j++)
                {
                    int kk = 4 * q + j;
                    panel[(q * Int8Tile.Columns + c) * 4 + j] = c < width && kk < k ? (sbyte)(source[kk * stride + p0 + c] ^ flip) : (sbyte)0;
                }
    }
}
