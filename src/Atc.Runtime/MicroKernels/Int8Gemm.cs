using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Integer GEMM with int32 accumulation for the quantised operators: C[m, n] = Σk (A[m, k] - za[m]) (B[k, n] - zb[n]).
/// Every combination of uint8/int8 operands becomes one form, unsigned A' x signed B' (A' = A + 128 for int8 A,
/// B' = B - 128 for uint8 B, zero points shifted alike), which AVX-VNNI's vpdpbusd multiplies four bytes at a time;
/// the zero points come back as row and column sums: C = Σ A'B' - zb' ΣA' - za' ΣB' + K za' zb'. Integer arithmetic
/// throughout, so the VNNI and portable paths are bit-exact with each other and with the reference formula.
/// B is packed as [column block of 16][K/4][16 columns][4 bytes] (K and N padded with zeros).
/// </summary>
internal static unsafe class Int8Gemm
{
    public const int Columns = 16;
    private const int Rows = 4;

    /// <summary>True when the VNNI path runs on this CPU at the current kernel ISA.</summary>
    public static bool VnniAvailable => AvxVnni.IsSupported && KernelIsa.Current != Isa.Portable;

    public static int PaddedDepth(int k) => (k + 3) & ~3;

    public static long PackedBBytes(int k, int n) => (long)(n + Columns - 1) / Columns * Columns * PaddedDepth(k);

    /// <summary>Packs B [k, n] (row stride <paramref name="ldb"/>) as signed bytes and writes its column sums.</summary>
    public static void PackB(byte* b, bool signed, int k, int n, int ldb, sbyte* packed, int* columnSums)
        => PackB(b, signed, k, n, ldb, 1, packed, columnSums);

    /// <summary>As above with any strides: element [kk, j] is at b[kk · kStride + j · nStride] (a convolution's weights
    /// [O, C·k] are B transposed).</summary>
    public static void PackB(byte* b, bool signed, int k, int n, long kStride, long nStride, sbyte* packed, int* columnSums)
    {
        int kp = PaddedDepth(k);
        new Span<byte>(packed, checked((int)PackedBBytes(k, n))).Clear();
        for (int j = 0; j < n; j++) columnSums[j] = 0;
        for (int kk = 0; kk < k; kk++)
            for (int j = 0; j < n; j++)
            {
                byte raw = b[kk * kStride + j * nStride];
                sbyte value = signed ? (sbyte)raw : (sbyte)(raw ^ 0x80);
                int block = j / Columns, column = j % Columns;
                packed[((long)block * (kp / 4) + kk / 4) * Columns * 4 + column * 4 + kk % 4] = value;
                columnSums[j] += value;
            }
    }

    /// <summary>Copies rows of A [m, k] (row stride <paramref name="lda"/>) as unsigned bytes padded to K/4 and writes
    /// their sums.</summary>
    public static void PackA(byte* a, bool signed, int m, int k, int lda, byte* packed, int* rowSums)
    {
        int kp = PaddedDepth(k);
        for (int i = 0; i < m; i++)
        {
            int sum = 0;
            byte* row = packed + (long)i * kp;
            for (int kk = 0; kk < k; kk++)
            {
                byte value = signed ? (byte)(a[(long)i * lda + kk] ^ 0x80) : a[(long)i * lda + kk];
                row[kk] = value;
                sum += value;
            }
            for (int kk = k; kk < kp; kk++) row[kk] = 0;
            rowSums[i] = sum;
        }
    }

    /// <summary>C[m, n] = Σk A'[m, k] B'[k, n] for rows [rowStart, rowEnd) of packed A and every column.</summary>
    public static void MultiplyRaw(byte* a, int rowStart, int rowEnd, int k, sbyte* b, int n, int* c, int ldc, bool vnni)
    {
        int kp = PaddedDepth(k);
        int* tile = stackalloc int[Rows * Columns];
        for (int j = 0; j < n; j += Columns)
        {
            sbyte* panel = b + (long)(j / Columns) * kp * Columns;
            int width = Math.Min(Columns, n - j);
            for (int i = rowStart; i < rowEnd; i += Rows)
            {
                int height = Math.Min(Rows, rowEnd - i);
                if (vnni) TileVnni(a + (long)i * kp, kp, height, panel, tile);
                else TilePortable(a + (long)i * kp, kp, height, panel, tile);
                for (int r = 0; r < height; r++)
                    new ReadOnlySpan<int>(tile + r * Columns, width).CopyTo(new Span<int>(c + (long)(i + r) * ldc + j, width));
            }
        }
    }

    private static void TilePortable(byte* a, int kp, int height, sbyte* panel, int* tile)
    {
        for (int r = 0; r < height; r++)
            for (int col = 0; col < Columns; col++)
            {
                int sum = 0;
                for (int kk = 0; kk < kp; kk++)
                    sum += a[(long)r * kp + kk] * panel[(kk / 4) * Columns * 4 + col * 4 + kk % 4];
                tile[r * Columns + col] = sum;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileVnni(byte* a, int kp, int height, sbyte* panel, int* tile)
    {
        var acc00 = Vector256<int>.Zero; var acc01 = Vector256<int>.Zero;
        var acc10 = Vector256<int>.Zero; var acc11 = Vector256<int>.Zero;
        var acc20 = Vector256<int>.Zero; var acc21 = Vector256<int>.Zero;
        var acc30 = Vector256<int>.Zero; var acc31 = Vector256<int>.Zero;
        // Rows past the height read row 0 again (always valid memory); their results are not stored.
        byte* a1 = height > 1 ? a + kp : a, a2 = height > 2 ? a + 2 * kp : a, a3 = height > 3 ? a + 3 * kp : a;
        for (int kq = 0; kq < kp; kq += 4)
        {
            var b0 = Vector256.Load(panel);
            var b1 = Vector256.Load(panel + 32);
            panel += Columns * 4;
            var x = Vector256.Create(*(int*)(a + kq)).AsByte();
            acc00 = AvxVnni.MultiplyWideningAndAdd(acc00, x, b0);
            acc01 = AvxVnni.MultiplyWideningAndAdd(acc01, x, b1);
            x = Vector256.Create(*(int*)(a1 + kq)).AsByte();
            acc10 = AvxVnni.MultiplyWideningAndAdd(acc10, x, b0);
            acc11 = AvxVnni.MultiplyWideningAndAdd(acc11, x, b1);
            x = Vector256.Create(*(int*)(a2 + kq)).AsByte();
            acc20 = AvxVnni.MultiplyWideningAndAdd(acc20, x, b0);
            acc21 = AvxVnni.MultiplyWideningAndAdd(acc21, x, b1);
            x = Vector256.Create(*(int*)(a3 + kq)).AsByte();
            acc30 = AvxVnni.MultiplyWideningAndAdd(acc30, x, b0);
            acc31 = AvxVnni.MultiplyWideningAndAdd(acc31, x, b1);
        }
        acc00.Store(tile); acc01.Store(tile + 8);
        acc10.Store(tile + 16); acc11.Store(tile + 24);
        acc20.Store(tile + 32); acc21.Store(tile + 40);
        acc30.Store(tile + 48); acc31.Store(tile + 56);
    }

    /// <summary>Turns raw products into Σ (A - za)(B - zb): <paramref name="aZero"/> per row (or one), <paramref name="bZero"/>
    /// per column (or one), both already shifted like the operands.</summary>
    public static void ApplyZeroPoints(int* c, int ldc, int rowStart, int rowEnd, int n, int k, int* rowSums, int* columnSums,
        ReadOnlySpan<int> aZero, ReadOnlySpan<int> bZero)
    {
        for (int i = rowStart; i < rowEnd; i++)
        {
            int za = aZero.Length == 1 ? aZero[0] : aZero[i];
            int* row = c + (long)i * ldc;
            for (int j = 0; j < n; j++)
            {
                int zb = bZero.Length == 1 ? bZero[0] : bZero[j];
                row[j] = unchecked(row[j] - zb * rowSums[i] - za * columnSums[j] + k * za * zb);
            }
        }
    }
}
