using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>
/// The channels-last int8 micro-kernel: <see cref="Pixels"/> output pixels x <see cref="Channels"/> output channels of
/// int32 sums Σ_segment Σ_k x[pixel, segment, k] · w[segment, k, o], reading the activations in place through one
/// pointer per pixel and segment (an indirection table over <see cref="Int8PixelSegments"/>: a padded tap or a missing
/// pixel points at a row of x's zero point), so there is no im2col copy and a stride-2 conv reads its rows like any other. The activations are the unsigned operand of
/// vpdpbusd (uint8 as they are; int8 flipped by +128 as they are broadcast) and the weights the signed one
/// (<see cref="Int8PixelWeights"/>). Sums are exact int32 on every path, so the paths agree bit for bit.
/// </summary>
internal static unsafe class Int8PixelTile
{
    public const int Pixels = 6;
    public const int Channels = 16;

    /// <summary>Writes the tile pixel-major (Pixels x Channels) to <paramref name="tile"/>. <paramref name="rows"/>
    /// holds Pixels pointers per segment; each pointer is read for 4 · quads bytes.</summary>
    public static void Multiply(Int8Path path, bool flip, byte** rows, int segments, int quads, sbyte* weights, int* tile)
    {
        switch (path)
        {
            case Int8Path.AvxVnni when flip: Vnni<Flipped>(rows, segments, quads, weights, tile); break;
            case Int8Path.AvxVnni: Vnni<AsIs>(rows, segments, quads, weights, tile); break;
            case Int8Path.Avx2: Widened(flip, rows, segments, quads, weights, tile); break;
            default: Portable(flip, rows, segments, quads, weights, tile); break;
        }
    }

    /// <summary>How a broadcast group of four activation bytes becomes vpdpbusd's unsigned operand.</summary>
    private interface IActivationBytes
    {
        static abstract Vector256<byte> Broadcast(byte* at);
    }

    private readonly struct AsIs : IActivationBytes
    {
        public static Vector256<byte> Broadcast(byte* at) => Vector256.Create(*(int*)at).AsByte();
    }

    private readonly struct Flipped : IActivationBytes
    {
        public static Vector256<byte> Broadcast(byte* at) => Vector256.Create(*(int*)at ^ unchecked((int)0x80808080)).AsByte();
    }

    private static void Portable(bool flip, byte** rows, int segments, int quads, sbyte* weights, int* tile)
    {
        int shift = flip ? 0x80 : 0;
        new Span<int>(tile, Pixels * Channels).Clear();
        for (int t = 0; t < segments; t++)
            for (int p = 0; p < Pixels; p++)
            {
                byte* x = rows[t * Pixels + p];
                sbyte* w = weights + (long)t * quads * Channels * 4;
                for (int q = 0; q < quads; q++, w += Channels * 4)
                    for (int o = 0; o < Channels; o++)
                    {
                        int sum = 0;
                        for (int j = 0; j < 4; j++) sum += (x[4 * q + j] ^ shift) * w[o * 4 + j];
                        tile[p * Channels + o] += sum;
                    }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Vnni<TBytes>(byte** rows, int segments, int quads, sbyte* weights, int* tile) where TBytes : IActivationBytes
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        sbyte* w = weights;
        for (int t = 0; t < segments; t++, rows += Pixels)
        {
            byte* p0 = rows[0], p1 = rows[1], p2 = rows[2], p3 = rows[3], p4 = rows[4], p5 = rows[5];
            for (int q = 0; q < quads; q++)
            {
                var b0 = Vector256.Load(w);
                var b1 = Vector256.Load(w + 32);
                w += Channels * 4;
                int at = 4 * q;
                var x = TBytes.Broadcast(p0 + at);
                c00 = AvxVnni.MultiplyWideningAndAdd(c00, x, b0); c01 = AvxVnni.MultiplyWideningAndAdd(c01, x, b1);
                x = TBytes.Broadcast(p1 + at);
                c10 = AvxVnni.MultiplyWideningAndAdd(c10, x, b0); c11 = AvxVnni.MultiplyWideningAndAdd(c11, x, b1);
                x = TBytes.Broadcast(p2 + at);
                c20 = AvxVnni.MultiplyWideningAndAdd(c20, x, b0); c21 = AvxVnni.MultiplyWideningAndAdd(c21, x, b1);
                x = TBytes.Broadcast(p3 + at);
                c30 = AvxVnni.MultiplyWideningAndAdd(c30, x, b0); c31 = AvxVnni.MultiplyWideningAndAdd(c31, x, b1);
                x = TBytes.Broadcast(p4 + at);
                c40 = AvxVnni.MultiplyWideningAndAdd(c40, x, b0); c41 = AvxVnni.MultiplyWideningAndAdd(c41, x, b1);
                x = TBytes.Broadcast(p5 + at);
                c50 = AvxVnni.MultiplyWideningAndAdd(c50, x, b0); c51 = AvxVnni.MultiplyWideningAndAdd(c51, x, b1);
            }
        }
        c00.Store(tile); c01.Store(tile + 8); c10.Store(tile + 16); c11.Store(tile + 24);
        c20.Store(tile + 32); c21.Store(tile + 40); c30.Store(tile + 48); c31.Store(tile + 56);
        c40.Store(tile + 64); c41.Store(tile + 72); c50.Store(tile + 80); c51.Store(tile + 88);
    }

    /// <summary>AVX2 without VNNI, exact: the weights sign-extended to int16 and the four activation bytes
    /// zero-extended and repeated, so vpmaddwd gives two int32 partial sums per channel (k0+k1, k2+k3), added
    /// pairwise at the end (vpmaddubsw would saturate 255·127·2 at int16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Widened(bool flip, byte** rows, int segments, int quads, sbyte* weights, int* tile)
    {
        int shift = flip ? unchecked((int)0x80808080) : 0;
        for (int p = 0; p < Pixels; p++)
        {
            Vector256<int> s0 = default, s1 = default, s2 = default, s3 = default;
            sbyte* w = weights;
            for (int t = 0; t < segments; t++)
            {
                byte* x = rows[t * Pixels + p];
                for (int q = 0; q < quads; q++, w += Channels * 4)
                {
                    var bytes = Vector128.CreateScalarUnsafe(*(int*)(x + 4 * q) ^ shift).AsByte();
                    var pairs = Vector256.Create(Avx2.ConvertToVector256Int16(bytes).AsInt64().ToScalar()).AsInt16();
                    s0 = Avx2.Add(s0, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.Load(w)), pairs));
                    s1 = Avx2.Add(s1, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.Load(w + 16)), pairs));
                    s2 = Avx2.Add(s2, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.Load(w + 32)), pairs));
                    s3 = Avx2.Add(s3, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.Load(w + 48)), pairs));
                }
            }
            // s0 holds channels 0-3 as (k01, k23) pairs; hadd works per 128-bit lane, the permute restores the order.
            var low = Avx2.Permute4x64(Avx2.HorizontalAdd(s0, s1).AsInt64(), 0b11_01_10_00).AsInt32();
            var high = Avx2.Permute4x64(Avx2.HorizontalAdd(s2, s3).AsInt64(), 0b11_01_10_00).AsInt32();
            low.Store(tile + p * Channels);
            high.Store(tile + p * Channels + 8);
        }
    }
}
