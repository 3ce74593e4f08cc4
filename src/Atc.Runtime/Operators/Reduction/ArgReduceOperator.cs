using System.Numerics;
using System.Numerics.Tensors;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Reduction;

/// <summary>ArgMax / ArgMin: attrs axis (0), keepdims (1), select_last_index (0) → int64 indices.</summary>
internal sealed class ArgReduceOperator(string opType) : Operator(opType)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Numbers);
        int axis = Axis(context, x);
        if (x.Dims[axis] == 0) throw Error($"cannot take {OpType} over axis {axis} of size 0 in {Shape.Format(x.Dims)}");
        bool keep = context.Attributes.GetInt("keepdims", 1) != 0;
        var dims = x.Dims.ToList();
        if (keep) dims[axis] = 1;
        else dims.RemoveAt(axis);
        return One(DataType.Int64, [.. dims]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        int axis = Axis(context, x);
        long outer = Shape.ElementCount(x.Dims.AsSpan(0, axis));
        long inner = Shape.ElementCount(x.Dims.AsSpan(axis + 1));
        bool last = context.Attributes.GetInt("select_last_index", 0) != 0;
        return TypeDispatch.Number(x.Type, new Factory(outer, x.Dims[axis], checked((int)inner), OpType == OpTypes.ArgMax, last));
    }

    private int Axis(OpContext context, TensorType x)
    {
        long axis = context.Attributes.GetInt("axis", 0);
        long a = axis < 0 ? axis + x.Rank : axis;
        if (a < 0 || a >= x.Rank) throw Error($"axis {axis} is out of range for rank {x.Rank}");
        return (int)a;
    }

    private readonly struct Factory(long outer, int length, int inner, bool max, bool last) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new ArgReduceKernel<T>(outer, length, inner, max, last);
    }
}

internal sealed unsafe class ArgReduceKernel<T>(long outer, int length, int inner, bool max, bool last) : IKernel
    where T : unmanaged, INumber<T>
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (long*)args.Outputs[0];
        for (long o = 0; o < outer; o++)
        {
            T* block = x + o * length * inner;
            long* result = y + o * inner;
            if (inner == 1 && !last)
            {
                var row = new ReadOnlySpan<T>(block, length);
                *result = max ? TensorPrimitives.IndexOfMax(row) : TensorPrimitives.IndexOfMin(row);
                continue;
            }
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                T bestValue = block[i];
                for (int r = 1; r < length; r++)
                {
                    T v = block[(long)r * inner + i];
                    if (Better(v, bestValue)) { best = r; bestValue = v; }
                }
                result[i] = best;
            }
        }
    }

    /// <summary>Strictly better, or equal when the last index is wanted.</summary>
    private bool Better(T v, T current) => max
        ? (last ? v >= current : v > current)
        : (last ? v <= current : v < current);
}
