namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>
/// A quantised matmul's B [K, N] as the signed operand of <see cref="Int8PixelTile"/>: one segment of K bytes per row,
/// the N columns in blocks of <see cref="Int8PixelTile.Channels"/> (<see cref="Int8PixelWeights"/> with B read
/// transposed), then the int32 column sums Σk (b - c[n]) and the int32 c[n] each column was packed with. c[n] is the
/// column's zero point when every b - zp fits int8 (the usual symmetric int8 or uint8-with-128 weights: the zero point
/// then costs nothing), else the type's shift (128 for uint8, 0 for int8), and the kernel corrects the rest
/// r[n] = zp[n] - c[n] with A's row sums. One such blob per batch of B, back to back.
/// </summary>
internal static unsafe class Int8MatrixWeights
{
    public static Int8PixelSegments Segments(int k) => Int8PixelSegments.PerTap(1, 1, k);

    /// <summary>Bytes of the packed blocks and column sums of one batch (<see cref="Int8PixelWeights.TotalBytes"/>).</summary>
    private static long PanelAndSumBytes(int k, int n) => Int8PixelWeights.TotalBytes(1, Segments(k), n);

    /// <summary>Bytes of one batch's blob: packed blocks, column sums, packed-with zeros.</summary>
    public static long BatchBytes(int k, int n) => PanelAndSumBytes(k, n) + 4L * n;

    public static int* ColumnSums(byte* batch, int k, int n) => (int*)(batch + Int8PixelWeights.GroupBytes(Segments(k), n));

    public static int* PackedZeros(byte* batch, int k, int n) => (int*)(batch + PanelAndSumBytes(k, n));

    /// <summary>Packs <paramref name="batches"/> matrices [K, N] of <paramref name="source"/> (back to back) into
    /// <paramref name="packed"/>. <paramref name="zeroPoint"/>(n) is the column's zero point, or null when it is not known
    /// when packing (then every column is packed with the type's shift).</summary>
    public static void Pack<TSource>(TSource source, bool signed, int batches, int k, int n, Func<int, int>? zeroPoint, byte* packed)
        where TSource : struct, IInt8Source
    {
        int shift = signed ? 0 : 128;
        var zeros = new int[n];
        for (int t = 0; t < batches; t++)
        {
            var matrix = new TransposedInt8Source<TSource>(source, (long)t * k * n, k, n);
            for (int j = 0; j < n; j++)
                zeros[j] = zeroPoint is not null && ColumnFits(matrix, j, k, zeroPoint(j)) ? zeroPoint(j) : shift;
            byte* batch = packed + t * BatchBytes(k, n);
            Int8PixelWeights.Pack(matrix, o => zeros[o], 1, 1, Segments(k), n, batch);
            zeros.AsSpan().CopyTo(new Span<int>(PackedZeros(batch, k, n), n));
        }
    }

    /// <summary>Packs B given at run time (uint8/int8 bytes, <paramref name="batches"/> matrices [K, N] back to back),
    /// every column with the type's shift: a block of 16 columns is the [K/4][16][4] panel that
    /// <see cref="Int8ActivationPanels"/> packs from a row matrix, with <see cref="Int8Tile.ColumnSums"/> for its sums.</summary>
    public static void PackRuntime(Int8Path path, byte* b, bool signed, int batches, int k, int n, byte* packed)
    {
        var segments = Segments(k);
        long blockBytes = Int8PixelWeights.BlockBytes(segments);
        int quads = segments.Quads, shift = signed ? 0 : 128;
        int* sums = stackalloc int[Int8PixelTile.Channels];
        for (int t = 0; t < batches; t++)
        {
            byte* source = b + (long)t * k * n, batch = packed + t * BatchBytes(k, n);
            int* columnSums = ColumnSums(batch, k, n), zeros = PackedZeros(batch, k, n);
            for (int n0 = 0, block = 0; n0 < n; n0 += Int8PixelTile.Channels, block++)
            {
                sbyte* panel = (sbyte*)(batch + block * blockBytes);
                int width = Math.Min(Int8PixelTile.Channels, n - n0);
                Int8ActivationPanels.Pack(path, source, n, k, n0, width, signed ? (byte)0 : (byte)0x80, panel);
                Int8Tile.ColumnSums(path, panel, quads, sums);
                for (int c = 0; c < width; c++)
                {
                    columnSums[n0 + c] = sums[c];
                    zeros[n0 + c] = shift;
                }
            }
        }
    }

    private static bool ColumnFits<TSource>(TSource matrix, int column, int k, int zero) where TSource : struct, IInt8Source
    {
        for (int kk = 0; kk < k; kk++)
            if ((uint)(matrix.At((long)column * k + kk) - zero + 128) > 255) return false;
        return true;
    }
}

/// <summary>Reads a row-major [K, N] matrix at <paramref name="offset"/> as the [N, K] one (index n · K + k) that
/// <see cref="Int8PixelWeights"/> packs.</summary>
internal readonly struct TransposedInt8Source<TSource>(TSource inner, long offset, int k, int n) : IInt8Source
    where TSource : struct, IInt8Source
{
    public int At(long index) => inner.At(offset + index % k * n + index / k);
}
