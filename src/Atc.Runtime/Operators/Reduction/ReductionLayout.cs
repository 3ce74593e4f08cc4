using Atc.Runtime.Core;
using Atc.Runtime.Operators.TensorOps.Transpose;

namespace Atc.Runtime.Operators.Reduction;

internal enum ReductionKind
{
    /// <summary>Nothing is reduced (only size-1 axes): copy.</summary>
    Copy,
    /// <summary>Zero elements are reduced: fill with the op's empty value.</summary>
    Empty,
    /// <summary>[Outer, Reduced] with the reduced run contiguous.</summary>
    Rows,
    /// <summary>[Outer, Reduced, Inner]: fold rows of length Inner.</summary>
    Fold,
    /// <summary>Several separated reduced groups: transpose them to the end first, then Rows.</summary>
    Transposed,
}

/// <summary>How a reduction over some axes maps onto contiguous memory.</summary>
internal sealed class ReductionLayout
{
    public ReductionKind Kind { get; private init; }
    public long Outer { get; private init; }
    public int Reduced { get; private init; }
    public int Inner { get; private init; } = 1;
    public long InputCount { get; private init; }
    public long OutputCount { get; private init; }
    public TransposePlan? Transpose { get; private init; }

    public static ReductionLayout Create(int[] dims, bool[] reduced)
    {
        long input = Shape.ElementCount(dims);
        long reducedCount = 1;
        for (int d = 0; d < dims.Length; d++) if (reduced[d]) reducedCount *= dims[d];
        long output = reducedCount == 0 ? OutputOf(dims, reduced) : input / reducedCount;
        if (input == 0) return new ReductionLayout { Kind = ReductionKind.Empty, InputCount = 0, OutputCount = output };

        // Groups of neighbouring axes of the same kind, size-1 axes ignored.
        var groups = new List<(long Size, bool Reduced)>();
        for (int d = 0; d < dims.Length; d++)
        {
            if (dims[d] == 1) continue;
            if (groups.Count > 0 && groups[^1].Reduced == reduced[d]) groups[^1] = (groups[^1].Size * dims[d], reduced[d]);
            else groups.Add((dims[d], reduced[d]));
        }
        int reducedGroups = groups.Count(g => g.Reduced);
        if (reducedGroups == 0) return new ReductionLayout { Kind = ReductionKind.Copy, InputCount = input, OutputCount = output };
        int reducedRun = checked((int)reducedCount);
        if (reducedGroups == 1)
        {
            int at = groups.FindIndex(g => g.Reduced);
            long outer = 1, inner = 1;
            for (int i = 0; i < at; i++) outer *= groups[i].Size;
            for (int i = at + 1; i < groups.Count; i++) inner *= groups[i].Size;
            return new ReductionLayout
            {
                Kind = inner == 1 ? ReductionKind.Rows : ReductionKind.Fold,
                Outer = outer, Reduced = reducedRun, Inner = checked((int)inner), InputCount = input, OutputCount = output,
            };
        }
        var perm = Enumerable.Range(0, dims.Length).Where(d => !reduced[d]).Concat(Enumerable.Range(0, dims.Length).Where(d => reduced[d])).ToArray();
        return new ReductionLayout
        {
            Kind = ReductionKind.Transposed, Outer = output, Reduced = reducedRun, InputCount = input, OutputCount = output,
            Transpose = TransposePlan.Create(dims, perm),
        };
    }

    private static long OutputOf(int[] dims, bool[] reduced)
    {
        long n = 1;
        for (int d = 0; d < dims.Length; d++) if (!reduced[d]) n *= dims[d];
        return n;
    }
}
