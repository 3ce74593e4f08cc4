namespace Atc.Runtime.MicroKernels;

/// <summary>
/// How a Winograd convolution is cut into tasks: blocks of tiles times blocks of output channels, and the layout
/// of one task's scratch (V [points][tiles][C_in], then M [points][tiles][channels of the block]).
/// </summary>
internal readonly record struct WinogradTaskPlan(int TilesPerTask, int TileBlocks, int ColumnsPerTask, int ColumnBlocks,
    int Ldv, int Ldm, int VPointStride, int MPointStride)
{
    /// <summary>V and M of one task together stay near this (L2 is 1 MB per core here; 0.75 and 1.5 MB measured
    /// no better, 4 MB worse).</summary>
    private const long ScratchBudgetBytes = 1024 * 1024;
    private const int MaxTilesPerTask = 96;
    /// <summary>Widest output-channel block of one task (its U block streams through L2 once per task).</summary>
    private const int MaxColumnsPerTask = 256;
    /// <summary>Narrowest output-channel block a split may make (GEMMs narrower than 64 columns lose efficiency).</summary>
    private const int MinColumnsPerTask = 64;

    public int Tasks => TileBlocks * ColumnBlocks;

    public long SlotBytes(WinogradTile tile) => (long)tile.Points * (VPointStride + MPointStride) * sizeof(float);

    /// <param name="quantum">Rows of the micro-kernel: a block's tiles are whole row tiles.</param>
    /// <param name="minTasks">Split tiles, then output channels, until there are this many tasks (when the
    /// sizes allow): 4 for one thread (measured), a few per thread when several run.</param>
    /// <param name="splitTiles">Whether to cut tile blocks smaller than the budget allows to reach minTasks. One
    /// thread does better with the biggest blocks: every block streams U again.</param>
    public static WinogradTaskPlan Create(WinogradTile tile, int tiles, int inChannels, int outChannels, int quantum,
        int minTasks, bool splitTiles)
    {
        int columns = Math.Min(RoundUp(outChannels, 32), MaxColumnsPerTask);
        int ldv = RowStride(inChannels);
        long bytesPerTile = (long)tile.Points * (ldv + RowStride(columns)) * sizeof(float);
        int fit = (int)Math.Clamp(ScratchBudgetBytes / bytesPerTile, quantum, MaxTilesPerTask);
        // As many tiles as fit the budget, then blocks of equal size in whole row tiles: a short last block would
        // cost a full pass over U for a few rows. (Smaller blocks that waste fewer rows measured slower.)
        int blocks = Ceil(tiles, fit);
        if (splitTiles) blocks = Math.Max(blocks, Math.Min(minTasks, Ceil(tiles, quantum)));
        int tilesPerTask = Math.Min(RoundUp(Ceil(tiles, blocks), quantum), tiles);
        int tileBlocks = Ceil(tiles, tilesPerTask);
        // Few tile blocks (small maps): split the output channels too.
        while (tileBlocks * Ceil(outChannels, columns) < minTasks && columns > MinColumnsPerTask)
            columns = RoundUp(columns / 2, 32);
        int ldm = RowStride(columns);
        return new WinogradTaskPlan(tilesPerTask, tileBlocks, columns, Ceil(outChannels, columns), ldv, ldm,
            PointStride(tilesPerTask * ldv), PointStride(tilesPerTask * ldm));
    }

    /// <summary>Row stride of V and M: whole vectors, and not a multiple of 1 KB so rows spread over L1 sets.</summary>
    private static int RowStride(int columns)
    {
        int stride = RoundUp(Math.Max(columns, 1), 16);
        return stride % 256 == 0 ? stride + 16 : stride;
    }

    /// <summary>
    /// Distance between the points of V or M: an odd number of cache lines, so the points of one tile, which the
    /// transforms touch together, fall into different L1 sets (a stride that is a multiple of 2 KB put them all
    /// into one or two sets and made the output transform 1.5x slower).
    /// </summary>
    private static int PointStride(int floats) => (Ceil(floats, 16) | 1) * 16;

    private static int Ceil(int a, int b) => (a + b - 1) / b;
    private static int RoundUp(int a, int b) => Ceil(a, b) * b;
}
