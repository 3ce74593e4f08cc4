using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Indexing;

/// <summary>
/// GatherElements: data, indices (int32/int64, same rank as data, negative allowed); attr axis (0).
/// out[i...] = data[i... with axis coordinate replaced by indices[i...]]; output has the indices' shape.
/// </summary>
internal sealed class GatherElementsOperator() : Operator(OpTypes.GatherElements)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var data = RequireType(context, 0, Numeric.Any);
        var indices = RequireType(context, 1, Numeric.Indices);
        int axis = Axis(context, data.Rank);
        ElementAddressing.CheckShapes(OpType, data.Dims, indices.Dims, axis);
        IndexValues.CheckConstant(context.Constant(1), data.Dims[axis], Error, $"axis {axis}");
        return One(data.Type, indices.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        var addressing = new ElementAddressing(data.Dims, indices.Dims, Axis(context, data.Rank));
        return TypeDispatch.Move(data.Type.SizeOf(), new Factory(addressing, indices.ElementCount, indices.Type == DataType.Int64));
    }

    private int Axis(OpContext context, int rank)
    {
        if (rank == 0) throw Error("data must have rank ≥ 1");
        long axis = context.Attributes.GetInt("axis", 0);
        return axis >= -rank && axis < rank ? (int)(axis < 0 ? axis + rank : axis) : throw Error($"axis {axis} is out of range for rank {rank}");
    }

    private readonly struct Factory(ElementAddressing addressing, long count, bool int64) : IMoveKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged => new GatherElementsKernel<T>(addressing, count, int64);
    }
}

internal sealed unsafe class GatherElementsKernel<T>(ElementAddressing addressing, long count, bool int64) : IKernel where T : unmanaged
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var data = (T*)args.Inputs[0];
        void* indices = (void*)args.Inputs[1];
        var output = (T*)args.Outputs[0];
        for (long i = 0; i < count; i++)
        {
            long index = IndexValues.Resolve(OpTypes.GatherElements, IndexValues.Read(indices, int64, i), addressing.AxisSize);
            output[i] = data[addressing.BaseOffset(i) + index * addressing.AxisStride];
        }
    }
}
