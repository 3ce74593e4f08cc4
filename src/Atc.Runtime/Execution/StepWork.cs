using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Runtime.Execution;

/// <summary>
/// Roughly how much arithmetic one step of a gear does, from the planned shapes alone, to decide whether the step
/// may fork onto the worker threads at all (the one place that decides it). Publishing a job and joining it costs a
/// microsecond or two with the worker awake (tens when it must be woken), so a step whose one-thread time is below
/// a few microseconds runs on the calling thread: the small Gemm, Softmax, Concat and Transpose steps of a 3-MFLOP
/// model or a short-sequence transformer, a squeeze-excite block's 1x1 convolutions.
/// </summary>
internal static class StepWork
{
    /// <summary>The smallest work worth splitting: the same floor the element-wise and GEMV kernels use for one task
    /// (<see cref="Operators.Common.ParallelRange.MinWorkPerTask"/>), in elements read and written.</summary>
    public const long ParallelThreshold = Operators.Common.ParallelRange.MinWorkPerTask;

    /// <summary>Multiply-adds that take about as long as one element read and written: a vectorised GEMM does
    /// dozens per cycle, a memory pass a few elements. Matrix and convolution steps fork from
    /// <see cref="ParallelThreshold"/> x this many multiply-adds (about 5 µs on one AVX2 core).</summary>
    public const long MultiplyAddsPerElement = 8;

    /// <summary>Whether <paramref name="node"/> should run on the calling thread whatever the session's thread count.</summary>
    public static bool RunsInline(GraphNode node, ExecutionPlan plan)
    {
        long work = Estimate(node, plan);
        if (work == long.MaxValue) return false;
        return IsMatrixWork(node.OpType) ? work < ParallelThreshold * MultiplyAddsPerElement : work < ParallelThreshold;
    }

    private static bool IsMatrixWork(string opType) => opType is OpTypes.Conv or OpTypes.ConvTranspose or OpTypes.MatMul or OpTypes.Gemm;

    /// <summary>Multiply-adds for the matrix and convolution operators, elements read and written for the others;
    /// <see cref="long.MaxValue"/> (never inlined) for operators whose work the shapes do not bound (recurrences, Einsum).</summary>
    public static long Estimate(GraphNode node, ExecutionPlan plan)
    {
        long Elements(int value) => value < 0 ? 0 : Shape.ElementCount(plan.Values[value].Dims);
        int[] Dims(int value) => plan.Values[value].Dims;
        long output = Elements(node.Outputs[0]);
        switch (node.OpType)
        {
            case OpTypes.Conv:
            case OpTypes.ConvTranspose:
            {
                // Weights are [O, I/g, kh, kw] (Conv) or [I, O/g, kh, kw] (ConvTranspose): each element of the
                // side that is not the weights' first axis meets elements/dims[0] of them.
                var weights = Dims(node.Inputs[1]);
                long perElement = weights.Length == 0 || weights[0] == 0 ? 0 : Shape.ElementCount(weights) / weights[0];
                long side = node.OpType == OpTypes.Conv ? output : Elements(node.Inputs[0]);
                return Saturating(side, perElement);
            }
            case OpTypes.MatMul:
            {
                var a = Dims(node.Inputs[0]);
                return Saturating(output, a.Length == 0 ? 1 : a[^1]);
            }
            case OpTypes.Gemm:
            {
                var y = Dims(node.Outputs[0]);
                long rows = y.Length == 0 || y[0] == 0 ? 1 : y[0];
                return Saturating(output, Elements(node.Inputs[0]) / rows);
            }
            case OpTypes.Lstm or OpTypes.Gru or OpTypes.Rnn or OpTypes.Einsum:
                return long.MaxValue;
            default:
            {
                long total = 0;
                foreach (int v in node.Inputs) total += Elements(v);
                foreach (int v in node.Outputs) total += Elements(v);
                return total;
            }
        }
    }

    private static long Saturating(long a, long b) => b != 0 && a > long.MaxValue / b ? long.MaxValue : a * b;
}
