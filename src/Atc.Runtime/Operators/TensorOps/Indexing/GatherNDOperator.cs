using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Indexing;

/// <summary>
/// GatherND: data, indices (int64/int32, last axis = coordinate tuples); attr batch_dims (0).
/// Output dims: data[:b] + indices[b:-1] + data[b + indices[-1]:].
/// </summary>
internal sealed class GatherNDOperator() : Operator(OpTypes.GatherND)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var data = RequireType(context, 0, Numeric.Any);
        RequireType(context, 1, Numeric.Indices);
        var a = Addressing(context);
        return One(data.Type, [.. a.TupleDims, .. a.SliceDims]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
        => new GatherNDKernel(Addressing(context), context.Input(0).Type.SizeOf(), context.Input(1).Type == DataType.Int64);

    private TupleAddressing Addressing(OpContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        return new TupleAddressing(OpType, data.Dims, indices.Dims, (int)context.Attributes.GetInt("batch_dims", 0));
    }
}

internal sealed unsafe class GatherNDKernel(TupleAddressing a, int elementSize, bool int64) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var data = (byte*)args.Inputs[0];
        void* indices = (void*)args.Inputs[1];
        var output = (byte*)args.Outputs[0];
        long sliceBytes = a.SliceSize * elementSize;
        for (long b = 0; b < a.Batches; b++)
        {
            for (long t = 0; t < a.TuplesPerBatch; t++)
            {
                long tuple = b * a.TuplesPerBatch + t;
                byte* source = data + (b * a.BatchSize + a.SliceOffset(indices, int64, tuple)) * elementSize;
                Buffer.MemoryCopy(source, output + tuple * sliceBytes, sliceBytes, sliceBytes);
            }
        }
    }
}
