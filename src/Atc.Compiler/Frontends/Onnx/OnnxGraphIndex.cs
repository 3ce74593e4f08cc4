using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>
/// Checks that an ONNX graph is consistent (every tensor defined once, every read defined, no cycle), names every
/// node uniquely, and orders the nodes topologically (keeping the file's order where it already is one).
/// </summary>
internal sealed class OnnxGraphIndex
{
    private OnnxGraphIndex(List<OnnxNode> sorted, HashSet<string> consumed, Dictionary<string, OnnxNode> producers)
    {
        Sorted = sorted;
        Consumed = consumed;
        Producers = producers;
    }

    /// <summary>Nodes in topological order.</summary>
    public IReadOnlyList<OnnxNode> Sorted { get; }

    /// <summary>Tensor names that some node reads or that are graph outputs.</summary>
    public IReadOnlySet<string> Consumed { get; }

    /// <summary>Tensor name → the node that writes it (graph inputs and initializers have none).</summary>
    public IReadOnlyDictionary<string, OnnxNode> Producers { get; }

    /// <param name="outerScope">For a control-flow body: whether a name is defined by an enclosing graph.</param>
    public static OnnxGraphIndex Build(GraphProto graph, Func<string, bool>? outerScope = null)
    {
        var nodes = NameNodes(graph);
        var producers = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        var sources = DefineSources(graph);
        bool Defined(string name) => producers.ContainsKey(name) || sources.ContainsKey(name) || outerScope?.Invoke(name) == true;

        foreach (var node in nodes)
            foreach (var output in node.Outputs)
            {
                if (output.Length == 0) continue;
                if (producers.TryGetValue(output, out var other))
                    throw Invalid($"tensor '{output}' is written by two nodes, {other} and {node}");
                if (sources.TryGetValue(output, out var kind))
                    throw Invalid($"tensor '{output}' is written by node {node} but is also a graph {kind}");
                producers[output] = node;
            }

        var consumed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
            foreach (var input in node.Inputs.Concat(node.ImplicitInputs))
            {
                if (input.Length == 0) continue;
                if (!Defined(input))
                    throw Invalid($"node {node} reads tensor '{input}', which no node, graph input or initializer defines");
                consumed.Add(input);
            }
        foreach (var output in graph.Output)
        {
            if (!Defined(output.Name))
                throw Invalid($"graph output '{output.Name}' is not defined by any node, graph input or initializer");
            consumed.Add(output.Name);
        }

        return new OnnxGraphIndex(SortTopologically(nodes, producers), consumed, producers);
    }

    private static Dictionary<string, string> DefineSources(GraphProto graph)
    {
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in graph.Initializer)
        {
            if (t.Name.Length == 0) throw Invalid("an initializer has no name");
            if (!sources.TryAdd(t.Name, "initializer")) throw Invalid($"initializer '{t.Name}' is defined twice");
        }
        var inputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in graph.Input)
        {
            if (i.Name.Length == 0) throw Invalid("a graph input has no name");
            if (!inputs.Add(i.Name)) throw Invalid($"graph input '{i.Name}' is declared twice");
            sources.TryAdd(i.Name, "input");
        }
        return sources;
    }

    // Names are the file's where present and unique; otherwise "<op_type>_<index>", suffixed until unique.
    private static List<OnnxNode> NameNodes(GraphProto graph)
    {
        var explicitNames = new HashSet<string>(graph.Node.Select(n => n.Name).Where(n => n.Length > 0), StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var nodes = new List<OnnxNode>(graph.Node.Count);
        for (int i = 0; i < graph.Node.Count; i++)
        {
            var proto = graph.Node[i];
            string name = proto.Name;
            if (name.Length == 0 || taken.Contains(name))
            {
                string stem = name.Length == 0 ? $"{proto.OpType}_{i}" : name;
                name = stem;
                for (int k = 1; taken.Contains(name) || (name != proto.Name && explicitNames.Contains(name)); k++)
                    name = $"{stem}_{k}";
            }
            taken.Add(name);
            nodes.Add(new OnnxNode(proto, i, name));
        }
        return nodes;
    }

    // Kahn's algorithm, always taking the ready node that comes first in the file.
    private static List<OnnxNode> SortTopologically(List<OnnxNode> nodes, Dictionary<string, OnnxNode> producers)
    {
        var pending = new int[nodes.Count];
        var dependents = new List<int>[nodes.Count];
        for (int i = 0; i < nodes.Count; i++) dependents[i] = [];
        for (int i = 0; i < nodes.Count; i++)
            foreach (var input in nodes[i].Inputs.Concat(nodes[i].ImplicitInputs).Distinct())
                if (input.Length > 0 && producers.TryGetValue(input, out var p))
                {
                    pending[i]++;
                    dependents[p.Index].Add(i);
                }

        var ready = new PriorityQueue<int, int>();
        for (int i = 0; i < nodes.Count; i++) if (pending[i] == 0) ready.Enqueue(i, i);
        var sorted = new List<OnnxNode>(nodes.Count);
        while (ready.TryDequeue(out int i, out _))
        {
            sorted.Add(nodes[i]);
            foreach (int d in dependents[i])
                if (--pending[d] == 0) ready.Enqueue(d, d);
        }
        if (sorted.Count < nodes.Count)
        {
            var stuck = nodes.Where(n => pending[n.Index] > 0).Take(5).Select(n => n.ToString());
            throw Invalid($"the nodes form a cycle (nodes involved include {string.Join(", ", stuck)})");
        }
        return sorted;
    }

    private static AtcException Invalid(string detail) => new(AtcErrors.InvalidModel(detail));
}
