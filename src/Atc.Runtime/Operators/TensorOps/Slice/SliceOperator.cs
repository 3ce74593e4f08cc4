using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Slice;

/// <summary>
/// Slice (ONNX 10+): data, starts, ends, optional axes, optional steps, all constant. Negative indices count from
/// the end; out-of-range indices clamp (to [0, dim] going forward, [-1, dim-1] going backward).
/// Opset-1 attributes "starts"/"ends"/"axes" are accepted when the inputs are absent.
/// </summary>
internal sealed class SliceOperator() : Operator(OpTypes.Slice)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        var (_, _, counts) = Plan(context, x);
        return One(x.Type, counts);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        var (starts, steps, counts) = Plan(context, x);
        return StridedViewKernel.Create(x.Type.SizeOf(), StridedView.Create(x.Dims, starts, steps, counts));
    }

    private (long[] Starts, long[] Steps, int[] Counts) Plan(OpContext context, TensorType x)
    {
        long[] starts, ends, axes, steps;
        if (context.HasInput(1))
        {
            starts = ConstantInts(context, 1, "starts");
            ends = ConstantInts(context, 2, "ends");
            axes = context.HasInput(3) ? ConstantInts(context, 3, "axes") : [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
            steps = context.HasInput(4) ? ConstantInts(context, 4, "steps") : [.. starts.Select(_ => 1L)];
        }
        else
        {
            starts = context.Attributes.GetInts("starts", []);
            ends = context.Attributes.GetInts("ends", []);
            axes = context.Attributes.GetInts("axes", [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)]);
            steps = [.. starts.Select(_ => 1L)];
        }
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
            throw Error($"starts {Shape.Format(starts)}, ends {Shape.Format(ends)}, axes {Shape.Format(axes)} and steps {Shape.Format(steps)} must have the same length");

        int rank = x.Rank;
        var begin = new long[rank];
        var step = Enumerable.Repeat(1L, rank).ToArray();
        var counts = (int[])x.Dims.Clone();
        var seen = new bool[rank];
        for (int i = 0; i < starts.Length; i++)
        {
            long axis = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (axis < 0 || axis >= rank) throw Error($"axis {axes[i]} is out of range for rank {rank}");
            if (seen[axis]) throw Error($"axis {axes[i]} is listed twice in axes {Shape.Format(axes)}");
            seen[axis] = true;
            if (steps[i] == 0) throw Error($"step for axis {axes[i]} must not be 0");
            var (b, c) = Clamp(starts[i], ends[i], steps[i], x.Dims[axis]);
            begin[axis] = b;
            step[axis] = steps[i];
            counts[axis] = c;
        }
        return (begin, step, counts);
    }

    /// <summary>ONNX's clamping of one axis; returns the first index and the element count.</summary>
    internal static (long Begin, int Count) Clamp(long start, long end, long step, int dim)
    {
        if (start < 0) start += dim;
        if (end < 0) end += dim;
        if (step > 0)
        {
            start = Math.Clamp(start, 0, dim);
            end = Math.Clamp(end, 0, dim);
            long n = end > start ? (end - start - 1) / step + 1 : 0;
            return (n == 0 ? 0 : start, (int)n);
        }
        start = Math.Clamp(start, 0, dim - 1);
        end = Math.Clamp(end, -1, dim - 1);
        long magnitude = step == long.MinValue ? long.MaxValue : -step;
        long m = start > end ? (start - end - 1) / magnitude + 1 : 0;
        return (m == 0 ? 0 : start, (int)m);
    }
}
