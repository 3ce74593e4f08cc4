using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise;

/// <summary>
/// A broadcasting binary kernel: loops over the outer dims of a <see cref="BroadcastPlan"/> and applies the op to
/// each inner run (vector-vector, vector-scalar or scalar-vector). Output may alias input A (variadic ops run in place).
/// </summary>
internal sealed unsafe class BinaryKernel<T, TOut, TOp>(BroadcastPlan plan) : IKernel
    where T : unmanaged where TOut : unmanaged where TOp : IBinaryOp<T, TOut>
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args) => Execute((T*)args.Inputs[0], (T*)args.Inputs[1], (TOut*)args.Outputs[0], args.Workers);

    public void Execute(T* a, T* b, TOut* output, IWorkerPool workers)
    {
        var body = new Body(plan, a, b, output);
        ParallelRange.For(workers, plan.OuterCount, plan.Inner, ref body);
    }

    private readonly struct Body(BroadcastPlan plan, T* a, T* b, TOut* output) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int inner = plan.Inner;
            bool aVector = plan.InnerIsVector(0), bVector = plan.InnerIsVector(1);
            Span<int> index = stackalloc int[plan.OuterRank];
            Span<long> offsets = stackalloc long[2];
            plan.Seek(start, index, offsets);
            for (long row = start; row < end; row++)
            {
                var destination = new Span<TOut>(output + row * inner, inner);
                T* pa = a + offsets[0], pb = b + offsets[1];
                if (aVector && bVector) TOp.VecVec(new ReadOnlySpan<T>(pa, inner), new ReadOnlySpan<T>(pb, inner), destination);
                else if (aVector) TOp.VecScalar(new ReadOnlySpan<T>(pa, inner), *pb, destination);
                else if (bVector) TOp.ScalarVec(*pa, new ReadOnlySpan<T>(pb, inner), destination);
                else TOp.VecScalar(new ReadOnlySpan<T>(pa, 1), *pb, destination); // both scalar: inner is 1
                plan.Next(index, offsets);
            }
        }
    }
}
