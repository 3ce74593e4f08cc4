using Atc.Runtime.Operators.Elementwise.Binary;
using Atc.Runtime.Operators.Elementwise.Cast;
using Atc.Runtime.Operators.Elementwise.Softmax;
using Atc.Runtime.Operators.Elementwise.Unary;
using Atc.Runtime.Operators.Reduction;

namespace Atc.Runtime.Operators.Elementwise;

/// <summary>The operators of this family, registered by <see cref="OperatorCatalog"/>.</summary>
internal static class ElementwiseOperators
{
    public static IEnumerable<IOperator> All() =>
    [
        new ArithmeticOperator(OpTypes.Add),
        new ArithmeticOperator(OpTypes.Sub),
        new ArithmeticOperator(OpTypes.Mul),
        new ArithmeticOperator(OpTypes.Div),
        new ArithmeticOperator(OpTypes.Mod),
        new PowOperator(),
        new ComparisonOperator(OpTypes.Equal),
        new ComparisonOperator(OpTypes.Less),
        new ComparisonOperator(OpTypes.LessOrEqual),
        new ComparisonOperator(OpTypes.Greater),
        new ComparisonOperator(OpTypes.GreaterOrEqual),
        new LogicalOperator(OpTypes.And),
        new LogicalOperator(OpTypes.Or),
        new LogicalOperator(OpTypes.Xor),
        new VariadicOperator(OpTypes.Max),
        new VariadicOperator(OpTypes.Min),
        new VariadicOperator(OpTypes.Sum),
        new VariadicOperator(OpTypes.Mean),
        new BitShiftOperator(),
        new PReluOperator(),
        new WhereOperator(),
        .. UnaryOperators.All(),
        .. FusedActivations.Operators(),
        new GatedMulOperator(),
        new Elementwise.Fused.FusedElementwiseOperator(),
        new ClipOperator(),
        new CastOperator(),
        new SoftmaxOperator(OpTypes.Softmax),
        new SoftmaxOperator(OpTypes.LogSoftmax),
        .. ReductionOperators.All(),
    ];
}
