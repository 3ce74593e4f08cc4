using Atc.Compiler.Ir;

namespace Atc.Compiler.Passes;

/// <summary>A snapshot of who reads each value: consumers per value (one entry per input slot) and the graph's
/// inputs and outputs. Take a new snapshot after rewriting.</summary>
internal sealed class GraphUses
{
    private readonly Dictionary<Value, List<Node>> _readers = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Value> _outputs = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Value> _inputs = new(ReferenceEqualityComparer.Instance);

    private GraphUses(Graph graph)
    {
        foreach (var node in graph.Nodes)
            foreach (var v in node.Inputs)
                if (v is not null)
                {
                    if (!_readers.TryGetValue(v, out var list)) _readers[v] = list = [];
                    list.Add(node);
                }
        _outputs.UnionWith(graph.Outputs);
        _inputs.UnionWith(graph.Inputs);
    }

    public static GraphUses Of(Graph graph) => new(graph);

    /// <summary>Nodes reading the value, once per input slot, in graph order.</summary>
    public IReadOnlyList<Node> Readers(Value value) => _readers.TryGetValue(value, out var list) ? list : [];

    public bool IsGraphOutput(Value value) => _outputs.Contains(value);
    public bool IsGraphInput(Value value) => _inputs.Contains(value);

    /// <summary>True when nothing reads the value (no node, not a graph output).</summary>
    public bool IsUnused(Value value) => Readers(value).Count == 0 && !IsGraphOutput(value);

    /// <summary>The only node reading the value through exactly one input slot, when the value is not also a
    /// graph output; null otherwise. This is the condition for fusing the reader into the writer.</summary>
    public Node? SoleReader(Value value)
    {
        if (IsGraphOutput(value)) return null;
        var readers = Readers(value);
        return readers.Count == 1 ? readers[0] : null;
    }
}
