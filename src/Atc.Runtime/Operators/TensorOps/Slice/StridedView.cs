using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Slice;

/// <summary>
/// A strided window of a tensor copied out contiguously: per axis a start, a step (may be negative) and a count.
/// Size-1 axes are folded into the base offset and neighbouring axes merged when the window is contiguous across
/// them, so a slice of whole rows becomes a few large copies.
/// </summary>
internal sealed class StridedView
{
    public long BaseOffset { get; }
    /// <summary>Collapsed output dims (at least one).</summary>
    public int[] Dims { get; }
    /// <summary>Input element stride for each collapsed dim (negative for reversed axes).</summary>
    public long[] Strides { get; }
    public long Count { get; }

    private StridedView(long baseOffset, int[] dims, long[] strides, long count)
    {
        BaseOffset = baseOffset;
        Dims = dims;
        Strides = strides;
        Count = count;
    }

    public static StridedView Create(ReadOnlySpan<int> inputDims, ReadOnlySpan<long> starts, ReadOnlySpan<long> steps, ReadOnlySpan<int> counts)
    {
        int rank = inputDims.Length;
        long stride = 1, baseOffset = 0, count = 1;
        var rowStrides = new long[rank];
        for (int d = rank - 1; d >= 0; d--) { rowStrides[d] = stride; stride *= inputDims[d]; }
        var dims = new List<int>();
        var strides = new List<long>();
        for (int d = 0; d < rank; d++)
        {
            count *= counts[d];
            baseOffset += starts[d] * rowStrides[d];
            if (counts[d] == 1) continue;
            long s = steps[d] * rowStrides[d];
            if (dims.Count > 0 && strides[^1] == s * counts[d])
            {
                dims[^1] *= counts[d];
                strides[^1] = s;
            }
            else
            {
                dims.Add(counts[d]);
                strides.Add(s);
            }
        }
        if (dims.Count == 0) { dims.Add(1); strides.Add(1); }
        return new StridedView(count == 0 ? 0 : baseOffset, [.. dims], [.. strides], count);
    }

    public unsafe void Copy<T>(T* source, T* destination, IWorkerPool workers) where T : unmanaged
    {
        if (Count == 0) return;
        var body = new Body<T>(this, source + BaseOffset, destination);
        ParallelRange.For(workers, Count / Dims[^1], Dims[^1], ref body);
    }

    private readonly unsafe struct Body<T>(StridedView view, T* source, T* destination) : IRangeBody where T : unmanaged
    {
        public void Run(long start, long end)
        {
            int outerRank = view.Dims.Length - 1, inner = view.Dims[^1];
            long innerStride = view.Strides[^1];
            Span<int> index = stackalloc int[outerRank];
            long offset = 0, row = start;
            for (int d = outerRank - 1; d >= 0; d--)
            {
                index[d] = (int)(row % view.Dims[d]);
                row /= view.Dims[d];
                offset += index[d] * view.Strides[d];
            }
            for (long r = start; r < end; r++)
            {
                T* src = source + offset;
                T* dst = destination + r * inner;
                if (innerStride == 1) new ReadOnlySpan<T>(src, inner).CopyTo(new Span<T>(dst, inner));
                else for (int i = 0; i < inner; i++) dst[i] = src[i * innerStride];
                for (int d = outerRank - 1; d >= 0; d--)
                {
                    offset += view.Strides[d];
                    if (++index[d] < view.Dims[d]) break;
                    index[d] = 0;
                    offset -= view.Strides[d] * view.Dims[d];
                }
            }
        }
    }
}

internal sealed unsafe class StridedViewKernel<T>(StridedView view) : IKernel where T : unmanaged
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args) => view.Copy((T*)args.Inputs[0], (T*)args.Outputs[0], args.Workers);
}

internal static class StridedViewKernel
{
    public static IKernel Create(int elementSize, StridedView view) => TypeDispatch.Move(elementSize, new Factory(view));

    private readonly struct Factory(StridedView view) : IMoveKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged => new StridedViewKernel<T>(view);
    }
}
