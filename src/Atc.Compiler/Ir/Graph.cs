namespace Atc.Compiler.Ir;

/// <summary>
/// The framework-neutral model: inputs, constants, nodes in topological order, outputs. Front ends build it, the
/// shape-option rules and the passes rewrite it, the planner lowers it per gear.
/// </summary>
public sealed class Graph
{
    public string Name { get; set; } = "model";
    /// <summary>"tensorflow" or "onnx": where the graph came from (for messages and the .om header).</summary>
    public string SourceFramework { get; set; } = "";
    /// <summary>Graph inputs (placeholders) in model order; their Shape is the declared shape (-1 unknown).</summary>
    public List<Value> Inputs { get; } = [];
    /// <summary>Layout of each input, by input name (defaults to ND, or the layout its consumers declare).</summary>
    public Dictionary<string, TensorFormat> InputFormats { get; } = new(StringComparer.Ordinal);
    public List<Value> Outputs { get; } = [];
    /// <summary>Nodes in topological order.</summary>
    public List<Node> Nodes { get; } = [];

    public Node AddNode(Node node) { Nodes.Add(node); return node; }

    /// <summary>Every value read by some node or output (inputs, constants and intermediates).</summary>
    public IEnumerable<Value> AllValues()
    {
        var seen = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        foreach (var v in Inputs) if (seen.Add(v)) yield return v;
        foreach (var n in Nodes)
        {
            foreach (var v in n.Inputs) if (v is not null && seen.Add(v)) yield return v;
            foreach (var v in n.Outputs) if (seen.Add(v)) yield return v;
        }
    }

    /// <summary>Number of nodes reading each value (graph outputs count once each).</summary>
    public Dictionary<Value, int> UseCounts()
    {
        var uses = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        foreach (var n in Nodes)
            foreach (var v in n.Inputs)
                if (v is not null) uses[v] = uses.GetValueOrDefault(v) + 1;
        foreach (var v in Outputs) uses[v] = uses.GetValueOrDefault(v) + 1;
        return uses;
    }

    /// <summary>Replaces every use of <paramref name="old"/> (node inputs and graph outputs) by <paramref name="replacement"/>.</summary>
    public void ReplaceAllUses(Value old, Value replacement)
    {
        foreach (var n in Nodes)
            for (int i = 0; i < n.Inputs.Count; i++)
                if (ReferenceEquals(n.Inputs[i], old)) n.Inputs[i] = replacement;
        for (int i = 0; i < Outputs.Count; i++)
            if (ReferenceEquals(Outputs[i], old)) Outputs[i] = replacement;
    }
}
