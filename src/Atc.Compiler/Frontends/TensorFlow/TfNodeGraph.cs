using Atc.Compiler.Frontends.TensorFlow.Proto;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>
/// The GraphDef as a checked graph of <see cref="TfNode"/>: unique names, every input resolving to a node, no
/// cycle, and a topological order (a GraphDef need not list producers before consumers).
/// </summary>
internal sealed class TfNodeGraph
{
    private readonly Dictionary<string, TfNode> _byName;
    private readonly Dictionary<string, List<TfNode>> _consumers;
    private readonly HashSet<(string Node, int Index)> _consumedOutputs;

    private TfNodeGraph(List<TfNode> nodes, Dictionary<string, TfNode> byName)
    {
        Nodes = nodes;
        _byName = byName;
        _consumers = new(StringComparer.Ordinal);
        _consumedOutputs = [];
        foreach (var node in nodes)
        {
            foreach (var r in node.DataInputs) AddConsumer(r.Node, node);
            foreach (var c in node.ControlInputs) AddConsumer(c, node);
            foreach (var r in node.DataInputs) _consumedOutputs.Add((r.Node, r.Index));
        }
        TopologicalOrder = SortTopologically();
    }

    /// <summary>Nodes in GraphDef order.</summary>
    public IReadOnlyList<TfNode> Nodes { get; }
    /// <summary>Nodes ordered so that every node follows the producers of its data inputs; GraphDef order where it already is.</summary>
    public IReadOnlyList<TfNode> TopologicalOrder { get; }

    public bool TryGet(string name, out TfNode node) => _byName.TryGetValue(name, out node!);

    /// <summary>Nodes that read any output of <paramref name="name"/>, as data or as a control dependency.</summary>
    public IReadOnlyList<TfNode> ConsumersOf(string name) => _consumers.TryGetValue(name, out var list) ? list : [];

    public bool IsOutputRead(string node, int index) => _consumedOutputs.Contains((node, index));

    public static TfNodeGraph Build(GraphDef graph)
    {
        var nodes = new List<TfNode>(graph.Node.Count);
        var byName = new Dictionary<string, TfNode>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Node.Count; i++)
        {
            var def = graph.Node[i];
            if (def.Name.Length == 0)
                throw new AtcException(AtcErrors.InvalidModel("node #" + i + " (op [" + def.Op + "]) has no name"));
            if (def.Op.Length == 0)
                throw new AtcException(AtcErrors.InvalidModel("node [" + def.Name + "] has no op type"));

            var data = new List<TfTensorRef>();
            var control = new List<string>();
            foreach (var text in def.Input)
            {
                var r = TfTensorRef.Parse(text, def.Name);
                if (r.IsControl) control.Add(r.Node); else data.Add(r);
            }
            var node = new TfNode(def, i, data, control);
            if (!byName.TryAdd(def.Name, node))
                throw new AtcException(AtcErrors.InvalidModel("two nodes are named [" + def.Name + "] (#" + byName[def.Name].Index + " and #" + i + ")"));
            nodes.Add(node);
        }

        foreach (var node in nodes)
        {
            foreach (var r in node.DataInputs) RequireProducer(byName, node, r.ToString(), r.Node);
            foreach (var c in node.ControlInputs) RequireProducer(byName, node, "^" + c, c);
        }
        return new TfNodeGraph(nodes, byName);
    }

    private static void RequireProducer(Dictionary<string, TfNode> byName, TfNode consumer, string text, string producer)
    {
        if (!byName.ContainsKey(producer))
            throw new AtcException(AtcErrors.InvalidModel(
                "node [" + consumer.Name + "] reads [" + text + "], but the graph has no node named [" + producer + "]"));
    }

    private void AddConsumer(string producer, TfNode consumer)
    {
        if (!_consumers.TryGetValue(producer, out var list)) _consumers[producer] = list = [];
        if (list.Count == 0 || !ReferenceEquals(list[^1], consumer)) list.Add(consumer);
    }

    /// <summary>Iterative depth-first post-order (deep graphs must not overflow the stack). Only data inputs
    /// order nodes: control dependencies carry no value.</summary>
    private List<TfNode> SortTopologically()
    {
        const byte Unvisited = 0, OnStack = 1, Done = 2;
        var state = new byte[Nodes.Count];
        var order = new List<TfNode>(Nodes.Count);
        var stack = new List<(TfNode Node, int Next)>();

        foreach (var root in Nodes)
        {
            if (state[root.Index] != Unvisited) continue;
            state[root.Index] = OnStack;
            stack.Add((root, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack[^1];
                if (next < node.DataInputs.Count)
                {
                    stack[^1] = (node, next + 1);
                    var producer = _byName[node.DataInputs[next].Node];
                    if (state[producer.Index] == OnStack) throw CycleError(stack, producer);
                    if (state[producer.Index] == Unvisited)
                    {
                        state[producer.Index] = OnStack;
                        stack.Add((producer, 0));
                    }
                    continue;
                }
                stack.RemoveAt(stack.Count - 1);
                state[node.Index] = Done;
                order.Add(node);
            }
        }
        return order;
    }

    private static AtcException CycleError(List<(TfNode Node, int Next)> stack, TfNode repeated)
    {
        // The stack holds consumers above their producers; the cycle runs from the repeated node upwards.
        int start = stack.FindIndex(f => ReferenceEquals(f.Node, repeated));
        var names = stack.Skip(start).Select(f => f.Node.Name).Reverse().ToList();
        names.Insert(0, repeated.Name);
        return new AtcException(AtcErrors.InvalidModel(
            "the graph has a cycle (" + string.Join(" -> ", names) + "); frozen inference graphs must be acyclic"));
    }
}
