namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>An 8-bit element source for packing: the raw constant as floats (how <see cref="PrepackedWeights"/> hands
/// it over; 8-bit values are exact in float) or bytes read at run time.</summary>
internal interface IInt8Source
{
    int At(long index);
}

internal readonly unsafe struct FloatInt8Source(float* values) : IInt8Source
{
    public int At(long index) => (int)values[index];
}

internal readonly unsafe struct ByteInt8Source(byte* values, bool signed) : IInt8Source
{
    public int At(long index) => signed ? (sbyte)values[index] : values[index];
}

/// <summary>
/// The unsigned operand of <see cref="Int8Tile"/> (a convolution's weights): rows of K bytes packed in blocks of
/// <see cref="Int8Tile.Rows"/> rows as [K/4][rows][4 bytes], each value shifted to unsigned (int8 + 128), K and the
/// rows padded with zeros. The row sums of the shifted values go with it: they turn the zero points into one
/// per-row constant. Packed once per model (stored in the .om); the layout does not depend on the instruction set.
/// </summary>
internal static unsafe class Int8WeightPanels
{
    public static int PaddedDepth(int k) => (k + 3) & ~3;

    public static int RowBlocks(int m) => (m + Int8Tile.Rows - 1) / Int8Tile.Rows;

    public static long PanelBytes(int k) => (long)Int8Tile.Rows * PaddedDepth(k);

    public static long PackedBytes(int m, int k) => RowBlocks(m) * PanelBytes(k);

    /// <summary>Packs rows [0, m) of a [m, k] matrix at <paramref name="offset"/> of <paramref name="source"/> (row
    /// stride k) into <paramref name="packed"/> and writes the m row sums of the shifted values.</summary>
    public static void Pack<TSource>(TSource source, long offset, bool signed, int m, int k, byte* packed, int* rowSums)
        where TSource : struct, IInt8Source
    {
        new Span<byte>(packed, checked((int)PackedBytes(m, k))).Clear();
        int shift = signed ? 128 : 0;
        for (int row = 0; row < m; row++)
        {
            byte* block = packed + row / Int8Tile.Rows * PanelBytes(k);
            int r = row % Int8Tile.Rows, sum = 0;
            for (int kk = 0; kk < k; kk++)
            {
                int value = source.At(offset + (long)row * k + kk) + shift;
                block[(kk / 4) * Int8Tile.Rows * 4 + r * 4 + kk % 4] = (byte)value;
                sum += value;
            }
            rowSums[row] = sum;
        }
    }
}
