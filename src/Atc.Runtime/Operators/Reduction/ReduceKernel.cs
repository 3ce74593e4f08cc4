using Atc.Runtime.Operators.Common;
using Atc.Runtime.Operators.TensorOps.Transpose;

namespace Atc.Runtime.Operators.Reduction;

/// <summary>Runs one <see cref="IReduceOp{T}"/> over a <see cref="ReductionLayout"/>.</summary>
internal sealed unsafe class ReduceKernel<T, TOp> : IKernel where T : unmanaged where TOp : IReduceOp<T>
{
    private readonly ReductionLayout _layout;
    /// <summary>For a middle-axis reduction the op cannot fold: [Outer, R, Inner] → [Outer, Inner, R].</summary>
    private readonly TransposePlan? _swap;

    public ReduceKernel(ReductionLayout layout)
    {
        _layout = layout;
        if (layout.Kind == ReductionKind.Fold && !TOp.CanAccumulate)
            _swap = TransposePlan.Create([checked((int)layout.Outer), layout.Reduced, layout.Inner], [0, 2, 1]);
    }

    public long ScratchBytes => _layout.Kind == ReductionKind.Transposed || _swap is not null ? _layout.InputCount * sizeof(T) : 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        switch (_layout.Kind)
        {
            case ReductionKind.Copy:
                long bytes = _layout.OutputCount * sizeof(T);
                if (x != y) Buffer.MemoryCopy(x, y, bytes, bytes);
                return;
            case ReductionKind.Empty:
                new Span<T>(y, checked((int)_layout.OutputCount)).Fill(TOp.Empty);
                return;
            case ReductionKind.Rows:
                RunRows(x, y, _layout.Outer, args.Workers);
                return;
            case ReductionKind.Fold when TOp.CanAccumulate:
                // Split by (outer, block of inner columns): a spatial mean of a channels-last batch-1 tensor has
                // Outer = 1, and the columns are independent.
                int blocks = (_layout.Inner + FoldColumns - 1) / FoldColumns;
                var fold = new FoldBody(x, y, _layout.Reduced, _layout.Inner, blocks);
                ParallelRange.For(args.Workers, _layout.Outer * blocks, (long)_layout.Reduced * Math.Min(FoldColumns, _layout.Inner), ref fold);
                return;
            case ReductionKind.Fold:
                _swap!.Execute(x, (T*)args.Scratch, args.Workers);
                RunRows((T*)args.Scratch, y, _layout.Outer * _layout.Inner, args.Workers);
                return;
            default:
                _layout.Transpose!.Execute(x, (T*)args.Scratch, args.Workers);
                RunRows((T*)args.Scratch, y, _layout.Outer, args.Workers);
                return;
        }
    }

    private void RunRows(T* x, T* y, long rows, IWorkerPool workers)
    {
        var body = new RowsBody(x, y, _layout.Reduced);
        ParallelRange.For(workers, rows, _layout.Reduced, ref body);
    }

    private readonly struct RowsBody(T* x, T* y, int length) : IRangeBody
    {
        public void Run(long start, long end)
        {
            for (long r = start; r < end; r++) y[r] = TOp.Row(new ReadOnlySpan<T>(x + r * length, length));
        }
    }

    /// <summary>Inner columns per fold task: a 1 KiB float accumulator that stays in L1 down the reduced rows.</summary>
    private const int FoldColumns = 256;

    private readonly struct FoldBody(T* x, T* y, int reduced, int inner, int blocks) : IRangeBody
    {
        public void Run(long start, long end)
        {
            for (long item = start; item < end; item++)
            {
                long o = item / blocks;
                int first = (int)(item % blocks) * FoldColumns, width = Math.Min(FoldColumns, inner - first);
                T* block = x + o * reduced * inner + first;
                var acc = new Span<T>(y + o * inner + first, width);
                TOp.Init(new ReadOnlySpan<T>(block, width), acc);
                for (int r = 1; r < reduced; r++) TOp.Accumulate(new ReadOnlySpan<T>(block + (long)r * inner, width), acc);
                TOp.Finish(acc, reduced);
            }
        }
    }
}
