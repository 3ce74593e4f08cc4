namespace Atc.Runtime.Operators.Common;

/// <summary>Copies input 0 broadcast (numpy rules) into the output shape: Expand, and the first step of variadic ops.</summary>
internal sealed unsafe class BroadcastCopyKernel<T>(BroadcastPlan plan) : IKernel where T : unmanaged
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args) => Execute((T*)args.Inputs[0], (T*)args.Outputs[0], args.Workers);

    public void Execute(T* source, T* destination, IWorkerPool workers)
    {
        var body = new Body(plan, source, destination);
        ParallelRange.For(workers, plan.WorkItems, plan.SegmentLength, ref body);
    }

    private readonly struct Body(BroadcastPlan plan, T* source, T* destination) : IRangeBody
    {
        public void Run(long start, long end)
        {
            bool vector = plan.InnerIsVector(0);
            Span<int> index = stackalloc int[plan.OuterRank];
            Span<long> offset = stackalloc long[1];
            for (long item = start; item < end; item++)
            {
                var (row, first, length) = plan.Segment(item);
                if (item == start || plan.Segments > 1) plan.Seek(row, index, offset);
                var dst = new Span<T>(destination + row * plan.Inner + first, length);
                if (vector) new ReadOnlySpan<T>(source + offset[0] + first, length).CopyTo(dst);
                else dst.Fill(source[offset[0]]);
                if (plan.Segments == 1) plan.Next(index, offset);
            }
        }
    }
}

internal readonly struct BroadcastCopyFactory(BroadcastPlan plan) : IMoveKernelFactory
{
    public IKernel Create<T>() where T : unmanaged => new BroadcastCopyKernel<T>(plan);
}
