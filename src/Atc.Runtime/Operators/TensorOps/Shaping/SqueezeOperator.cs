using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Shaping;

/// <summary>Squeeze: attr "axes" (or constant input 1, ONNX-13); empty removes every size-1 axis.</summary>
internal sealed class SqueezeOperator() : Operator(OpTypes.Squeeze)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        long[] axes = context.HasInput(1) ? ConstantInts(context, 1, "axes") : context.Attributes.GetInts("axes", []);
        var remove = new bool[x.Rank];
        if (axes.Length == 0)
        {
            for (int d = 0; d < x.Rank; d++) remove[d] = x.Dims[d] == 1;
        }
        foreach (long axis in axes)
        {
            long a = axis < 0 ? axis + x.Rank : axis;
            if (a < 0 || a >= x.Rank) throw Error($"axis {axis} is out of range for rank {x.Rank}");
            if (x.Dims[a] != 1) throw Error($"cannot squeeze axis {axis} of size {x.Dims[a]} in {Shape.Format(x.Dims)}");
            remove[a] = true;
        }
        return One(x.Type, [.. x.Dims.Where((_, d) => !remove[d])]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs) => new CopyKernel(outputs[0].ByteCount);
}

/// <summary>Unsqueeze: attr "axes" (or constant input 1), positions of the new size-1 axes in the output.</summary>
internal sealed class UnsqueezeOperator() : Operator(OpTypes.Unsqueeze)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        long[] axes = context.HasInput(1) ? ConstantInts(context, 1, "axes") : context.Attributes.GetInts("axes", []);
        if (axes.Length == 0) throw Error("axes must not be empty");
        int rank = x.Rank + axes.Length;
        var inserted = new bool[rank];
        foreach (long axis in axes)
        {
            long a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a >= rank) throw Error($"axis {axis} is out of range for output rank {rank}");
            if (inserted[a]) throw Error($"axis {axis} is listed twice in axes {Shape.Format(axes)}");
            inserted[a] = true;
        }
        var dims = new int[rank];
        for (int d = 0, src = 0; d < rank; d++) dims[d] = inserted[d] ? 1 : x.Dims[src++];
        return One(x.Type, dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs) => new CopyKernel(outputs[0].ByteCount);
}
