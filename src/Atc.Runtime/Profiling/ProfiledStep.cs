namespace Atc.Runtime.Profiling;

/// <summary>One step of a gear's execution plan as a profiler sees it: the node, its operator and kernel, and shapes.</summary>
public sealed class ProfiledStep
{
    internal ProfiledStep(int gearIndex, int index, string nodeName, string opType, string kernelName, string? layout,
        IReadOnlyList<int[]> inputShapes, IReadOnlyList<int[]> outputShapes)
    {
        GearIndex = gearIndex;
        Index = index;
        NodeName = nodeName;
        OpType = opType;
        KernelName = kernelName;
        Layout = layout;
        InputShapes = inputShapes;
        OutputShapes = outputShapes;
    }

    /// <summary>The gear the step belongs to (-1 for a shape planned on first use inside a range profile).</summary>
    public int GearIndex { get; }

    /// <summary>Position of the step in the gear's execution order.</summary>
    public int Index { get; }

    /// <summary>The graph node's name (after the compiler's fusions).</summary>
    public string NodeName { get; }

    /// <summary>The canonical operator (Conv, Gemm, Relu, ...).</summary>
    public string OpType { get; }

    /// <summary>The kernel chosen for this node and gear (its type name, e.g. ConvWinogradKernel).</summary>
    public string KernelName { get; }

    /// <summary>The node's data layout attribute ("NCHW" or "NHWC") for layout-aware operators; otherwise null.</summary>
    public string? Layout { get; }

    /// <summary>Shape of every input (empty for an omitted optional input).</summary>
    public IReadOnlyList<int[]> InputShapes { get; }

    /// <summary>Shape of every output.</summary>
    public IReadOnlyList<int[]> OutputShapes { get; }

    /// <summary>"OpType 'NodeName' (KernelName)".</summary>
    public override string ToString() => $"{OpType} '{NodeName}' ({KernelName})";
}
