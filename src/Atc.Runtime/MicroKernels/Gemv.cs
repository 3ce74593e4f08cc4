using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Atc.Runtime.Operators;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// One small-M product: rows of A (at most <see cref="Gemv.MaxRows"/>) times a B pre-packed in
/// <see cref="GemmLayout"/>'s panels, written to Y with the epilogue (Y = epilogue(A x B), no accumulation).
/// </summary>
internal unsafe struct GemvProblem
{
    public float* A;
    public nint Lda;
    public int Rows;
    /// <summary>B packed by <see cref="PanelPacking.PackAll{TSource}"/> with K blocks <see cref="KStarts"/>.</summary>
    public float* Packed;
    public int[] KStarts;
    public int N;
    public float* Y;
    public nint Ldy;
    /// <summary>Epilogue at Y's origin.</summary>
    public GemmEpilogue Epilogue;
}

/// <summary>
/// Matrix-vector style products for 1-4 rows against pre-packed constant weights (a fully connected layer at batch
/// 1-4). The GEMM micro-kernel computes a whole row tile (6 or 12 rows) whatever M is, and a single row's FMAs form
/// one dependency chain per accumulator; here each column slice keeps several independent accumulators (K unrolled
/// for 1-2 rows), so FMA latency is hidden and the time is that of streaming B once. Tasks are runs of panels.
/// </summary>
internal static unsafe class Gemv
{
    public const int MaxRows = 4;

    /// <summary>Multiply-adds per task below which splitting the columns over threads costs more than it saves.</summary>
    private const long MinWorkPerTask = 1 << 15;

    /// <summary>Tasks to cut a product into: runs of whole panels, each with real work.</summary>
    public static int TaskCount(int rows, int n, int k)
    {
        int panels = (GemmLayout.PadColumns(n) + GemmLayout.PanelWidth - 1) / GemmLayout.PanelWidth;
        long work = (long)Math.Max(rows, 1) * n * Math.Max(k, 1);
        return (int)Math.Clamp(work / MinWorkPerTask, 1, Math.Max(panels, 1));
    }

    /// <summary>Runs the whole product: inline when it is one task, else over the workers.</summary>
    public static void Run(Isa isa, IWorkerPool workers, in GemvProblem p, int tasks)
    {
        if (tasks <= 1)
        {
            Run(isa, p, 0, p.N);
            return;
        }
        var body = new Tasks { Isa = isa, Problem = p, Count = tasks };
        workers.For(tasks, ref body);
    }

    private struct Tasks : IParallelBody
    {
        public Isa Isa;
        public GemvProblem Problem;
        public int Count;

        public readonly void Invoke(int index) => RunTask(Isa, Problem, index, Count);
    }

    /// <summary>Computes task <paramref name="task"/> of <paramref name="tasks"/>: its run of panels, all rows.</summary>
    public static void RunTask(Isa isa, in GemvProblem p, int task, int tasks)
    {
        int panels = (GemmLayout.PadColumns(p.N) + GemmLayout.PanelWidth - 1) / GemmLayout.PanelWidth;
        int first = (int)((long)panels * task / tasks), last = (int)((long)panels * (task + 1) / tasks);
        Run(isa, p, first * GemmLayout.PanelWidth, Math.Min(p.N, last * GemmLayout.PanelWidth));
    }

    /// <summary>Columns [n0, n1) of the product; n0 is a multiple of the panel width.</summary>
    public static void Run(Isa isa, in GemvProblem p, int n0, int n1)
    {
        if (n0 >= n1 || p.Rows <= 0) return;
        if (p.KStarts.Length < 2)
        {
            WriteEmptyProduct(p, n0, n1);
            return;
        }
        int padded = GemmLayout.PadColumns(p.N);
        for (int col = n0; col < n1; col += GemmLayout.PanelWidth)
        {
            int width = Math.Min(GemmLayout.PanelWidth, padded - col);
            if (isa == Isa.Avx512)
            {
                // One row: two full panels at a time, so each broadcast of A feeds four FMAs.
                if (p.Rows == 1 && col + GemmLayout.PanelWidth < n1 && padded - col >= 2 * GemmLayout.PanelWidth)
                {
                    GemvSlices<Float512, Vector512<float>>.OneRowTwoPanels(p, col, n1);
                    col += GemmLayout.PanelWidth;
                }
                // A 16-wide last panel is two 256-bit vectors wide.
                else if (width == GemmLayout.PanelWidth) GemvSlices<Float512, Vector512<float>>.Panel(p, col, width, n1);
                else GemvSlices<Float256, Vector256<float>>.Panel(p, col, width, n1);
            }
            else if (isa == Isa.Avx2) GemvSlices<Float256, Vector256<float>>.Panel(p, col, width, n1);
            else GemvSlices<Float128, Vector128<float>>.Panel(p, col, width, n1);
        }
        if (p.Epilogue.Map is { } map) BlockActivation.Apply(map, p.Y + n0, p.Rows, n1 - n0, p.Ldy);
    }

    /// <summary>K = 0: the product is zero, the epilogue still applies.</summary>
    private static void WriteEmptyProduct(in GemvProblem p, int n0, int n1)
    {
        for (int r = 0; r < p.Rows; r++)
            for (int j = n0; j < n1; j++) p.Y[r * p.Ldy + j] = p.Epilogue.Apply(0f, r, j);
        if (p.Epilogue.Map is { } map) BlockActivation.Apply(map, p.Y + n0, p.Rows, n1 - n0, p.Ldy);
    }
}

/// <summary>
/// The GEMV loops for one vector width: a panel is cut into slices of two vectors; each slice sums its K rows over
/// every K block into registers and is written once with the epilogue.
/// </summary>
[SkipLocalsInit]
internal static unsafe class GemvSlices<TOps, TVec> where TOps : struct, IFloatVector<TVec> where TVec : struct
{
    public static void Panel(in GemvProblem p, int col, int width, int n1)
    {
        int sliceWidth = 2 * TOps.Count;
        for (int slice = 0; slice < width && col + slice < n1; slice += sliceWidth)
        {
            int valid = Math.Min(sliceWidth, n1 - (col + slice));
            switch (p.Rows)
            {
                case 1: OneRow(p, col, width, slice, valid); break;
                case 2: TwoRows(p, col, width, slice, valid); break;
                default: FourRows(p, col, width, slice, valid); break;
            }
        }
    }

    /// <summary>Start of the slice's data in K block [k0, k0+kc): the panel's block, then the slice offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* SliceBlock(in GemvProblem p, int k0, int kc, int col, int slice)
        => p.Packed + GemmLayout.PanelOffset(k0, kc, GemmLayout.PadColumns(p.N), col) + slice;

    /// <summary>One row: K unrolled by 4 into four accumulator pairs (8 independent FMA chains).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneRow(in GemvProblem p, int col, int stride, int slice, int valid)
    {
        int n = TOps.Count;
        TVec s0 = TOps.Zero, s1 = TOps.Zero, t0 = TOps.Zero, t1 = TOps.Zero;
        TVec u0 = TOps.Zero, u1 = TOps.Zero, v0 = TOps.Zero, v1 = TOps.Zero;
        int[] kStarts = p.KStarts;
        for (int kb = 0; kb + 1 < kStarts.Length; kb++)
        {
            int k0 = kStarts[kb], kc = kStarts[kb + 1] - k0;
            float* b = SliceBlock(p, k0, kc, col, slice);
            float* a = p.A + k0;
            nint k = 0;
            for (; k + 4 <= kc; k += 4, b += 4 * stride)
            {
                TVec x;
                x = TOps.Broadcast(a[k]); s0 = TOps.MultiplyAdd(x, TOps.Load(b), s0); s1 = TOps.MultiplyAdd(x, TOps.Load(b + n), s1);
                x = TOps.Broadcast(a[k + 1]); t0 = TOps.MultiplyAdd(x, TOps.Load(b + stride), t0); t1 = TOps.MultiplyAdd(x, TOps.Load(b + stride + n), t1);
                x = TOps.Broadcast(a[k + 2]); u0 = TOps.MultiplyAdd(x, TOps.Load(b + 2 * stride), u0); u1 = TOps.MultiplyAdd(x, TOps.Load(b + 2 * stride + n), u1);
                x = TOps.Broadcast(a[k + 3]); v0 = TOps.MultiplyAdd(x, TOps.Load(b + 3 * stride), v0); v1 = TOps.MultiplyAdd(x, TOps.Load(b + 3 * stride + n), v1);
            }
            for (; k < kc; k++, b += stride)
            {
                var x = TOps.Broadcast(a[k]);
                s0 = TOps.MultiplyAdd(x, TOps.Load(b), s0);
                s1 = TOps.MultiplyAdd(x, TOps.Load(b + n), s1);
            }
        }
        float* tile = stackalloc float[2 * 16];
        TOps.Store(TOps.Add(TOps.Add(s0, t0), TOps.Add(u0, v0)), tile);
        TOps.Store(TOps.Add(TOps.Add(s1, t1), TOps.Add(u1, v1)), tile + n);
        WriteRows(p, 1, col + slice, valid, tile);
    }

    /// <summary>
    /// One row over two full panels (AVX-512 only, where two vectors make a panel: four vectors of 16): K unrolled by 2, 8 independent FMA chains, one
    /// broadcast per four FMAs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OneRowTwoPanels(in GemvProblem p, int col, int n1)
    {
        int n = TOps.Count;
        const int w = GemmLayout.PanelWidth;
        TVec s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
        TVec t0 = TOps.Zero, t1 = TOps.Zero, t2 = TOps.Zero, t3 = TOps.Zero;
        int[] kStarts = p.KStarts;
        for (int kb = 0; kb + 1 < kStarts.Length; kb++)
        {
            int k0 = kStarts[kb], kc = kStarts[kb + 1] - k0;
            float* b = SliceBlock(p, k0, kc, col, 0);
            float* c = b + (nint)w * kc;   // the next panel of the same K block
            float* a = p.A + k0;
            nint k = 0;
            for (; k + 2 <= kc; k += 2, b += 2 * w, c += 2 * w)
            {
                TVec x = TOps.Broadcast(a[k]);
                s0 = TOps.MultiplyAdd(x, TOps.Load(b), s0); s1 = TOps.MultiplyAdd(x, TOps.Load(b + n), s1);
                s2 = TOps.MultiplyAdd(x, TOps.Load(c), s2); s3 = TOps.MultiplyAdd(x, TOps.Load(c + n), s3);
                x = TOps.Broadcast(a[k + 1]);
                t0 = TOps.MultiplyAdd(x, TOps.Load(b + w), t0); t1 = TOps.MultiplyAdd(x, TOps.Load(b + w + n), t1);
                t2 = TOps.MultiplyAdd(x, TOps.Load(c + w), t2); t3 = TOps.MultiplyAdd(x, TOps.Load(c + w + n), t3);
            }
            if (k < kc)
            {
                TVec x = TOps.Broadcast(a[k]);
                s0 = TOps.MultiplyAdd(x, TOps.Load(b), s0); s1 = TOps.MultiplyAdd(x, TOps.Load(b + n), s1);
                s2 = TOps.MultiplyAdd(x, TOps.Load(c), s2); s3 = TOps.MultiplyAdd(x, TOps.Load(c + n), s3);
            }
        }
        float* tile = stackalloc float[4 * 16];
        TOps.Store(TOps.Add(s0, t0), tile); TOps.Store(TOps.Add(s1, t1), tile + n);
        TOps.Store(TOps.Add(s2, t2), tile + 2 * n); TOps.Store(TOps.Add(s3, t3), tile + 3 * n);
        WriteRows(p, 1, col, 2 * n, tile);
        WriteRows(p, 1, col + w, Math.Min(2 * n, n1 - (col + w)), tile + 2 * n);
    }

    /// <summary>Two rows: K unrolled by 2 (8 independent FMA chains).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TwoRows(in GemvProblem p, int col, int stride, int slice, int valid)
    {
        int n = TOps.Count;
        TVec r0a = TOps.Zero, r0b = TOps.Zero, r1a = TOps.Zero, r1b = TOps.Zero;
        TVec q0a = TOps.Zero, q0b = TOps.Zero, q1a = TOps.Zero, q1b = TOps.Zero;
        int[] kStarts = p.KStarts;
        for (int kb = 0; kb + 1 < kStarts.Length; kb++)
        {
            int k0 = kStarts[kb], kc = kStarts[kb + 1] - k0;
            float* b = SliceBlock(p, k0, kc, col, slice);
            float* a0 = p.A + k0, a1 = a0 + p.Lda;
            nint k = 0;
            for (; k + 2 <= kc; k += 2, b += 2 * stride)
            {
                TVec b0 = TOps.Load(b), b1 = TOps.Load(b + n), c0 = TOps.Load(b + stride), c1 = TOps.Load(b + stride + n);
                TVec x = TOps.Broadcast(a0[k]), y = TOps.Broadcast(a1[k]);
                r0a = TOps.MultiplyAdd(x, b0, r0a); r0b = TOps.MultiplyAdd(x, b1, r0b);
                r1a = TOps.MultiplyAdd(y, b0, r1a); r1b = TOps.MultiplyAdd(y, b1, r1b);
                x = TOps.Broadcast(a0[k + 1]); y = TOps.Broadcast(a1[k + 1]);
                q0a = TOps.MultiplyAdd(x, c0, q0a); q0b = TOps.MultiplyAdd(x, c1, q0b);
                q1a = TOps.MultiplyAdd(y, c0, q1a); q1b = TOps.MultiplyAdd(y, c1, q1b);
            }
            for (; k < kc; k++, b += stride)
            {
                TVec b0 = TOps.Load(b), b1 = TOps.Load(b + n);
                TVec x = TOps.Broadcast(a0[k]), y = TOps.Broadcast(a1[k]);
                r0a = TOps.MultiplyAdd(x, b0, r0a); r0b = TOps.MultiplyAdd(x, b1, r0b);
                r1a = TOps.MultiplyAdd(y, b0, r1a); r1b = TOps.MultiplyAdd(y, b1, r1b);
            }
        }
        float* tile = stackalloc float[2 * 2 * 16];
        TOps.Store(TOps.Add(r0a, q0a), tile); TOps.Store(TOps.Add(r0b, q0b), tile + n);
        TOps.Store(TOps.Add(r1a, q1a), tile + 2 * n); TOps.Store(TOps.Add(r1b, q1b), tile + 3 * n);
        WriteRows(p, 2, col + slice, valid, tile);
    }

    /// <summary>Three or four rows (a third row repeats into the fourth accumulators, which are dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRows(in GemvProblem p, int col, int stride, int slice, int valid)
    {
        int n = TOps.Count;
        TVec r0a = TOps.Zero, r0b = TOps.Zero, r1a = TOps.Zero, r1b = TOps.Zero;
        TVec r2a = TOps.Zero, r2b = TOps.Zero, r3a = TOps.Zero, r3b = TOps.Zero;
        int[] kStarts = p.KStarts;
        nint lastRow = p.Rows == 4 ? 3 : 2;
        for (int kb = 0; kb + 1 < kStarts.Length; kb++)
        {
            int k0 = kStarts[kb], kc = kStarts[kb + 1] - k0;
            float* b = SliceBlock(p, k0, kc, col, slice);
            float* a0 = p.A + k0, a1 = a0 + p.Lda, a2 = a1 + p.Lda, a3 = a0 + lastRow * p.Lda;
            for (nint k = 0; k < kc; k++, b += stride)
            {
                TVec b0 = TOps.Load(b), b1 = TOps.Load(b + n);
                TVec x = TOps.Broadcast(a0[k]);
                r0a = TOps.MultiplyAdd(x, b0, r0a); r0b = TOps.MultiplyAdd(x, b1, r0b);
                x = TOps.Broadcast(a1[k]);
                r1a = TOps.MultiplyAdd(x, b0, r1a); r1b = TOps.MultiplyAdd(x, b1, r1b);
                x = TOps.Broadcast(a2[k]);
                r2a = TOps.MultiplyAdd(x, b0, r2a); r2b = TOps.MultiplyAdd(x, b1, r2b);
                x = TOps.Broadcast(a3[k]);
                r3a = TOps.MultiplyAdd(x, b0, r3a); r3b = TOps.MultiplyAdd(x, b1, r3b);
            }
        }
        float* tile = stackalloc float[4 * 2 * 16];
        TOps.Store(r0a, tile); TOps.Store(r0b, tile + n);
        TOps.Store(r1a, tile + 2 * n); TOps.Store(r1b, tile + 3 * n);
        TOps.Store(r2a, tile + 4 * n); TOps.Store(r2b, tile + 5 * n);
        TOps.Store(r3a, tile + 6 * n); TOps.Store(r3b, tile + 7 * n);
        WriteRows(p, p.Rows, col + slice, valid, tile);
    }

    /// <summary>
    /// Writes the staged sums (rows of two vectors) through the epilogue, valid columns only. A separate method
    /// called once the accumulators are dead: a call while they are live makes the JIT spill them inside the K loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteRows(in GemvProblem p, int rows, int column, int valid, float* tile)
    {
        int n = TOps.Count;
        if (valid == 2 * n)
        {
            var vectors = new EpilogueSteps<TOps, TVec>(p.Epilogue, column);
            var all = default(AllLanes<TOps, TVec>);
            for (int row = 0; row < rows; row++, tile += 2 * n)
            {
                float* y = p.Y + row * p.Ldy + column;
                TOps.Store(vectors.Apply(TOps.Load(tile), row, 0, all), y);
                TOps.Store(vectors.Apply(TOps.Load(tile + n), row, n, all), y + n);
            }
            return;
        }
        // The last columns, one float at a time.
        var floats = new EpilogueSteps<Float1, float>(p.Epilogue, column);
        for (int row = 0; row < rows; row++, tile += 2 * n)
        {
            float* y = p.Y + row * p.Ldy + column;
            for (int j = 0; j < valid; j++) y[j] = floats.Apply(tile[j], row, j, default(AllLanes<Float1, float>));
        }
    }
}
