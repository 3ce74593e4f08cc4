using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Shaping;

/// <summary>
/// Reshape: data, shape (constant int64). A -1 is inferred (at most one); with allowzero=0 (ONNX default) a 0
/// copies the input dim at that position, with allowzero=1 (TensorFlow) it is a zero-size dim.
/// </summary>
internal sealed class ReshapeOperator() : Operator(OpTypes.Reshape)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var data = RequireType(context, 0, Numeric.Any);
        long[] shape = ConstantInts(context, 1, "shape");
        bool allowZero = context.Attributes.GetInt("allowzero", 0) != 0;
        var dims = new int[shape.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long s = shape[i];
            if (s == -1)
            {
                if (inferred >= 0) throw Error($"shape {Shape.Format(shape)} has more than one -1");
                inferred = i;
                continue;
            }
            if (s < -1) throw Error($"shape {Shape.Format(shape)} has invalid dim {s} at position {i}");
            if (s == 0 && !allowZero)
            {
                if (i >= data.Rank) throw Error($"shape {Shape.Format(shape)} copies dim {i} (0) but the input {Shape.Format(data.Dims)} has rank {data.Rank}");
                s = data.Dims[i];
            }
            if (s > int.MaxValue) throw Error($"shape {Shape.Format(shape)} has dim {s}, larger than supported");
            dims[i] = (int)s;
            known *= s;
        }
        long total = data.ElementCount;
        if (inferred >= 0)
        {
            if (known == 0 || total % known != 0)
                throw Error($"cannot infer -1 in shape {Shape.Format(shape)}: {total} elements of {Shape.Format(data.Dims)} do not divide by {known}");
            dims[inferred] = (int)(total / known);
        }
        else if (known != total)
        {
            throw Error($"cannot reshape {Shape.Format(data.Dims)} ({total} elements) into {Shape.Format(shape)} ({known} elements)");
        }
        return One(data.Type, dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs) => new CopyKernel(outputs[0].ByteCount);
}
