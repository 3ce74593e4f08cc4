using Atc.Runtime.Operators.Elementwise.Binary;
using Atc.Runtime.Operators.Elementwise.Cast;
using Atc.Runtime.Operators.Elementwise.Softmax;
using Atc.Runtime.Operators.Elementwise.Unary;
using Atc.Runtime.Operators.Reduction;

namespace Atc.Runtime.Operators.Elementwise;

/// <summary>The operators of this family, registered by <see cref="OperatorCatalog"/>.</summary>
internal static class ElementwiseOperators
{
    public static IEnumerable<OperatorEntry> Entries() =>
    [
        new(OpTypes.Add, static t => new ArithmeticOperator(t)),
        new(OpTypes.Sub, static t => new ArithmeticOperator(t)),
        new(OpTypes.Mul, static t => new ArithmeticOperator(t)),
        new(OpTypes.Div, static t => new ArithmeticOperator(t)),
        new(OpTypes.Mod, static t => new ArithmeticOperator(t)),
        new(OpTypes.Pow, static _ => new PowOperator()),
        new(OpTypes.Equal, static t => new ComparisonOperator(t)),
        new(OpTypes.Less, static t => new ComparisonOperator(t)),
        new(OpTypes.LessOrEqual, static t => new ComparisonOperator(t)),
        new(OpTypes.Greater, static t => new ComparisonOperator(t)),
        new(OpTypes.GreaterOrEqual, static t => new ComparisonOperator(t)),
        new(OpTypes.And, static t => new LogicalOperator(t)),
        new(OpTypes.Or, static t => new LogicalOperator(t)),
        new(OpTypes.Xor, static t => new LogicalOperator(t)),
        new(OpTypes.Max, static t => new VariadicOperator(t)),
        new(OpTypes.Min, static t => new VariadicOperator(t)),
        new(OpTypes.Sum, static t => new VariadicOperator(t)),
        new(OpTypes.Mean, static t => new VariadicOperator(t)),
        new(OpTypes.BitShift, static _ => new BitShiftOperator()),
        new(OpTypes.PRelu, static _ => new PReluOperator()),
        new(OpTypes.Where, static _ => new WhereOperator()),
        .. UnaryOperators.Entries(),
        .. FusedActivations.Entries(),
        new(OpTypes.GatedMul, static _ => new GatedMulOperator()),
        new(OpTypes.FusedElementwise, static _ => new Elementwise.Fused.FusedElementwiseOperator()),
        new(OpTypes.Clip, static _ => new ClipOperator()),
        new(OpTypes.Cast, static _ => new CastOperator()),
        new(OpTypes.Softmax, static t => new SoftmaxOperator(t)),
        new(OpTypes.LogSoftmax, static t => new SoftmaxOperator(t)),
        .. ReductionOperators.Entries(),
    ];
}
