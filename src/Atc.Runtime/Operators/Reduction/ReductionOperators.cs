using Atc.Runtime.Operators.Reduction.Einsum;

namespace Atc.Runtime.Operators.Reduction;

/// <summary>The reductions, registered with the element-wise family.</summary>
internal static class ReductionOperators
{
    public static IEnumerable<OperatorEntry> Entries() =>
    [
        new(OpTypes.ReduceMean, static t => new ReduceOperator(t)),
        new(OpTypes.ReduceSum, static t => new ReduceOperator(t)),
        new(OpTypes.ReduceMax, static t => new ReduceOperator(t)),
        new(OpTypes.ReduceMin, static t => new ReduceOperator(t)),
        new(OpTypes.ReduceProd, static t => new ReduceOperator(t)),
        new(OpTypes.ReduceSumSquare, static t => new ReduceOperator(t)),
        new(OpTypes.ReduceL1, static t => new ReduceOperator(t)),
        new(OpTypes.ReduceL2, static t => new ReduceOperator(t)),
        new(OpTypes.ReduceLogSumExp, static t => new ReduceOperator(t)),
        new(OpTypes.ArgMax, static t => new ArgReduceOperator(t)),
        new(OpTypes.ArgMin, static t => new ArgReduceOperator(t)),
        new(OpTypes.CumSum, static _ => new CumSumOperator()),
        new(OpTypes.Hardmax, static _ => new HardmaxOperator()),
        new(OpTypes.TopK, static _ => new TopKOperator()),
        new(OpTypes.Einsum, static _ => new EinsumOperator()),
    ];
}
