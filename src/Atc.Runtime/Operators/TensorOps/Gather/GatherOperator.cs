using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Gather;

/// <summary>
/// Gather: data, indices (int32/int64, negative counts from the end; constant or run-time); attr axis (0).
/// Output dims: data[:axis] + indices + data[axis+1:].
/// </summary>
internal sealed class GatherOperator() : Operator(OpTypes.Gather)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var data = RequireType(context, 0, Numeric.Any);
        var indices = RequireType(context, 1, Numeric.Indices);
        int axis = Axis(context, data.Rank);
        int dim = data.Dims[axis];
        if (context.Constant(1) is { } constant)
        {
            foreach (long i in constant.ToInt64Array())
            {
                if (i < -dim || i >= dim) throw Error($"index {i} is out of range for axis {axis} of size {dim} in {Shape.Format(data.Dims)}");
            }
        }
        return One(data.Type, [.. data.Dims[..axis], .. indices.Dims, .. data.Dims[(axis + 1)..]]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        int axis = Axis(context, data.Rank);
        long outer = Shape.ElementCount(data.Dims.AsSpan(0, axis));
        long inner = Shape.ElementCount(data.Dims.AsSpan(axis + 1));
        return new GatherKernel(outer, data.Dims[axis], inner, data.Type.SizeOf(), indices.ElementCount, indices.Type == DataType.Int64);
    }

    private int Axis(OpContext context, int rank)
    {
        if (rank == 0) throw Error("data must have rank ≥ 1");
        long axis = context.Attributes.GetInt("axis", 0);
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw Error($"axis {axis} is out of range for rank {rank}");
        return (int)a;
    }
}

/// <summary>Copies one block of data[o, index, :] per (outer, index) pair, in output order.</summary>
internal sealed unsafe class GatherKernel(long outer, int dim, long inner, int elementSize, long indexCount, bool int64Indices) : IKernel
{
    private readonly long _blockBytes = inner * elementSize;

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var data = (byte*)args.Inputs[0];
        var output = (byte*)args.Outputs[0];
        long* longs = (long*)args.Inputs[1];
        int* ints = (int*)args.Inputs[1];
        for (long o = 0; o < outer; o++)
        {
            for (long j = 0; j < indexCount; j++)
            {
                long index = int64Indices ? longs[j] : ints[j];
                if (index < -dim || index >= dim)
                    throw new InferenceInputException($"Gather: the indices hold {index}, outside [{-dim}, {dim}) for an axis of size {dim}; pass indices that address existing elements");
                if (index < 0) index += dim;
                byte* source = data + (o * dim + index) * _blockBytes;
                byte* destination = output + (o * indexCount + j) * _blockBytes;
                if (_blockBytes == 4) *(uint*)destination = *(uint*)source;
                else if (_blockBytes == 8) *(ulong*)destination = *(ulong*)source;
                else Buffer.MemoryCopy(source, destination, _blockBytes, _blockBytes);
            }
        }
    }
}
