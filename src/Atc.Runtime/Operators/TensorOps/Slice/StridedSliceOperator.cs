using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Slice;

/// <summary>
/// StridedSlice with TensorFlow semantics: input, begin, end, strides (constant, one entry per slicing spec); attrs
/// begin_mask, end_mask (ignore begin/end, take the fullest range), ellipsis_mask (this spec stands for all the
/// axes not named otherwise; at most one), new_axis_mask (insert a size-1 axis), shrink_axis_mask (take the single
/// index begin and drop the axis). Without an ellipsis, one is implied at the end.
/// </summary>
internal sealed class StridedSliceOperator() : Operator(OpTypes.StridedSlice)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        return One(x.Type, Plan(context, x).Output);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        var plan = Plan(context, x);
        return StridedViewKernel.Create(x.Type.SizeOf(), StridedView.Create(x.Dims, plan.Begin, plan.Stride, plan.Count));
    }

    private sealed record SlicePlan(long[] Begin, long[] Stride, int[] Count, int[] Output);

    private SlicePlan Plan(OpContext context, TensorType x)
    {
        long[] begin = ConstantInts(context, 1, "begin");
        long[] end = ConstantInts(context, 2, "end");
        long[] strides = context.HasInput(3) ? ConstantInts(context, 3, "strides") : [.. begin.Select(_ => 1L)];
        if (end.Length != begin.Length || strides.Length != begin.Length)
            throw Error($"begin {Shape.Format(begin)}, end {Shape.Format(end)} and strides {Shape.Format(strides)} must have the same length");
        long beginMask = context.Attributes.GetInt("begin_mask", 0), endMask = context.Attributes.GetInt("end_mask", 0);
        long ellipsisMask = context.Attributes.GetInt("ellipsis_mask", 0), newAxisMask = context.Attributes.GetInt("new_axis_mask", 0);
        long shrinkMask = context.Attributes.GetInt("shrink_axis_mask", 0);
        if (long.PopCount(ellipsisMask) > 1) throw Error($"ellipsis_mask {ellipsisMask} has more than one bit set");

        int sparse = begin.Length;
        bool Bit(long mask, int i) => i < 63 && (mask >> i & 1) != 0;
        if (ellipsisMask == 0)
        {
            ellipsisMask = 1L << sparse; // implicit trailing ellipsis
            sparse++;
        }
        int newAxesAfterEllipsis = 0;
        bool ellipsisSeen = false;
        for (int i = 0; i < sparse; i++)
        {
            if (ellipsisSeen && Bit(newAxisMask, i)) newAxesAfterEllipsis++;
            if (Bit(ellipsisMask, i)) ellipsisSeen = true;
        }

        // Dense spec: one entry per input axis. Output entries: an input axis, a new axis (-1) or nothing (shrunk).
        int rank = x.Rank;
        var dBegin = new long[rank];
        var dEnd = new long[rank];
        var dStride = Enumerable.Repeat(1L, rank).ToArray();
        var dBeginMasked = new bool[rank];
        var dEndMasked = new bool[rank];
        var dShrink = new bool[rank];
        var outputAxes = new List<int>();
        const int NewAxis = -1;
        int full = 0;
        for (int i = 0; i < sparse; i++)
        {
            if (Bit(ellipsisMask, i))
            {
                int next = Math.Min(rank - (sparse - i) + 1 + newAxesAfterEllipsis, rank);
                for (; full < next; full++)
                {
                    dBeginMasked[full] = dEndMasked[full] = true;
                    outputAxes.Add(full);
                }
            }
            else if (Bit(newAxisMask, i))
            {
                outputAxes.Add(NewAxis);
            }
            else
            {
                if (full >= rank)
                    throw Error($"slicing spec {i} is past the last axis of input {Shape.Format(x.Dims)} (rank {rank})");
                dBegin[full] = begin[i];
                dEnd[full] = end[i];
                dStride[full] = strides[i];
                dBeginMasked[full] = Bit(beginMask, i);
                dEndMasked[full] = Bit(endMask, i);
                dShrink[full] = Bit(shrinkMask, i);
                if (!dShrink[full]) outputAxes.Add(full);
                full++;
            }
        }

        var start = new long[rank];
        var count = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            int dim = x.Dims[d];
            long stride = dStride[d];
            if (stride == 0) throw Error($"stride for axis {d} must not be 0");
            if (dShrink[d])
            {
                if (stride < 0) throw Error($"axis {d} is shrunk to one index, which needs a positive stride (got {stride})");
                long index = dBegin[d] < 0 ? dBegin[d] + dim : dBegin[d];
                if (index < 0 || index >= dim) throw Error($"index {dBegin[d]} of axis {d} is out of bounds for size {dim}");
                start[d] = index;
                count[d] = 1;
                dStride[d] = 1;
                continue;
            }
            long lo = stride > 0 ? 0 : -1, hi = stride > 0 ? dim : dim - 1;
            long b = dBeginMasked[d] ? (stride > 0 ? lo : hi) : Math.Clamp(dBegin[d] < 0 ? dBegin[d] + dim : dBegin[d], lo, hi);
            long e = dEndMasked[d] ? (stride > 0 ? hi : lo) : Math.Clamp(dEnd[d] < 0 ? dEnd[d] + dim : dEnd[d], lo, hi);
            long length = e - b;
            long magnitude = stride == long.MinValue ? long.MaxValue : Math.Abs(stride);
            long n = length == 0 || (length < 0) != (stride < 0) ? 0 : (Math.Abs(length) - 1) / magnitude + 1;
            start[d] = n == 0 ? 0 : b;
            count[d] = (int)n;
        }
        var output = outputAxes.Select(a => a == NewAxis ? 1 : count[a]).ToArray();
        return new SlicePlan(start, dStride, count, output);
    }
}
