using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>
/// The int8 micro-kernel: a tile of <see cref="Rows"/> x <see cref="Columns"/> int32 sums Σk A[r, k] · B[k, c] of an
/// unsigned A panel (<see cref="Int8WeightPanels"/>: [K/4][Rows][4]) and a signed B panel
/// (<see cref="Int8ActivationPanels"/>: [K/4][Columns][4]). Every path computes exact int32 sums, so they agree bit for
/// bit. Six rows by two 8-lane vectors keep twelve accumulators, two B vectors and one broadcast in the sixteen
/// registers that VEX-encoded AVX code has.
/// </summary>
internal static unsafe class Int8Tile
{
    public const int Rows = 6;
    public const int Columns = 16;

    /// <summary>Writes the tile row-major (Rows x Columns) to <paramref name="tile"/>.</summary>
    public static void Multiply(Int8Path path, byte* a, sbyte* b, int kQuads, int* tile)
    {
        switch (path)
        {
            case Int8Path.AvxVnni: Vnni(a, b, kQuads, tile); break;
            case Int8Path.Avx2: Widened(a, b, kQuads, tile); break;
            default: Portable(a, b, kQuads, tile); break;
        }
    }

    private static void Portable(byte* a, sbyte* b, int kQuads, int* tile)
    {
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Columns; c++)
            {
                int sum = 0;
                for (int q = 0; q < kQuads; q++)
                {
                    byte* x = a + (q * Rows + r) * 4;
                    sbyte* y = b + (q * Columns + c) * 4;
                    sum += x[0] * y[0] + x[1] * y[1] + x[2] * y[2] + x[3] * y[3];
                }
                tile[r * Columns + c] = sum;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Vnni(byte* a, sbyte* b, int kQuads, int* tile)
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int q = 0; q < kQuads; q++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 32);
            b += Columns * 4;
            var x = Vector256.Create(*(int*)a).AsByte();
            c00 = AvxVnni.MultiplyWideningAndAdd(c00, x, b0); c01 = AvxVnni.MultiplyWideningAndAdd(c01, x, b1);
            x = Vector256.Create(*(int*)(a + 4)).AsByte();
            c10 = AvxVnni.MultiplyWideningAndAdd(c10, x, b0); c11 = AvxVnni.MultiplyWideningAndAdd(c11, x, b1);
            x = Vector256.Create(*(int*)(a + 8)).AsByte();
            c20 = AvxVnni.MultiplyWideningAndAdd(c20, x, b0); c21 = AvxVnni.MultiplyWideningAndAdd(c21, x, b1);
            x = Vector256.Create(*(int*)(a + 12)).AsByte();
            c30 = AvxVnni.MultiplyWideningAndAdd(c30, x, b0); c31 = AvxVnni.MultiplyWideningAndAdd(c31, x, b1);
            x = Vector256.Create(*(int*)(a + 16)).AsByte();
            c40 = AvxVnni.MultiplyWideningAndAdd(c40, x, b0); c41 = AvxVnni.MultiplyWideningAndAdd(c41, x, b1);
            x = Vector256.Create(*(int*)(a + 20)).AsByte();
            c50 = AvxVnni.MultiplyWideningAndAdd(c50, x, b0); c51 = AvxVnni.MultiplyWideningAndAdd(c51, x, b1);
            a += Rows * 4;
        }
        c00.Store(tile); c01.Store(tile + 8); c10.Store(tile + 16); c11.Store(tile + 24);
        c20.Store(tile + 32); c21.Store(tile + 40); c30.Store(tile + 48); c31.Store(tile + 56);
        c40.Store(tile + 64); c41.Store(tile + 72); c50.Store(tile + 80); c51.Store(tile + 88);
    }

    /// <summary>AVX2 without VNNI, exact: B's bytes are sign-extended to int16 and A's four bytes zero-extended and
    /// repeated, so vpmaddwd gives two int32 partial sums per column (k0+k1, k2+k3), added pairwise at the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Widened(byte* a, sbyte* b, int kQuads, int* tile)
    {
        for (int r = 0; r < Rows; r++)
        {
            Vector256<int> s0 = default, s1 = default, s2 = default, s3 = default;
            sbyte* panel = b;
            byte* x = a + r * 4;
            for (int q = 0; q < kQuads; q++)
            {
                var weights = Vector256.Create((long)Avx2.ConvertToVector256Int16(Vector128.CreateScalarUnsafe(*(int*)x).AsByte()).AsInt64().ToScalar()).AsInt16();
                s0 = Avx2.Add(s0, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.Load(panel)), weights));
                s1 = Avx2.Add(s1, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.Load(panel + 16)), weights));
                s2 = Avx2.Add(s2, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.Load(panel + 32)), weights));
                s3 = Avx2.Add(s3, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.Load(panel + 48)), weights));
                panel += Columns * 4;
                x += Rows * 4;
            }
            // s0 holds columns 0-3 as (k01, k23) pairs; hadd works per 128-bit lane, the permute restores column order.
            var low = Avx2.Permute4x64(Avx2.HorizontalAdd(s0, s1).AsInt64(), 0b11_01_10_00).AsInt32();
            var high = Avx2.Permute4x64(Avx2.HorizontalAdd(s2, s3).AsInt64(), 0b11_01_10_00).AsInt32();
            low.Store(tile + r * Columns);
            high.Store(tile + r * Columns + 8);
        }
    }

    /// <summary>Σk B[k, c] of a B panel, per column (the zero-point correction of A's zero point).</summary>
    public static void ColumnSums(Int8Path path, sbyte* b, int kQuads, int* sums)
    {
        if (path == Int8Path.Portable)
        {
            for (int c = 0; c < Columns; c++)
            {
                int sum = 0;
                for (int q = 0; q < kQuads; q++)
                {
                    sbyte* y = b + (q * Columns + c) * 4;
                    sum += y[0] + y[1] + y[2] + y[3];
                }
                sums[c] = sum;
            }
            return;
        }
        var ones = Vector256.Create((byte)1).AsSByte();
        var pairs = Vector256.Create((short)1);
        Vector256<int> s0 = default, s1 = default;
        for (int q = 0; q < kQuads; q++)
        {
            // 1·b + 1·b fits int16 (at most 256), so vpmaddubsw is exact here.
            s0 = Avx2.Add(s0, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(ones.AsByte(), Vector256.Load(b)), pairs));
            s1 = Avx2.Add(s1, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(ones.AsByte(), Vector256.Load(b + 32)), pairs));
            b += Columns * 4;
        }
        s0.Store(sums);
        s1.Store(sums + 8);
    }
}
