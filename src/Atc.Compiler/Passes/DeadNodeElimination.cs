using Atc.Compiler.Ir;

namespace Atc.Compiler.Passes;

/// <summary>Removes nodes none of whose outputs reach a graph output. A node with several outputs stays when any
/// one of them is needed. Graph inputs stay even when unused: they are the model's signature.</summary>
public sealed class DeadNodeElimination : IGraphPass
{
    public const string NodesRemoved = "nodes removed";

    public string Name => nameof(DeadNodeElimination);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        var live = new HashSet<Value>(graph.Outputs, ReferenceEqualityComparer.Instance);
        var keep = new bool[graph.Nodes.Count];

        // Walking backwards over a topological order sees every reader of a value before its writer.
        for (int i = graph.Nodes.Count - 1; i >= 0; i--)
        {
            var node = graph.Nodes[i];
            if (!node.Outputs.Any(live.Contains)) continue;
            keep[i] = true;
            foreach (var input in node.Inputs)
                if (input is not null) live.Add(input);
        }

        var kept = new List<Node>(graph.Nodes.Count);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            if (keep[i]) kept.Add(graph.Nodes[i]);
            else result.Add(NodesRemoved);
        }
        graph.Nodes.Clear();
        graph.Nodes.AddRange(kept);
        return result.Complete(graph);
    }
}
