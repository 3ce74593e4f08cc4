using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Indexing;

/// <summary>
/// ScatterND: data, indices (int64/int32, last axis = coordinate tuples), updates (indices[:-1] + data[k:]);
/// attr reduction ("none", "add", "mul", "max", "min"). The output is data with each update slice written (or
/// reduced) where the tuple points; tuples apply in order.
/// </summary>
internal sealed class ScatterNDOperator() : Operator(OpTypes.ScatterND)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var data = RequireType(context, 0, Numeric.Any);
        RequireType(context, 1, Numeric.Indices);
        var updates = RequireType(context, 2, Numeric.Any);
        if (updates.Type != data.Type) throw Error($"updates have type {updates.Type.Name()} but data has {data.Type.Name()}");
        var a = Addressing(context);
        int[] expected = [.. a.TupleDims, .. a.SliceDims];
        if (!updates.Dims.AsSpan().SequenceEqual(expected))
            throw Error($"updates {Shape.Format(updates.Dims)} must have dims {Shape.Format(expected)} (indices without their last axis, then the rest of data)");
        string reduction = Reduction(context);
        if (reduction != "none" && data.Type == DataType.Bool) throw Error($"reduction \"{reduction}\" needs a numeric type, got bool");
        return One(data.Type, data.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs) => ScatterKernels.Create(Reduction(context),
        context.Input(0).Type, new Factory(Addressing(context), context.Input(0).ElementCount, context.Input(1).Type == DataType.Int64));

    private TupleAddressing Addressing(OpContext context) => new(OpType, context.Input(0).Dims, context.Input(1).Dims, 0);

    private string Reduction(OpContext context)
    {
        string reduction = context.Attributes.GetString("reduction", "none");
        return Array.IndexOf(ScatterKernels.Reductions, reduction) >= 0
            ? reduction
            : throw Error($"reduction \"{reduction}\" is not one of {string.Join(", ", ScatterKernels.Reductions)}");
    }

    private readonly struct Factory(TupleAddressing addressing, long dataCount, bool int64) : IScatterKernelFactory
    {
        public IKernel Create<T, TCombine>() where T : unmanaged where TCombine : IScatterCombine<T> =>
            new ScatterNDKernel<T, TCombine>(addressing, dataCount, int64);
    }
}

internal sealed unsafe class ScatterNDKernel<T, TCombine>(TupleAddressing a, long dataCount, bool int64) : IKernel
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
        for (long t = 0; t < a.TuplesPerBatch; t++)
        {
            T* target = output + a.SliceOffset(indices, int64, t);
            T* source = updates + t * a.SliceSize;
            for (long i = 0; i < a.SliceSize; i++) target[i] = TCombine.Combine(target[i], source[i]);
        }
    }
}
