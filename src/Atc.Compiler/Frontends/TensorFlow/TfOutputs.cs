using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Parsing;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>
/// Chooses the graph outputs: by default every output of the nodes nothing reads (in GraphDef order, leaving out
/// Const, NoOp and Placeholder); or the tensors the user names (ATC's --out_nodes "node:0;node2:1", see <see cref="OutNodeSelection"/>).
/// Each output value carries its TensorFlow name ("node" or "node:k").
/// </summary>
internal static class TfOutputs
{
    private static readonly HashSet<string> NeverOutputs = new(StringComparer.Ordinal) { "Const", "NoOp", "Placeholder" };

    /// <summary>The TensorFlow nodes that are outputs by default, from the GraphDef alone (no lowering needed).</summary>
    public static List<TfNode> DefaultOutputNodes(TfNodeGraph tf)
        => [.. tf.Nodes.Where(n => !NeverOutputs.Contains(n.Op) && tf.ConsumersOf(n.Name).Count == 0)];

    public static void AssignDefault(TfLoweringContext c)
    {
        foreach (var node in DefaultOutputNodes(c.Tf))
            foreach (var (index, value) in c.OutputsOf(node.Name))
                c.Graph.Outputs.Add(Named(c, node, index, value));
        if (c.Graph.Outputs.Count == 0)
            throw new AtcException(AtcErrors.InvalidModel("the graph has no output: every node is a Const, NoOp or Placeholder, or is read by another node"));
    }

    /// <summary>The outputs --out_nodes names, checked once lowering has told each named node's output count.</summary>
    public static void AssignSelected(TfLoweringContext c, IReadOnlyList<OutNodeSpec> outNodes)
    {
        var outputCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var n in c.Tf.Nodes) outputCounts.TryAdd(n.Name, c.OutputsOf(n.Name).Count);
        OutNodeSelection.Check(outNodes, outputCounts);
        foreach (var spec in outNodes)
        {
            c.Tf.TryGet(spec.NodeName, out var node);
            if (!c.TryResolve(spec.NodeName, spec.OutputIndex, out var value))
                throw new AtcException(AtcErrors.InvalidModel("--out_nodes asks for output " + spec.OutputIndex + " of node ["
                    + spec.NodeName + "] (" + node.Op + "), which lowering did not produce").WithFix(CandidatesFix(c.Tf)));
            c.Graph.Outputs.Add(Named(c, node, spec.OutputIndex, value));
        }
    }

    public static string CandidatesFix(TfNodeGraph tf)
    {
        var candidates = DefaultOutputNodes(tf).Select(n => n.Name + ":0").ToList();
        return candidates.Count == 0 ? "Name a node of the model and an output index, e.g. --out_nodes=\"node:0\"."
            : "The model's outputs are " + string.Join(", ", candidates) + "; e.g. --out_nodes=\"" + candidates[0] + "\".";
    }

    /// <summary>A graph output must be a node output named like the TensorFlow tensor; an Identity of a constant
    /// (aliased at import) gets an Identity node to carry the name.</summary>
    private static Value Named(TfLoweringContext c, TfNode node, int index, Value value)
    {
        string name = TfTensorRef.ValueNameOf(node.Name, index);
        if (value.Name == name && !value.IsConstant) return value;
        var identity = c.Graph.AddNode(new Node(c.UniqueName(node.Name + "/output"), OpTypes.Identity, [value], sourceOpType: node.Op));
        return identity.AddOutput(name, value.Type, value.Shape);
    }
}
