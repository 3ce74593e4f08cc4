using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Compiler.Passes;

/// <summary>Rewiring steps shared by the passes; each keeps the graph's signature and topological order.</summary>
internal static class GraphRewrites
{
    /// <summary>
    /// Makes every reader of <paramref name="old"/> read <paramref name="replacement"/> instead. When
    /// <paramref name="old"/> is a graph output, the output's name must survive: the node writing the replacement
    /// writes the output value itself instead. That is impossible when the replacement is a graph input, a constant
    /// or another graph output; then nothing changes and the result is false (the caller keeps its node).
    /// </summary>
    public static bool TryReplace(Graph graph, Value old, Value replacement)
    {
        if (ReferenceEquals(old, replacement)) return true;
        if (!graph.Outputs.Contains(old, ReferenceEqualityComparer.Instance))
        {
            graph.ReplaceAllUses(old, replacement);
            return true;
        }

        var producer = replacement.Producer;
        if (producer is null || replacement.IsConstant
            || graph.Inputs.Contains(replacement, ReferenceEqualityComparer.Instance)
            || graph.Outputs.Contains(replacement, ReferenceEqualityComparer.Instance))
            return false;

        old.Shape ??= replacement.Shape;
        SetOutput(producer, producer.Outputs.IndexOf(replacement), old);
        graph.ReplaceAllUses(replacement, old);
        return true;
    }

    /// <summary>Makes <paramref name="node"/> write <paramref name="value"/> as its output at <paramref name="index"/>.</summary>
    public static void SetOutput(Node node, int index, Value value)
    {
        var previous = node.Outputs[index];
        if (ReferenceEquals(previous.Producer, node)) previous.Producer = null;
        node.Outputs[index] = value;
        value.Producer = node;
    }

    /// <summary>
    /// Absorbs <paramref name="consumer"/> (the only reader of <paramref name="producer"/>'s output
    /// <paramref name="outputIndex"/>) into the producer: the producer now writes the consumer's output value (so its
    /// name, and a graph output's name, survive) and takes the consumer's place in the order, which keeps the order
    /// topological even when the producer gained an input (a residual) that is written after it.
    /// </summary>
    public static void Absorb(Graph graph, Node producer, Node consumer, int outputIndex = 0)
    {
        var result = consumer.Outputs[0];
        SetOutput(producer, outputIndex, result);
        graph.Nodes.Remove(producer);
        graph.Nodes[graph.Nodes.IndexOf(consumer)] = producer;
        consumer.Outputs.Clear();
    }

    /// <summary>Sets an optional input, padding omitted inputs before it with null.</summary>
    public static void SetInput(Node node, int index, Value? value)
    {
        while (node.Inputs.Count <= index) node.Inputs.Add(null);
        node.Inputs[index] = value;
    }

    public static Value? InputOrNull(Node node, int index) => index < node.Inputs.Count ? node.Inputs[index] : null;

    /// <summary>Turns a node output into a constant with the same name (its node is about to be removed).</summary>
    public static void MakeConstant(Value value, Atc.Runtime.TensorData data)
    {
        value.Producer = null;
        value.Constant = data;
        value.Type = data.Type;
        value.Shape = Array.ConvertAll(data.Dims, d => (long)d);
    }

    /// <summary>
    /// Gives every node its own attribute object. A front end may hand one OpAttributes instance to several nodes;
    /// a pass that then sets "activation" on one node would silently change the others. Run before mutating attributes.
    /// </summary>
    public static void UnshareAttributes(Graph graph)
    {
        var seen = new HashSet<OpAttributes>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            if (seen.Add(node.Attributes)) continue;
            var copy = new Node(node.Name, node.OpType, node.Inputs, node.Attributes.Clone(), node.SourceOpType);
            foreach (var output in node.Outputs) copy.AttachOutput(output);
            node.Outputs.Clear();
            graph.Nodes[i] = copy;
        }
    }
}
