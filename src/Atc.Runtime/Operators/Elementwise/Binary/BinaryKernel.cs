using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

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
        ParallelRange.For(workers, plan.WorkItems, plan.SegmentLength, ref body);
    }

    private readonly struct Body(BroadcastPlan plan, T* a, T* b, TOut* output) : IRangeBody
    {
        public void Run(long start, long end)
        {
            Span<int> index = stackalloc int[plan.OuterRank];
            Span<long> offsets = stackalloc long[2];
            if (plan.Segments > 1)
            {
                for (long item = start; item < end; item++)
                {
                    var (row, first, length) = plan.Segment(item);
                    plan.Seek(row, index, offsets);
                    Apply(offsets, first, output + row * plan.Inner + first, length);
                }
                return;
            }
            int inner = plan.Inner;
            plan.Seek(start, index, offsets);
            for (long row = start; row < end; row++)
            {
                Apply(offsets, 0, output + row * inner, inner);
                plan.Next(index, offsets);
            }
        }

        /// <summary>Elements [first, first + length) of the inner run whose inputs start at <paramref name="offsets"/>.</summary>
        private void Apply(Span<long> offsets, int first, TOut* destinationStart, int length)
        {
            bool aVector = plan.InnerIsVector(0), bVector = plan.InnerIsVector(1);
            var destination = new Span<TOut>(destinationStart, length);
            T* pa = a + offsets[0] + (aVector ? first : 0), pb = b + offsets[1] + (bVector ? first : 0);
            if (aVector && bVector) TOp.VecVec(new ReadOnlySpan<T>(pa, length), new ReadOnlySpan<T>(pb, length), destination);
            else if (aVector) TOp.VecScalar(new ReadOnlySpan<T>(pa, length), *pb, destination);
            else if (bVector) TOp.ScalarVec(*pa, new ReadOnlySpan<T>(pb, length), destination);
            else TOp.VecScalar(new ReadOnlySpan<T>(pa, 1), *pb, destination); // both scalar: the run has one element
        }
    }
}
