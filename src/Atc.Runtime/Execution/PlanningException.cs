namespace Atc.Runtime.Execution;

/// <summary>
/// A node cannot run with the shapes of a gear: its shape rule fails, its operator is missing, or folding it failed.
/// Names the node, its op and the input shapes; the compiler turns it into an ATC diagnostic.
/// </summary>
public sealed class PlanningException : Exception
{
    // Thrown by the planner only: users catch it, they do not construct it.
    internal PlanningException(string nodeName, string opType, string inputShapes, string detail)
        : base($"node '{nodeName}' ({opType}) cannot run with input shapes {inputShapes}: {detail}")
    {
        NodeName = nodeName;
        OpType = opType;
        InputShapes = inputShapes;
        Detail = detail;
    }

    /// <summary>The node that cannot run.</summary>
    public string NodeName { get; }
    /// <summary>The node's operator.</summary>
    public string OpType { get; }
    /// <summary>The gear's input shapes, "x:[1,3,224,224]; y:[1]".</summary>
    public string InputShapes { get; }
    /// <summary>What failed (the operator's own message).</summary>
    public string Detail { get; }
}
