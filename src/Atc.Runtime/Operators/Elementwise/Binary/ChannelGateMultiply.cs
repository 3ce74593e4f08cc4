using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

/// <summary>
/// Y = X · gate for a channels-last X [N, ..., C] and a gate of C values per batch item ([1 or N, 1, ..., 1, C]):
/// a squeeze-excite's multiply after layout propagation. The broadcast kernel pays a plan step and a library call
/// per C-wide row (12544 rows of 32 channels at 112x112); this walks the rows with the gate row in registers' reach.
/// </summary>
internal static unsafe class ChannelGateMultiply
{
    /// <summary>The channels-last shape this kernel takes: same rank, gate's last dim is X's, its middle dims are 1
    /// and its first is 1 or X's batch. Rank 1 (a plain vector product) is left to the broadcast kernel.</summary>
    public static bool Fits(int[] x, int[] gate)
    {
        int rank = x.Length;
        if (rank < 2 || gate.Length != rank || x[rank - 1] <= 0 || gate[rank - 1] != x[rank - 1]) return false;
        if (gate[0] != 1 && gate[0] != x[0]) return false;
        for (int d = 1; d < rank - 1; d++)
            if (gate[d] != 1) return false;
        return true;
    }

    /// <summary>Multiplies <paramref name="rows"/> rows of <paramref name="channels"/> floats by the gate row of their
    /// batch item (<paramref name="rowsPerGate"/> rows share one gate row; 0 or all rows: one gate row).</summary>
    public static void Run(Isa isa, float* x, float* gate, float* y, long rows, int channels, long rowsPerGate, IWorkerPool workers)
    {
        var shape = new Shape(x, gate, y, channels, rowsPerGate <= 0 ? rows : rowsPerGate);
        if (isa == Isa.Avx512) Dispatch<Float512, Vector512<float>>(shape, rows, workers);
        else if (isa == Isa.Avx2) Dispatch<Float256, Vector256<float>>(shape, rows, workers);
        else Dispatch<Float128, Vector128<float>>(shape, rows, workers);
    }

    private static void Dispatch<TV, TVec>(Shape shape, long rows, IWorkerPool workers)
        where TV : struct, IFloatVector<TVec> where TVec : struct
    {
        var body = new Rows<TV, TVec>(shape);
        ParallelRange.For(workers, rows, shape.Channels, ref body);
    }

    private readonly struct Shape(float* x, float* gate, float* y, int channels, long rowsPerGate)
    {
        public readonly float* X = x, Gate = gate, Y = y;
        public readonly int Channels = channels;
        public readonly long RowsPerGate = rowsPerGate;
    }

    private readonly struct Rows<TV, TVec>(Shape s) : IRangeBody where TV : struct, IFloatVector<TVec> where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(long start, long end)
        {
            int c = s.Channels, whole = c - c % TV.Count;
            for (long row = start; row < end; row++)
            {
                float* x = s.X + row * c, y = s.Y + row * c, g = s.Gate + row / s.RowsPerGate * c;
                int i = 0;
                for (; i < whole; i += TV.Count) TV.Store(TV.Multiply(TV.Load(x + i), TV.Load(g + i)), y + i);
                for (; i < c; i++) y[i] = x[i] * g[i];
            }
        }
    }
}
