using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>
/// Chooses the graph outputs: by default every output of the nodes nothing reads (in GraphDef order, leaving out
/// Const, NoOp and Placeholder); or the tensors the user names (ATC's --out_nodes "node:0;node2:1").
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

    /// <summary>Checks the requested outputs against the GraphDef before lowering (so a typo fails fast and names the choices).</summary>
    public static void Validate(TfNodeGraph tf, IReadOnlyList<(string Node, int Index)> outNodes)
    {
        foreach (var (name, index) in outNodes)
        {
            if (!tf.TryGet(name, out _))
                throw new AtcException(AtcErrors.InvalidModel("--out_nodes names node [" + name + "], which is not in the model")
                    .WithFix(CandidatesFix(tf)));
            if (index < 0)
                throw new AtcException(AtcErrors.InvalidModel("--out_nodes asks for output " + index + " of node [" + name + "]; output indices start at 0"));
        }
    }

    public static void AssignSelected(TfLoweringContext c, IReadOnlyList<(string Node, int Index)> outNodes)
    {
        foreach (var (name, index) in outNodes)
        {
            c.Tf.TryGet(name, out var node);
            if (!c.TryResolve(name, index, out var value))
                throw new AtcException(AtcErrors.InvalidModel("--out_nodes asks for output " + index + " of node [" + name + "] ("
                    + node.Op + "), which has " + c.OutputsOf(name).Count + " output(s)").WithFix(CandidatesFix(c.Tf)));
            c.Graph.Outputs.Add(Named(c, node, index, value));
        }
    }

    /// <summary>Nodes reachable backwards (through data inputs) from the requested outputs: all that must be lowered.</summary>
    public static HashSet<string> Needed(TfNodeGraph tf, IReadOnlyList<(string Node, int Index)> outNodes)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(outNodes.Select(o => o.Node));
        while (stack.Count > 0)
        {
            string name = stack.Pop();
            if (!needed.Add(name) || !tf.TryGet(name, out var node)) continue;
            foreach (var r in node.DataInputs) stack.Push(r.Node);
        }
        return needed;
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
