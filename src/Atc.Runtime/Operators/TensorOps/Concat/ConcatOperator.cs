using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Concat;

/// <summary>Concat: one or more inputs of the same type and rank, equal except along attr "axis".</summary>
internal sealed class ConcatOperator() : Operator(OpTypes.Concat)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        if (context.InputCount == 0) throw Error("needs at least one input");
        var first = RequireType(context, 0, Numeric.Any);
        RequireSameType(context, 0, context.InputCount);
        int axis = Axis(context, first.Rank);
        var dims = (int[])first.Dims.Clone();
        long total = first.Dims[axis];
        for (int i = 1; i < context.InputCount; i++)
        {
            var input = context.Input(i);
            if (input.Rank != first.Rank)
                throw Error($"input {i} {Shape.Format(input.Dims)} has rank {input.Rank}, input 0 {Shape.Format(first.Dims)} has rank {first.Rank}");
            for (int d = 0; d < dims.Length; d++)
            {
                if (d != axis && input.Dims[d] != first.Dims[d])
                    throw Error($"input {i} {Shape.Format(input.Dims)} differs from input 0 {Shape.Format(first.Dims)} in dim {d}, not the concat axis {axis}");
            }
            total += input.Dims[axis];
        }
        dims[axis] = checked((int)total);
        return One(first.Type, dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var output = outputs[0];
        int axis = Axis(context, output.Rank);
        long outer = Shape.ElementCount(output.Dims.AsSpan(0, axis));
        long innerBytes = Shape.ElementCount(output.Dims.AsSpan(axis + 1)) * output.Type.SizeOf();
        var chunks = Enumerable.Range(0, context.InputCount).Select(i => context.Input(i).Dims[axis] * innerBytes).ToArray();
        return new ConcatKernel(outer, chunks);
    }

    private int Axis(OpContext context, int rank)
    {
        if (rank == 0) throw Error("cannot concatenate scalars");
        long axis = context.Attributes.GetInt("axis", 0);
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw Error($"axis {axis} is out of range for rank {rank}");
        return (int)a;
    }
}

/// <summary>For each outer index, copies each input's chunk in turn.</summary>
internal sealed unsafe class ConcatKernel(long outer, long[] chunkBytes) : IKernel
{
    private readonly long _rowBytes = chunkBytes.Sum();

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var output = (byte*)args.Outputs[0];
        long offset = 0;
        for (int i = 0; i < chunkBytes.Length; i++)
        {
            long chunk = chunkBytes[i];
            if (chunk == 0) continue;
            var input = (byte*)args.Inputs[i];
            for (long o = 0; o < outer; o++) Buffer.MemoryCopy(input + o * chunk, output + o * _rowBytes + offset, chunk, chunk);
            offset += chunk;
        }
    }
}
