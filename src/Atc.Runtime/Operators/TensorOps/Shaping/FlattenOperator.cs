using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Shaping;

/// <summary>Flatten: attr axis (1, in [-rank, rank]) → [prod(dims[:axis]), prod(dims[axis:])].</summary>
internal sealed class FlattenOperator() : Operator(OpTypes.Flatten)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        long axis = context.Attributes.GetInt("axis", 1);
        long a = axis < 0 ? axis + x.Rank : axis;
        if (a < 0 || a > x.Rank) throw Error($"axis {axis} is out of range for rank {x.Rank} (allowed -{x.Rank}..{x.Rank})");
        long rows = Shape.ElementCount(x.Dims.AsSpan(0, (int)a));
        long columns = Shape.ElementCount(x.Dims.AsSpan((int)a));
        return One(x.Type, [checked((int)rows), checked((int)columns)]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs) => new CopyKernel(outputs[0].ByteCount);
}
