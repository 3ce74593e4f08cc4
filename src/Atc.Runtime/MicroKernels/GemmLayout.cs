namespace Atc.Runtime.MicroKernels;

/// <summary>
/// The packed layout of a GEMM's B operand, shared by every instruction set. B [K, N] is cut into K blocks (rows
/// [k0, k0+kc)) and, inside a block, into column panels of 32 (the last one 16 or 32 wide, zero-padded): panel p of
/// block [k0, k0+kc) starts at k0*NPadded + p*32*kc and holds kc rows of its width, contiguous. AVX-512 reads a
/// panel as 2 vectors per row, AVX2 as two 16-column halves, the portable kernel as 8-column slices.
/// </summary>
internal static class GemmLayout
{
    public const int PanelWidth = 32;
    /// <summary>Largest K block: the 12-row A slice (24 KB) stays in L1 while B panels stream from L2.</summary>
    public const int KcMax = 512;

    public static int PadColumns(int n) => (n + 15) & ~15;

    /// <summary>Row count of the micro-kernel tile for an instruction set.</summary>
    public static int RowTile(Isa isa) => isa == Isa.Avx512 ? 12 : 6;

    /// <summary>Block starts (and K at the end) for K blocks of at most <see cref="KcMax"/>, as equal as possible.</summary>
    public static int[] UniformKBlocks(int k)
    {
        if (k == 0) return [0];
        int count = (k + KcMax - 1) / KcMax;
        var starts = new int[count + 1];
        for (int i = 0; i <= count; i++) starts[i] = (int)((long)k * i / count);
        return starts;
    }

    public static long PanelOffset(int k0, int kc, int nPadded, int column) => (long)k0 * nPadded + (long)column * kc;

    /// <summary>Floats of a packed B: K rows of NPadded columns.</summary>
    public static long PackedLength(int k, int n) => (long)k * PadColumns(n);
}
