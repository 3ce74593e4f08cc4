using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels;

/// <summary>One task's share of a GEMM: rows [M0, M1) and columns [N0, N1) of C.</summary>
internal unsafe struct GemmTileSpec
{
    public int M0, M1, N0, N1;
    public float* C;
    public nint Ldc;
    /// <summary>Epilogue at C's origin (row 0, column 0); the driver offsets it to each tile.</summary>
    public GemmEpilogue Epilogue;
    /// <summary>C already holds values to add to (a pre-filled Gemm C).</summary>
    public bool AccumulateFirst;
    /// <summary>Copy each row tile's A slice into a contiguous buffer first (see <see cref="GemmDriver.ShouldCopyA"/>).</summary>
    public bool CopyA;
}

/// <summary>
/// Runs the micro-kernel over one tile: for each K block, get the packed B block once, then sweep the tile's rows
/// in row-tile steps; the micro-kernel walks the columns. A's row slice stays in L1 across the panels, the B block
/// in L2 across the rows.
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit]
internal static unsafe class GemmDriver
{
    /// <summary>Most taps a K block may have (an indirect GEMM's blocking keeps to it).</summary>
    public const int MaxTapsPerBlock = 64;

    public static void RunMicroTile(Isa isa, ref MicroTile t)
    {
        if (isa == Isa.Avx512) SgemmAvx512.Run(ref t);
        else if (isa == Isa.Avx2) SgemmTwoVectors<Float256, Vector256<float>>.Run(ref t);
        else SgemmTwoVectors<Float128, Vector128<float>>.Run(ref t);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ComputeTile<TRows, TPanels>(Isa isa, in TRows a, in TPanels b, int[] kStarts, float* slot, in GemmTileSpec s)
        where TRows : struct, IRowSource
        where TPanels : struct, IPanelSource
    {
        int blocks = kStarts.Length - 1;
        if (blocks == 0)
        {
            WriteEmptyProduct(s);
            return;
        }
        int rowTile = GemmLayout.RowTile(isa);
        float** rows = stackalloc float*[GemmLayout.RowTile(Isa.Avx512) * MaxTapsPerBlock];
        float* aCopy = stackalloc float[s.CopyA ? GemmLayout.RowTile(Isa.Avx512) * CopyStride : 1];
        int columns = s.N1 - s.N0;
        int padded = GemmLayout.PadColumns(columns);
        for (int kb = 0; kb < blocks; kb++)
        {
            int k0 = kStarts[kb], kc = kStarts[kb + 1] - k0;
            float* panels = b.Block(k0, kc, s.N0, s.N1, slot);
            for (int m = s.M0; m < s.M1; m += rowTile)
            {
                int count = Math.Min(rowTile, s.M1 - m);
                a.Rows(m, count, k0, kc, rowTile, rows, out int taps, out int kPerTap, out nint offset);
                if (s.CopyA)
                {
                    CopyRows(rows, rowTile, count, taps, kPerTap, offset, aCopy);
                    taps = 1;
                    kPerTap = kc;
                    offset = 0;
                }
                var t = new MicroTile
                {
                    Rows = rows,
                    AOffset = offset,
                    Taps = taps,
                    KPerTap = kPerTap,
                    B = panels,
                    Kc = kc,
                    Columns = columns,
                    PaddedColumns = padded,
                    C = s.C + m * s.Ldc + s.N0,
                    Ldc = s.Ldc,
                    RowCount = count,
                    Accumulate = kb > 0 || s.AccumulateFirst,
                    Final = kb == blocks - 1,
                    Epilogue = s.Epilogue.At(m, s.N0),
                };
                RunMicroTile(isa, ref t);
                // The row tile is final and still in L1: run the mapped activation on it now, not in a later pass.
                if (t.Final && s.Epilogue.Map is { } map) BlockActivation.Apply(map, t.C, count, columns, s.Ldc);
            }
        }
    }

    /// <summary>Row stride of the A copy: a K block plus 16 floats, so rows do not share L1 sets.</summary>
    private const int CopyStride = GemmLayout.KcMax + 16;

    /// <summary>
    /// Whether rows of A, <paramref name="rowStrideFloats"/> apart, should be copied before the micro-kernel reads
    /// them: when several rows fall into the same L1 set (strides near a multiple of 4 KB) they evict each other,
    /// and when taps are short the copy turns many short K loops into one.
    /// </summary>
    public static bool ShouldCopyA(long rowStrideFloats, int kPerTap = int.MaxValue)
    {
        // Below ~32 K steps per tap, switching rows per tap costs more than the copy (amortised over the panels).
        if (kPerTap < 32) return true;
        const int sets = 64, lineBytes = 64;
        Span<int> perSet = stackalloc int[sets];
        perSet.Clear(); // SkipLocalsInit: stackalloc is not zeroed, and the answer must not vary (it is part of layout keys)
        int worst = 0;
        for (int r = 0; r < 12; r++)
        {
            int set = (int)((rowStrideFloats * 4 * r / lineBytes) % sets);
            worst = Math.Max(worst, ++perSet[set]);
        }
        return worst > 3;
    }

    /// <summary>Gathers each row's taps into one contiguous K run; rows past count repeat row 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRows(float** rows, int rowTile, int count, int taps, int kPerTap, nint offset, float* dst)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            CopyRows512(rows, rowTile, count, taps, kPerTap, offset, dst);
            return;
        }
        for (int r = 0; r < rowTile; r++)
        {
            float* d = dst + r * CopyStride;
            if (r >= count)
            {
                rows[r] = dst;
                continue;
            }
            for (int t = 0; t < taps; t++, d += kPerTap)
                CopyRun(rows[t * rowTile + r] + offset, d, kPerTap);
            rows[r] = dst + r * CopyStride;
        }
    }

    /// <summary>
    /// <see cref="CopyRows"/> with AVX-512: whole vectors, then the run's last floats through a masked load (never
    /// past the source run) and a whole-vector store into the 16 floats of slack past the destination's K block
    /// (<see cref="CopyStride"/>); the next run overwrites them. The mask is the same for every run of a block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRows512(float** rows, int rowTile, int count, int taps, int kPerTap, nint offset, float* dst)
    {
        int whole = kPerTap & ~15;
        var tail = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(kPerTap - whole)).AsSingle();
        bool hasTail = whole < kPerTap;
        for (int r = 0; r < count; r++)
        {
            float* d = dst + r * CopyStride;
            for (int t = 0; t < taps; t++, d += kPerTap)
            {
                float* src = rows[t * rowTile + r] + offset;
                for (int j = 0; j < whole; j += 16) Vector512.Store(Vector512.Load(src + j), d + j);
                if (hasTail) Vector512.Store(Avx512F.MaskLoad(src + whole, tail, Vector512<float>.Zero), d + whole);
            }
            rows[r] = dst + r * CopyStride;
        }
        for (int r = count; r < rowTile; r++) rows[r] = dst;
    }

    /// <summary>Copies a run of floats; runs are often tiny (3 channels of a first layer), so no call per run.</summary>
    private static void CopyRun(float* src, float* dst, int count)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] = src[i];
    }

    /// <summary>K = 0: the product is zero, the epilogue still applies.</summary>
    private static void WriteEmptyProduct(in GemmTileSpec s)
    {
        for (int m = s.M0; m < s.M1; m++)
        {
            float* c = s.C + m * s.Ldc;
            for (int n = s.N0; n < s.N1; n++)
                c[n] = s.Epilogue.Apply(s.AccumulateFirst ? c[n] : 0f, m, n);
        }
        if (s.Epilogue.Map is { } map) BlockActivation.Apply(map, s.C + s.M0 * s.Ldc + s.N0, s.M1 - s.M0, s.N1 - s.N0, s.Ldc);
    }
}

/// <summary>How a GEMM is cut into parallel tasks. Tiling never changes results: every element sums its K blocks
/// in the same order whatever the tile.</summary>
internal readonly record struct GemmTiling(int TileM, int TileN, int TilesM, int TilesN)
{
    /// <summary>Largest tile width with pre-packed B (a 256 x 256 block is 256 KB of L2).</summary>
    public const int MaxTileNPrePacked = 256;
    /// <summary>Largest tile width when a task packs B into its own slot.</summary>
    public const int MaxTileNPackedPerTask = 128;

    public int Count => TilesM * TilesN;
    /// <summary>Most tasks a GEMM is cut into: 4 per core of this machine (a session's default thread count),
    /// at least 8 and at most 32.</summary>
    private static readonly int MaxTasks = Math.Clamp(4 * Environment.ProcessorCount, 8, 32);

    public static GemmTiling Plan(long batches, int m, int n, int k, int rowTile, int maxTileN)
    {
        if (m <= 0 || n <= 0) return new GemmTiling(Math.Max(rowTile, 1), GemmLayout.PanelWidth, 0, 0);
        int tileN = Math.Min(RoundUp(n, GemmLayout.PanelWidth), maxTileN);
        int tileM = Math.Min(RoundUp(m, rowTile), rowTile * 16);
        // Aim for a few tasks per core when each still has real work (>= ~0.5 M multiply-adds); no more, since a
        // task streams its B block (weights, cold in a real run) for its rows only: tall tasks use each weight on
        // more rows before it leaves the caches. Wide tiles are halved first down to 128 columns (the 12-row A
        // slice still serves 4 panels from L1), then the rows, then the columns to 32. Measured with --gemm:
        // 7x7-map convs (M = 49) +10-15 %, nothing slower.
        double work = (double)batches * m * n * Math.Max(k, 1);
        long wanted = (long)Math.Clamp(work / (1 << 19), 1, MaxTasks);
        while (batches * Ceil(m, tileM) * Ceil(n, tileN) < wanted)
        {
            if (tileN > 4 * GemmLayout.PanelWidth && tileN > tileM) tileN = RoundUp(tileN / 2, GemmLayout.PanelWidth);
            else if (tileM > rowTile) tileM = RoundUp(tileM / 2, rowTile);
            else if (tileN > GemmLayout.PanelWidth) tileN = RoundUp(tileN / 2, GemmLayout.PanelWidth);
            else break;
        }
        return new GemmTiling(tileM, tileN, Ceil(m, tileM), Ceil(n, tileN));
    }

    /// <summary>Fills a tile spec's bounds for task index <paramref name="tile"/> (row-tile major).</summary>
    public void Bounds(int tile, int m, int n, ref GemmTileSpec s)
    {
        int tm = tile / TilesN, tn = tile % TilesN;
        s.M0 = tm * TileM;
        s.M1 = Math.Min(m, s.M0 + TileM);
        s.N0 = tn * TileN;
        s.N1 = Math.Min(n, s.N0 + TileN);
    }

    private static int Ceil(int a, int b) => (a + b - 1) / b;
    private static int RoundUp(int a, int b) => Ceil(a, b) * b;
}
