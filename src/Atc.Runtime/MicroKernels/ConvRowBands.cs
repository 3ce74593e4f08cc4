namespace Atc.Runtime.MicroKernels;

/// <summary>Output rows [FirstRow, EndRow) whose windows have the same kernel rows inside the input, and the K blocks
/// of exactly those kernel rows (absolute K offsets; none when every kernel row is in the padding).</summary>
internal sealed record ConvRowBand(int FirstRow, int EndRow, int[] KStarts);

/// <summary>
/// Bands of output rows for an indirect-GEMM conv whose padding covers whole kernel rows for many output rows
/// (dilation 6 or 12 with pad = dilation on a 16x16 map: half the taps of ASPP's 3x3 read padding). Each band
/// runs the GEMM over only the K blocks of the kernel rows inside the input, so those zeros are never multiplied.
/// K blocks are then cut at kernel-row boundaries (a kernel row's taps split as <see
/// cref="IndirectConvRows.KBlocks"/> does), so each band's K range is a run of whole blocks of the packed weights.
/// </summary>
internal sealed class ConvRowBands
{
    /// <summary>Least share of multiply-adds on padding rows worth the bands (below it, K blocks stay as they were).</summary>
    public const double MinSkippedShare = 0.1;

    private readonly int[] _bandOfRow;

    private ConvRowBands(int[] kStarts, ConvRowBand[] bands, int[] bandOfRow)
    {
        KStarts = kStarts;
        Bands = bands;
        _bandOfRow = bandOfRow;
    }

    /// <summary>K blocks of the whole kernel, cut at kernel-row boundaries (the packed weights' layout).</summary>
    public int[] KStarts { get; }
    public ConvRowBand[] Bands { get; }

    public ConvRowBand BandOf(int outputRow) => Bands[_bandOfRow[outputRow]];

    /// <summary>The bands, or null when the conv is not 2-D with taps in one K run per tap, or the padding rows
    /// hold less than <see cref="MinSkippedShare"/> of the multiply-adds.</summary>
    public static ConvRowBands? Plan(ConvGeometry g)
    {
        if (g.KD != 1 || g.InD != 1 || g.OutD != 1 || g.KH < 2 || g.OutH < 1) return null;
        var (lo, hi) = (new int[g.OutH], new int[g.OutH]);
        long validRows = 0;
        for (int oh = 0; oh < g.OutH; oh++)
        {
            int top = oh * g.SH - g.PH;   // input row of kernel row 0
            lo[oh] = top >= 0 ? 0 : (-top + g.DH - 1) / g.DH;
            hi[oh] = top + (g.KH - 1) * g.DH < g.InH ? g.KH - 1 : (g.InH - 1 - top) < 0 ? -1 : (g.InH - 1 - top) / g.DH;
            validRows += Math.Max(0, hi[oh] - lo[oh] + 1);
        }
        if (1 - (double)validRows / ((long)g.OutH * g.KH) < MinSkippedShare) return null;

        int cg = g.InChannelsPerGroup, rowK = g.KW * cg;
        int[] rowBlocks = IndirectConvRows.KBlocks(g.KW, cg);   // one kernel row's blocks, from 0 to rowK
        var kStarts = new List<int>();
        for (int kh = 0; kh < g.KH; kh++)
            for (int b = 0; b + 1 < rowBlocks.Length; b++) kStarts.Add(kh * rowK + rowBlocks[b]);
        kStarts.Add(g.KH * rowK);

        var bands = new List<ConvRowBand>();
        var bandOfRow = new int[g.OutH];
        for (int oh = 0; oh < g.OutH; oh++)
        {
            if (oh == 0 || lo[oh] != lo[oh - 1] || hi[oh] != hi[oh - 1])
            {
                int[] band = hi[oh] < lo[oh] ? [0]
                    : [.. kStarts.Where(k => k >= lo[oh] * rowK && k <= (hi[oh] + 1) * rowK)];
                bands.Add(new ConvRowBand(oh, oh + 1, band));
            }
            else bands[^1] = bands[^1] with { EndRow = oh + 1 };
            bandOfRow[oh] = bands.Count - 1;
        }
        return new ConvRowBands([.. kStarts], [.. bands], bandOfRow);
    }
}
