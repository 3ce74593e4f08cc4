using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Runtime.Execution;

/// <summary>A tensor of the lowered graph, identified by its index (the value id).</summary>
internal sealed record GraphValue(string Name, DataType Type);

/// <summary>A node of the lowered graph: a canonical op reading and writing value ids (-1 = omitted input).</summary>
internal sealed class GraphNode(string name, string opType, string sourceOpType, OpAttributes attributes, int[] inputs, int[] outputs)
{
    public string Name { get; } = name;
    public string OpType { get; } = opType;
    public string SourceOpType { get; } = sourceOpType;
    public OpAttributes Attributes { get; } = attributes;
    public int[] Inputs { get; } = inputs;
    public int[] Outputs { get; } = outputs;

    public override string ToString() => $"{OpType} '{Name}'";
}

/// <summary>
/// The graph as the .om stores it and the planner consumes it: values by id, nodes in topological order, constants
/// by value id. Both the compiler (from its IR) and the runtime (from the file) build one, so the same planner serves
/// compile-time gears and range shapes planned on first use.
/// </summary>
internal sealed class ModelGraph(GraphValue[] values, GraphNode[] nodes, int[] inputs, int[] outputs, TensorData?[] constants)
{
    public GraphValue[] Values { get; } = values;
    public GraphNode[] Nodes { get; } = nodes;
    /// <summary>Value id of each model input, in signature order.</summary>
    public int[] Inputs { get; } = inputs;
    /// <summary>Value id of each model output, in signature order.</summary>
    public int[] Outputs { get; } = outputs;
    /// <summary>Per value id: its weights, or null for values computed by nodes or fed as inputs.</summary>
    public TensorData?[] Constants { get; } = constants;
    /// <summary>For a control-flow body: the shape the model declares for each output (null where not fully known).
    /// A body output computed in the body's dynamic region takes this shape, and is checked against it when it runs.</summary>
    public int[]?[]? DeclaredOutputDims { get; init; }

    /// <summary>Describes input shapes the way messages name a gear: "x:[1,3,224,224]; y:[1]".</summary>
    public string DescribeShapes(IReadOnlyList<int[]> inputShapes)
        => string.Join("; ", inputShapes.Select((s, k) => (k < Inputs.Length ? Values[Inputs[k]].Name : "input" + k) + ":" + Shape.Format(s)));
}

/// <summary>Finds the operator implementing an op type, or null. The default is <see cref="OperatorRegistry"/>.</summary>
internal delegate IOperator? OperatorResolver(string opType);

internal static class OperatorResolvers
{
    public static readonly OperatorResolver Registry = opType => OperatorRegistry.TryGet(opType, out var op) ? op : null;
}
