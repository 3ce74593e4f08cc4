using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Unary;

/// <summary>An element-wise unary op: output has the input's shape and type. The kernel comes from a factory.</summary>
internal sealed class UnaryOperator(string opType, DataType[] supported, Func<OpContext, TensorType, IKernel> createKernel)
    : Operator(opType)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, supported);
        return One(x.Type, x.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs) => createKernel(context, context.Input(0));
}
