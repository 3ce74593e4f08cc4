using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Concat;

/// <summary>
/// Split: one input into N outputs along attr axis (0). Sizes from attr "split" or constant input 1; otherwise equal
/// parts (the last one smaller when the dim does not divide, as ONNX-18 specifies).
/// </summary>
internal sealed class SplitOperator() : Operator(OpTypes.Split)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        var (axis, sizes) = Plan(context, x);
        return [.. sizes.Select(s =>
        {
            var dims = (int[])x.Dims.Clone();
            dims[axis] = s;
            return new TensorType(x.Type, dims);
        })];
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        var (axis, sizes) = Plan(context, x);
        long outer = Shape.ElementCount(x.Dims.AsSpan(0, axis));
        long innerBytes = Shape.ElementCount(x.Dims.AsSpan(axis + 1)) * x.Type.SizeOf();
        return new SplitKernel(outer, [.. sizes.Select(s => s * innerBytes)]);
    }

    private (int Axis, int[] Sizes) Plan(OpContext context, TensorType x)
    {
        if (x.Rank == 0) throw Error("cannot split a scalar");
        long axisAttr = context.Attributes.GetInt("axis", 0);
        long a = axisAttr < 0 ? axisAttr + x.Rank : axisAttr;
        if (a < 0 || a >= x.Rank) throw Error($"axis {axisAttr} is out of range for rank {x.Rank}");
        int axis = (int)a, dim = x.Dims[axis];
        long[] split = context.HasInput(1) ? ConstantInts(context, 1, "split") : context.Attributes.GetInts("split", []);
        int count = context.OutputCount;
        if (split.Length > 0)
        {
            if (split.Length != count) throw Error($"split {Shape.Format(split)} has {split.Length} sizes for {count} outputs");
            if (split.Any(s => s < 0)) throw Error($"split {Shape.Format(split)} has a negative size");
            if (split.Sum() != dim) throw Error($"split {Shape.Format(split)} sums to {split.Sum()} but axis {axis} of {Shape.Format(x.Dims)} has {dim}");
            return (axis, [.. split.Select(s => (int)s)]);
        }
        if (count < 1) throw Error("needs at least one output");
        int part = (dim + count - 1) / count;
        if (dim > 0 && (long)part * (count - 1) >= dim)
            throw Error($"cannot split axis {axis} of size {dim} into {count} non-empty parts");
        return (axis, [.. Enumerable.Range(0, count).Select(i => Math.Max(0, Math.Min(part, dim - i * part)))]);
    }
}

internal sealed unsafe class SplitKernel(long outer, long[] chunkBytes) : IKernel
{
    private readonly long _rowBytes = chunkBytes.Sum();

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var input = (byte*)args.Inputs[0];
        long offset = 0;
        for (int i = 0; i < chunkBytes.Length; i++)
        {
            long chunk = chunkBytes[i];
            if (chunk == 0) continue;
            var output = (byte*)args.Outputs[i];
            for (long o = 0; o < outer; o++) Buffer.MemoryCopy(input + o * _rowBytes + offset, output + o * chunk, chunk, chunk);
            offset += chunk;
        }
    }
}
