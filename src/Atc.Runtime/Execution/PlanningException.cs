namespace Atc.Runtime.Execution;

/// <summary>
/// A node cannot run with the shapes of a gear: its shape rule fails, its operator is missing, or folding it failed.
/// Names the node, its op and the input shapes; the compiler turns it into an ATC diagnostic.
/// </summary>
public sealed class PlanningException(string nodeName, string opType, string inputShapes, string detail)
    : Exception($"node '{nodeName}' ({opType}) cannot run with input shapes {inputShapes}: {detail}")
{
    /// <summary>The node that cannot run.</summary>
    public string NodeName { get; } = nodeName;
    /// <summary>The node's operator.</summary>
    public string OpType { get; } = opType;
    /// <summary>The gear's input shapes, "x:[1,3,224,224]; y:[1]".</summary>
    public string InputShapes { get; } = inputShapes;
    /// <summary>What failed (the operator's own message).</summary>
    public string Detail { get; } = detail;
}
