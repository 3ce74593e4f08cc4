using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

/// <summary>Shape rule shared by binary element-wise ops: numpy broadcasting of A and B.</summary>
internal abstract class BroadcastBinaryOperator(string opType, DataType[] supported) : Operator(opType)
{
    protected DataType[] Supported { get; } = supported;

    /// <summary>Element type of the output for inputs of type <paramref name="input"/>.</summary>
    protected virtual DataType OutputType(DataType input) => input;

    /// <summary>Whether A and B must have the same element type (Pow allows a different exponent type).</summary>
    protected virtual bool SameTypes => true;

    public override TensorType[] InferOutputs(OpContext context)
    {
        var a = RequireType(context, 0, Supported);
        var b = RequireType(context, 1, Supported);
        if (SameTypes) RequireSameType(context, 0, 2);
        return One(OutputType(a.Type), Broadcast(a.Dims, b.Dims));
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var plan = BroadcastPlan.Create(outputs[0].Dims, context.Input(0).Dims, context.Input(1).Dims);
        return CreateKernel(context, plan, context.Input(0).Type);
    }

    protected abstract IKernel CreateKernel(OpContext context, BroadcastPlan plan, DataType type);

    protected int[] Broadcast(int[] a, int[] b)
    {
        try
        {
            return Shape.Broadcast(a, b);
        }
        catch (ShapeException e)
        {
            throw Error(e.Message);
        }
    }
}
