using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.Recurrent;

/// <summary>
/// C = A x B (+ column bias) for a B packed in <see cref="GemmLayout"/> panels: the GEMV path for 1-4 rows (a
/// recurrent step at small batch), otherwise the tiled SGEMM over the workers. Allocates nothing.
/// </summary>
internal static unsafe class RecurrentProduct
{
    public static void Multiply(Isa isa, IWorkerPool workers, float* a, int lda, int rows, float* packed, int[] kStarts, int n,
        float* c, int ldc, float* columnBias)
    {
        if (rows <= 0 || n <= 0) return;
        var epilogue = GemmEpilogue.None;
        epilogue.ColumnBias = columnBias;
        int k = kStarts[^1];
        if (rows <= Gemv.MaxRows)
        {
            var problem = new GemvProblem
            {
                A = a, Lda = lda, Rows = rows, Packed = packed, KStarts = kStarts, N = n, Y = c, Ldy = ldc, Epilogue = epilogue,
            };
            Gemv.Run(isa, workers, problem, Gemv.TaskCount(rows, n, k));
            return;
        }
        var body = new Tiles
        {
            Isa = isa, A = a, Lda = lda, Rows = rows, Packed = packed, KStarts = kStarts, N = n, C = c, Ldc = ldc,
            Epilogue = epilogue, CopyA = GemmDriver.ShouldCopyA(lda),
            Tiling = GemmTiling.Plan(1, rows, n, k, GemmLayout.RowTile(isa), GemmTiling.MaxTileNPrePacked),
        };
        workers.For(body.Tiling.Count, ref body);
    }

    private struct Tiles : IParallelBody
    {
        public Isa Isa;
        public float* A, Packed, C;
        public int Lda, Rows, N, Ldc;
        public int[] KStarts;
        public GemmEpilogue Epilogue;
        public bool CopyA;
        public GemmTiling Tiling;

        public readonly void Invoke(int index)
        {
            var spec = new GemmTileSpec { C = C, Ldc = Ldc, Epilogue = Epilogue, CopyA = CopyA };
            Tiling.Bounds(index, Rows, N, ref spec);
            GemmDriver.ComputeTile(Isa, new DenseRows(A, Lda), new PrePackedPanels(Packed, GemmLayout.PadColumns(N)), KStarts, null, spec);
        }
    }
}
