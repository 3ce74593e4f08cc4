using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Indexing;

/// <summary>
/// ScatterElements: data, indices (int32/int64, same rank as data), updates (shape of indices); attrs axis (0),
/// reduction ("none", "add", "mul", "max", "min"). The output is data with each update written (or reduced) at the
/// element GatherElements would read. Duplicate indices apply in order, so with "none" the last one wins.
/// </summary>
internal sealed class ScatterElementsOperator() : Operator(OpTypes.ScatterElements)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var data = RequireType(context, 0, Numeric.Any);
        var indices = RequireType(context, 1, Numeric.Indices);
        var updates = RequireType(context, 2, Numeric.Any);
        if (updates.Type != data.Type) throw Error($"updates have type {updates.Type.Name()} but data has {data.Type.Name()}");
        if (!updates.Dims.AsSpan().SequenceEqual(indices.Dims))
            throw Error($"updates {Shape.Format(updates.Dims)} must have the shape of indices {Shape.Format(indices.Dims)}");
        int axis = Axis(context, data.Rank);
        ElementAddressing.CheckShapes(OpType, data.Dims, indices.Dims, axis);
        IndexValues.CheckConstant(context.Constant(1), data.Dims[axis], Error, $"axis {axis}");
        string reduction = Reduction(context);
        if (reduction != "none" && data.Type == DataType.Bool) throw Error($"reduction \"{reduction}\" needs a numeric type, got bool");
        return One(data.Type, data.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        var addressing = new ElementAddressing(data.Dims, indices.Dims, Axis(context, data.Rank));
        return ScatterKernels.Create(Reduction(context), data.Type,
            new Factory(addressing, data.ElementCount, indices.ElementCount, indices.Type == DataType.Int64));
    }

    private string Reduction(OpContext context)
    {
        string reduction = context.Attributes.GetString("reduction", "none");
        return Array.IndexOf(ScatterKernels.Reductions, reduction) >= 0
            ? reduction
            : throw Error($"reduction \"{reduction}\" is not one of {string.Join(", ", ScatterKernels.Reductions)}");
    }

    private int Axis(OpContext context, int rank)
    {
        if (rank == 0) throw Error("data must have rank ≥ 1");
        long axis = context.Attributes.GetInt("axis", 0);
        return axis >= -rank && axis < rank ? (int)(axis < 0 ? axis + rank : axis) : throw Error($"axis {axis} is out of range for rank {rank}");
    }

    private readonly struct Factory(ElementAddressing addressing, long dataCount, long count, bool int64) : IScatterKernelFactory
    {
        public IKernel Create<T, TCombine>() where T : unmanaged where TCombine : IScatterCombine<T> =>
            new ScatterElementsKernel<T, TCombine>(addressing, dataCount, count, int64);
    }
}

internal sealed unsafe class ScatterElementsKernel<T, TCombine>(ElementAddressing addressing, long dataCount, long count, bool int64) : IKernel
    where T : unmanaged where TCombine : IScatterCombine<T>
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var output = (T*)args.Outputs[0];
        if (args.Inputs[0] != args.Outputs[0])
            Buffer.MemoryCopy((void*)args.Inputs[0], output, dataCount * sizeof(T), dataCount * sizeof(T));
        void* indices = (void*)args.Inputs[1];
        var updates = (T*)args.Inputs[2];
        for (long i = 0; i < count; i++)
        {
            long index = IndexValues.Resolve(OpTypes.ScatterElements, IndexValues.Read(indices, int64, i), addressing.AxisSize);
            T* target = output + addressing.BaseOffset(i) + index * addressing.AxisStride;
            *target = TCombine.Combine(*target, updates[i]);
        }
    }
}
