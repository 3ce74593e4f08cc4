using System.Numerics;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.DataDependent;

/// <summary>
/// Unique: X; attrs sorted (1), axis (optional) → Y, indices, inverse_indices, counts (int64). Without axis the
/// elements of the flattened X, with axis the slices along it (compared in row-major order, as numpy.unique does).
/// sorted=1 orders Y ascending, sorted=0 by first occurrence. Bound: the element count (or the axis length).
/// </summary>
internal sealed class UniqueOperator() : DataDependentOperator(OpTypes.Unique)
{
    public override TensorType[] InferBounds(OpContext context, out bool[][] dataDependentDims)
    {
        var x = RequireType(context, 0, Numeric.Numbers);
        var (dims, axis) = Layout(context, x);
        int length = dims[axis];
        dataDependentDims = [[.. dims.Select((_, i) => i == axis)], [true], [false], [true]];
        TensorType[] all = [new TensorType(x.Type, dims), Indices(length), Indices(length), Indices(length)];
        return all[..context.OutputCount];

        static TensorType Indices(int n) => new(DataType.Int64, [n]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        var (dims, axis) = Layout(context, x);
        bool sorted = context.Attributes.GetInt("sorted", 1) != 0;
        return TypeDispatch.Number(x.Type, new Factory(dims, axis, sorted));
    }

    /// <summary>The dims Y is laid out in (X's, or [count] when flattened) and the axis the uniques are taken along.</summary>
    private (int[] Dims, int Axis) Layout(OpContext context, TensorType x)
    {
        if (!context.Attributes.Has("axis")) return ([(int)x.ElementCount], 0);
        long value = context.Attributes.GetInt("axis", 0);
        int axis = Reduction.AxisLayout.Resolve(value, x.Rank) ?? throw Error($"axis {value} is out of range for rank {x.Rank}");
        return ([.. x.Dims], axis);
    }

    private readonly struct Factory(int[] dims, int axis, bool sorted) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new UniqueKernel<T>(dims, axis, sorted);
    }
}

internal sealed unsafe class UniqueKernel<T>(int[] dims, int axis, bool sorted) : DataDependentKernel where T : unmanaged, INumber<T>
{
    private readonly long _outer = Shape.ElementCount(dims.AsSpan(0, axis));
    private readonly long _inner = Shape.ElementCount(dims.AsSpan(axis + 1));

    public override void Run(in KernelArgs args, int[][] actualDims)
    {
        T* x = (T*)args.Inputs[0];
        int length = dims[axis];
        long outer = _outer, inner = _inner;

        // Slices in ascending order (equal slices: lower index first), then grouped.
        int[] order = [.. Enumerable.Range(0, length)];
        Array.Sort(order, (p, q) => Compare(x, p, q, length, outer, inner) is var c and not 0 ? c : p.CompareTo(q));
        var firstOf = new List<int>();          // per unique: its first occurrence
        var counts = new List<long>();
        var groupOf = new int[length];          // per slice: its unique, in sorted order
        for (int r = 0; r < length; r++)
        {
            if (r == 0 || Compare(x, order[r - 1], order[r], length, outer, inner) != 0)
            {
                firstOf.Add(order[r]);
                counts.Add(0);
            }
            groupOf[order[r]] = firstOf.Count - 1;
            counts[^1]++;
        }
        int unique = firstOf.Count;

        // Output position of each group: sorted order, or by first occurrence.
        var position = new int[unique];
        if (sorted)
            for (int u = 0; u < unique; u++) position[u] = u;
        else
        {
            int[] byFirst = [.. Enumerable.Range(0, unique).OrderBy(u => firstOf[u])];
            for (int p = 0; p < unique; p++) position[byFirst[p]] = p;
        }

        T* y = (T*)args.Outputs[0];
        for (int u = 0; u < unique; u++)
            for (long o = 0; o < outer; o++)
                new ReadOnlySpan<T>(x + (o * length + firstOf[u]) * inner, (int)inner)
                    .CopyTo(new Span<T>(y + (o * unique + position[u]) * inner, (int)inner));
        long* indices = Output(args, 1), inverse = Output(args, 2), countsOut = Output(args, 3);
        if (indices != null) for (int u = 0; u < unique; u++) indices[position[u]] = firstOf[u];
        if (inverse != null) for (int i = 0; i < length; i++) inverse[i] = position[groupOf[i]];
        if (countsOut != null) for (int u = 0; u < unique; u++) countsOut[position[u]] = counts[u];

        int[] yDims = [.. dims];
        yDims[axis] = unique;
        actualDims[0] = yDims;
        if (args.Outputs.Length > 1) actualDims[1] = [unique];
        if (args.Outputs.Length > 2) actualDims[2] = [length];
        if (args.Outputs.Length > 3) actualDims[3] = [unique];
    }

    private static long* Output(in KernelArgs args, int index) => index < args.Outputs.Length ? (long*)args.Outputs[index] : null;

    private static int Compare(T* x, int p, int q, int length, long outer, long inner)
    {
        for (long o = 0; o < outer; o++)
        {
            T* a = x + (o * length + p) * inner, b = x + (o * length + q) * inner;
            for (long e = 0; e < inner; e++)
            {
                int c = a[e].CompareTo(b[e]);
                if (c != 0) return c;
            }
        }
        return 0;
    }
}
