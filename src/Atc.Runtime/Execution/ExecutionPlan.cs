using Atc.Runtime.Core;

namespace Atc.Runtime.Execution;

/// <summary>Where a value lives while a gear runs.</summary>
internal enum PlacementKind
{
    /// <summary>Not read at run time in this gear (folded away, dead, or consumed only by folded nodes).</summary>
    Unused = 0,
    /// <summary>Offset = byte offset in the session arena.</summary>
    Arena = 1,
    /// <summary>Offset = value id of the constant whose bytes these are (the file stores the weights offset).</summary>
    Weights = 2,
    /// <summary>Offset = model input index: the bound input buffer.</summary>
    Input = 3,
    /// <summary>Offset = model output index: the session's output buffer.</summary>
    Output = 4,
    /// <summary>Computed at plan time; the bytes are in <see cref="ValuePlacement.Folded"/>.</summary>
    Folded = 5,
    /// <summary>In the gear's dynamic region: the size is known only at run time; the session allocates the bytes
    /// when the step runs (see <see cref="DynamicStepRunner"/>). Dims: -1 where data-dependent, or
    /// <see cref="ValuePlacement.UnknownRank"/>. (7: the file's placement 6 is PREPACKED_ONLY.)</summary>
    Dynamic = 7,
}

/// <summary>One value in one gear: its concrete type and where its bytes are.</summary>
internal sealed record ValuePlacement(PlacementKind Kind, long Offset, DataType Type, int[] Dims, TensorData? Folded = null)
{
    /// <summary>Dims of a dynamic value whose rank is not known before it runs either.</summary>
    public static readonly int[] UnknownRank = [-2];

    /// <summary>Bytes of a planned value; 0 for a dynamic one (its storage is sized when it runs).</summary>
    public long ByteSize => Kind == PlacementKind.Dynamic ? 0 : Shape.ElementCount(Dims) * Type.SizeOf();

    public bool IsDynamic => Kind == PlacementKind.Dynamic;
}

/// <summary>
/// The execution plan of one gear: the node indices to run (in order), each value's placement, and the arena size.
/// Nodes folded at plan time and nodes whose output aliases their input (Reshape, Identity, ...) are not steps.
/// </summary>
internal sealed class ExecutionPlan(int[][] inputShapes, int[] steps, ValuePlacement[] values, long arenaSize)
{
    public int[][] InputShapes { get; } = inputShapes;
    public int[] Steps { get; } = steps;
    /// <summary>Indexed by value id.</summary>
    public ValuePlacement[] Values { get; } = values;
    public long ArenaSize { get; } = arenaSize;

    public int[] OutputShape(ModelGraph graph, int output) => Values[graph.Outputs[output]].Dims;

    /// <summary>Whether output <paramref name="output"/>'s shape is known only after a run.</summary>
    public bool IsDataDependent(ModelGraph graph, int output) => Values[graph.Outputs[output]].IsDynamic;

    /// <summary>A step of the dynamic region: it writes a dynamic value (static steps never read or write one).</summary>
    public bool IsDynamicStep(ModelGraph graph, int step)
    {
        foreach (int o in graph.Nodes[Steps[step]].Outputs)
            if (o >= 0 && Values[o].IsDynamic) return true;
        return false;
    }

    /// <summary>Whether any step of this gear runs in the dynamic region.</summary>
    public bool HasDynamicRegion => Values.Any(v => v.IsDynamic);
}
