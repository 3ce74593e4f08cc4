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
}

/// <summary>One value in one gear: its concrete type and where its bytes are.</summary>
internal sealed record ValuePlacement(PlacementKind Kind, long Offset, DataType Type, int[] Dims, TensorData? Folded = null)
{
    public long ByteSize => Shape.ElementCount(Dims) * Type.SizeOf();
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
}
