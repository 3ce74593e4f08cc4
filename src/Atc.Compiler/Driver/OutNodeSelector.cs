using Atc.Compiler.Ir;
using Atc.Options;

namespace Atc.Compiler.Driver;

/// <summary>
/// --out_nodes: makes the named node outputs the graph's outputs, in the order given, and drops the nodes they do not
/// depend on. The inputs are kept (the model's signature does not change).
/// </summary>
public static class OutNodeSelector
{
    /// <summary>The specs were checked with <see cref="ShapeOptionRules.CheckOutNodes"/>.</summary>
    public static void Apply(Graph graph, IReadOnlyList<OutNodeSpec> outNodes)
    {
        if (outNodes.Count == 0) return;
        var byName = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes) byName.TryAdd(node.Name, node);
        graph.Outputs.Clear();
        foreach (var spec in outNodes)
            graph.Outputs.Add(byName[spec.NodeName].Outputs[spec.OutputIndex]);
        RemoveUnusedNodes(graph);
    }

    private static void RemoveUnusedNodes(Graph graph)
    {
        var live = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Value>(graph.Outputs);
        while (pending.Count > 0)
        {
            var producer = pending.Pop().Producer;
            if (producer is null || !live.Add(producer)) continue;
            foreach (var input in producer.Inputs)
                if (input is not null) pending.Push(input);
        }
        graph.Nodes.RemoveAll(n => !live.Contains(n));
    }
}
