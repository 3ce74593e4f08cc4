using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Indexing;

/// <summary>
/// ReverseSequence: input (rank ≥ 2), sequence_lens (int64 [batch]); attrs batch_axis (1), time_axis (0), one of
/// them 0 and the other 1. For batch b the first sequence_lens[b] steps along the time axis are reversed; the rest
/// are copied.
/// </summary>
internal sealed class ReverseSequenceOperator() : Operator(OpTypes.ReverseSequence)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        var lens = RequireType(context, 1, Numeric.Indices);
        var (batchAxis, _) = Axes(context, x.Rank);
        if (lens.Rank != 1 || lens.Dims[0] != x.Dims[batchAxis])
            throw Error($"sequence_lens must be [{x.Dims[batchAxis]}] (one per batch entry), got {lens}");
        return One(x.Type, x.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        var (batchAxis, timeAxis) = Axes(context, x.Rank);
        var layout = new SequenceLayout(x.Dims[batchAxis], x.Dims[timeAxis], Shape.ElementCount(x.Dims.AsSpan(2)), batchAxis == 0);
        return TypeDispatch.Move(x.Type.SizeOf(), new Factory(layout, context.Input(1).Type == DataType.Int64));
    }

    private (int Batch, int Time) Axes(OpContext context, int rank)
    {
        if (rank < 2) throw Error($"input must have rank ≥ 2, got rank {rank}");
        long batch = context.Attributes.GetInt("batch_axis", 1), time = context.Attributes.GetInt("time_axis", 0);
        if (!((batch == 0 && time == 1) || (batch == 1 && time == 0)))
            throw Error($"batch_axis {batch} and time_axis {time} must be 0 and 1 (either way round)");
        return ((int)batch, (int)time);
    }

    private readonly struct Factory(SequenceLayout layout, bool int64) : IMoveKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged => new ReverseSequenceKernel<T>(layout, int64);
    }
}

/// <summary>Batch and time sizes, the elements per (batch, time) step, and whether batch is the outer axis.</summary>
internal readonly record struct SequenceLayout(int Batch, int Time, long Step, bool BatchMajor)
{
    public long Offset(long b, long t) => (BatchMajor ? b * Time + t : t * Batch + b) * Step;
}

internal sealed unsafe class ReverseSequenceKernel<T>(SequenceLayout layout, bool int64) : IKernel where T : unmanaged
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        void* lens = (void*)args.Inputs[1];
        var y = (T*)args.Outputs[0];
        for (long b = 0; b < layout.Batch; b++)
        {
            long length = IndexValues.Read(lens, int64, b);
            if (length < 0 || length > layout.Time)
                throw new InferenceInputException($"{OpTypes.ReverseSequence}: sequence_lens[{b}] is {length}, outside [0, {layout.Time}]; pass lengths no longer than the time axis");
            for (long t = 0; t < layout.Time; t++)
            {
                long source = t < length ? length - 1 - t : t;
                new ReadOnlySpan<T>(x + layout.Offset(b, source), checked((int)layout.Step)).CopyTo(new Span<T>(y + layout.Offset(b, t), checked((int)layout.Step)));
            }
        }
    }
}
