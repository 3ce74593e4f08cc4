using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

/// <summary>And, Or, Xor on bool tensors.</summary>
internal sealed class LogicalOperator(string opType) : BroadcastBinaryOperator(opType, Numeric.Bool)
{
    protected override IKernel CreateKernel(OpContext context, BroadcastPlan plan, DataType type) => OpType switch
    {
        OpTypes.And => new BinaryKernel<byte, byte, AndOp>(plan),
        OpTypes.Or => new BinaryKernel<byte, byte, OrOp>(plan),
        OpTypes.Xor => new BinaryKernel<byte, byte, XorOp>(plan),
        _ => throw Error("not a logical op"),
    };
}
