using Atc.Runtime.Operators.Reduction.Einsum;

namespace Atc.Runtime.Operators.Reduction;

/// <summary>The reductions, registered with the element-wise family.</summary>
internal static class ReductionOperators
{
    public static IEnumerable<IOperator> All() =>
    [
        new ReduceOperator(OpTypes.ReduceMean),
        new ReduceOperator(OpTypes.ReduceSum),
        new ReduceOperator(OpTypes.ReduceMax),
        new ReduceOperator(OpTypes.ReduceMin),
        new ReduceOperator(OpTypes.ReduceProd),
        new ReduceOperator(OpTypes.ReduceSumSquare),
        new ReduceOperator(OpTypes.ReduceL1),
        new ReduceOperator(OpTypes.ReduceL2),
        new ReduceOperator(OpTypes.ReduceLogSumExp),
        new ArgReduceOperator(OpTypes.ArgMax),
        new ArgReduceOperator(OpTypes.ArgMin),
        new CumSumOperator(),
        new HardmaxOperator(),
        new TopKOperator(),
        new EinsumOperator(),
    ];
}
