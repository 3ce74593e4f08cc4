using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Broadcast;

/// <summary>Expand: input, shape (constant int64) → input broadcast with shape in both directions (numpy rules).</summary>
internal sealed class ExpandOperator() : Operator(OpTypes.Expand)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        long[] shape = ConstantInts(context, 1, "shape");
        if (shape.Any(s => s < 0 || s > int.MaxValue)) throw Error($"shape {Shape.Format(shape)} has an invalid dim");
        try
        {
            return One(x.Type, Shape.Broadcast(x.Dims, [.. shape.Select(s => (int)s)]));
        }
        catch (ShapeException e)
        {
            throw Error(e.Message);
        }
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        return TypeDispatch.Move(x.Type.SizeOf(), new BroadcastCopyFactory(BroadcastPlan.Create(outputs[0].Dims, x.Dims)));
    }
}
