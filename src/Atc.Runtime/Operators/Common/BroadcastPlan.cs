using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.Common;

/// <summary>
/// How several inputs broadcast (numpy rules) onto a contiguous output, with the dims collapsed as far as possible:
/// output dims of size 1 are dropped and neighbouring dims merged when every input either spans both or broadcasts
/// over both. Kernels loop over the outer dims and hand the innermost run (contiguous or a single repeated element
/// per input) to a vector routine.
/// </summary>
internal sealed class BroadcastPlan
{
    /// <summary>Collapsed output dims (at least one; the last is the inner run).</summary>
    public int[] Dims { get; }
    /// <summary>Per input, its element stride for each collapsed dim (0 where it broadcasts).</summary>
    public long[][] Strides { get; }
    public long OutputCount { get; }
    public int Inner => Dims[^1];
    public int OuterRank => Dims.Length - 1;
    public long OuterCount => Inner == 0 ? 0 : OutputCount / Inner;

    /// <summary>
    /// Work items for the worker pool: each outer row, or, when there are few rows, each segment of a row (so a
    /// same-shape Add, which collapses to one long run, still spreads over the threads).
    /// </summary>
    public long WorkItems => OuterCount * Segments;
    public int Segments { get; }
    public int SegmentLength { get; }

    /// <summary>Rows shorter than this are never split.</summary>
    private const int MinSegment = 8192;

    private BroadcastPlan(int[] dims, long[][] strides, long count)
    {
        Dims = dims;
        Strides = strides;
        OutputCount = count;
        int inner = dims[^1];
        Segments = OuterCount >= 16 || inner < 2 * MinSegment ? 1 : (inner + MinSegment - 1) / MinSegment;
        SegmentLength = Segments == 1 ? inner : (inner + Segments - 1) / Segments;
    }

    /// <summary>The row of work item <paramref name="item"/> and the part of it [start, start + length).</summary>
    public (long Row, int Start, int Length) Segment(long item)
    {
        long row = item / Segments;
        int start = (int)(item % Segments) * SegmentLength;
        return (row, start, Math.Min(SegmentLength, Inner - start));
    }

    /// <summary>True when input <paramref name="input"/> walks its inner run element by element (else it repeats one element).</summary>
    public bool InnerIsVector(int input) => Strides[input][^1] != 0;

    public static BroadcastPlan Create(ReadOnlySpan<int> output, params int[][] inputs)
    {
        int rank = output.Length, n = inputs.Length;
        var fullStrides = new long[n][];
        for (int k = 0; k < n; k++)
        {
            if (inputs[k].Length > rank)
                throw new ShapeException($"input of rank {inputs[k].Length} cannot broadcast to output {Shape.Format(output)}");
            fullStrides[k] = new long[rank];
            long acc = 1;
            for (int d = rank - 1; d >= 0; d--)
            {
                int dim = InputDim(inputs[k], d, rank);
                if (dim != output[d] && dim != 1)
                    throw new ShapeException($"shape {Shape.Format(inputs[k])} cannot broadcast to {Shape.Format(output)}");
                fullStrides[k][d] = dim == 1 ? 0 : acc;
                acc *= dim;
            }
        }

        var dims = new List<int>();
        var strides = new List<long>[n];
        for (int k = 0; k < n; k++) strides[k] = [];
        for (int d = 0; d < rank; d++)
        {
            if (output[d] == 1) continue;
            bool merge = dims.Count > 0;
            for (int k = 0; k < n && merge; k++)
                merge = (strides[k][^1] == 0) == (fullStrides[k][d] == 0);
            if (merge)
            {
                dims[^1] *= output[d];
                for (int k = 0; k < n; k++) strides[k][^1] = fullStrides[k][d];
            }
            else
            {
                dims.Add(output[d]);
                for (int k = 0; k < n; k++) strides[k].Add(fullStrides[k][d]);
            }
        }
        if (dims.Count == 0)
        {
            dims.Add(1);
            for (int k = 0; k < n; k++) strides[k].Add(0);
        }
        return new BroadcastPlan([.. dims], [.. strides.Select(s => s.ToArray())], Shape.ElementCount(output));
    }

    private static int InputDim(int[] input, int d, int rank)
    {
        int i = d - (rank - input.Length);
        return i < 0 ? 1 : input[i];
    }

    /// <summary>Sets the outer index and each input's element offset for outer row <paramref name="row"/>.</summary>
    public void Seek(long row, Span<int> index, Span<long> offsets)
    {
        offsets.Clear();
        for (int d = OuterRank - 1; d >= 0; d--)
        {
            int i = (int)(row % Dims[d]);
            row /= Dims[d];
            index[d] = i;
            for (int k = 0; k < offsets.Length; k++) offsets[k] += i * Strides[k][d];
        }
    }

    /// <summary>Moves to the next outer row (odometer over the outer dims).</summary>
    public void Next(Span<int> index, Span<long> offsets)
    {
        for (int d = OuterRank - 1; d >= 0; d--)
        {
            for (int k = 0; k < offsets.Length; k++) offsets[k] += Strides[k][d];
            if (++index[d] < Dims[d]) return;
            index[d] = 0;
            for (int k = 0; k < offsets.Length; k++) offsets[k] -= Strides[k][d] * Dims[d];
        }
    }
}
