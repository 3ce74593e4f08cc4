using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Indexing;

/// <summary>
/// OneHot: indices (any numeric type; fractions truncate), depth (scalar, constant), values ([off, on], the output's
/// type); attr axis (-1, where the new axis of size depth goes, in [-r-1, r]). Negative indices count from depth;
/// indices outside [-depth, depth) give an all-off row.
/// </summary>
internal sealed class OneHotOperator() : Operator(OpTypes.OneHot)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var indices = RequireType(context, 0, Numeric.Numbers);
        RequireType(context, 1, Numeric.Numbers);
        var values = RequireType(context, 2, Numeric.Any);
        if (values.ElementCount != 2) throw Error($"values must hold 2 elements [off, on], got {Shape.Format(values.Dims)}");
        int depth = Depth(context);
        int axis = Axis(context, indices.Rank);
        return One(values.Type, [.. indices.Dims[..axis], depth, .. indices.Dims[axis..]]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var indices = context.Input(0);
        int axis = Axis(context, indices.Rank);
        return TypeDispatch.Move(outputs[0].Type.SizeOf(), new Factory(Shape.ElementCount(indices.Dims.AsSpan(0, axis)),
            Depth(context), Shape.ElementCount(indices.Dims.AsSpan(axis)), indices.Type));
    }

    private int Depth(OpContext context)
    {
        var t = context.RequireConstant(1, "OneHot depth");
        if (t.ElementCount != 1) throw Error($"depth must be a scalar, got {Shape.Format(t.Dims)}");
        double depth = t.ToDoubleArray()[0];
        return depth >= 1 && depth <= int.MaxValue ? (int)depth : throw Error($"depth {depth} must be at least 1");
    }

    private int Axis(OpContext context, int rank)
    {
        long axis = context.Attributes.GetInt("axis", -1);
        long a = axis < 0 ? axis + rank + 1 : axis;
        return a >= 0 && a <= rank ? (int)a : throw Error($"axis {axis} is out of range [{-rank - 1}, {rank}] for indices of rank {rank}");
    }

    private readonly struct Factory(long outer, int depth, long inner, DataType indexType) : IMoveKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged => new OneHotKernel<T>(outer, depth, inner, indexType);
    }
}

internal sealed unsafe class OneHotKernel<T>(long outer, int depth, long inner, DataType indexType) : IKernel where T : unmanaged
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var indices = (byte*)args.Inputs[0];
        var values = (T*)args.Inputs[2];
        var y = (T*)args.Outputs[0];
        T off = values[0], on = values[1];
        new Span<T>(y, checked((int)(outer * depth * inner))).Fill(off);
        for (long o = 0; o < outer; o++)
        {
            for (long i = 0; i < inner; i++)
            {
                long index = Index(indices, o * inner + i);
                if (index < -depth || index >= depth) continue;
                if (index < 0) index += depth;
                y[(o * depth + index) * inner + i] = on;
            }
        }
    }

    private long Index(byte* indices, long i) => indexType switch
    {
        DataType.Float32 => (long)((float*)indices)[i],
        DataType.Float64 => (long)((double*)indices)[i],
        DataType.Int32 => ((int*)indices)[i],
        DataType.Int64 => ((long*)indices)[i],
        DataType.Int8 => ((sbyte*)indices)[i],
        _ => indices[i],
    };
}
