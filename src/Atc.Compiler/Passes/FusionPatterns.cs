using Atc.Compiler.Ir;
using Atc.Runtime;

namespace Atc.Compiler.Passes;

/// <summary>
/// Matching helpers shared by the pattern fusions: constant scalars within a relative tolerance (exporters round
/// √2, √(2/π) to float), the other operand of a binary node, and replacing a matched chain by one node.
/// </summary>
internal static class FusionPatterns
{
    /// <summary>Exporters write constants such as 1/√2 as float32; a looser match would fuse a different function.</summary>
    private const double ScalarTolerance = 1e-6;

    /// <summary>A constant float holding one value equal to <paramref name="expected"/> (relative 1e-6).</summary>
    public static bool IsScalar(Value? value, double expected)
        => ScalarOf(value) is { } v && Math.Abs(v - expected) <= ScalarTolerance * Math.Max(1.0, Math.Abs(expected));

    /// <summary>The value of a one-element float constant, else null.</summary>
    public static double? ScalarOf(Value? value)
        => value?.Constant is { ElementCount: 1, Type: DataType.Float32 or DataType.Float64 } data ? data.ToFloatArray()[0] : null;

    /// <summary>For a two-input node reading <paramref name="known"/> once, the other input; null otherwise.</summary>
    public static Value? OtherInput(Node node, Value known)
    {
        if (node.Inputs.Count != 2 || node.Inputs[0] is not { } a || node.Inputs[1] is not { } b) return null;
        if (ReferenceEquals(a, known) && !ReferenceEquals(b, known)) return b;
        if (ReferenceEquals(b, known) && !ReferenceEquals(a, known)) return a;
        return null;
    }

    /// <summary>The only reader of the node's single output, when that output is not a graph output.</summary>
    public static Node? SoleReader(GraphUses uses, Node node, string opType)
        => node.Outputs.Count == 1 && !uses.IsGraphOutput(node.Outputs[0]) && uses.SoleReader(node.Outputs[0]) is { } r
           && r.OpType == opType && r.Outputs.Count == 1 ? r : null;

    /// <summary>True when every output of every node but <paramref name="last"/> is read only inside the chain and
    /// is no graph output, so the chain can go.</summary>
    public static bool OnlyInternalUses(GraphUses uses, IReadOnlyList<Node> chain, Node last)
    {
        foreach (var node in chain)
        {
            if (ReferenceEquals(node, last)) continue;
            foreach (var output in node.Outputs)
            {
                if (uses.IsGraphOutput(output)) return false;
                foreach (var reader in uses.Readers(output))
                    if (!chain.Contains(reader)) return false;
            }
        }
        return true;
    }

    /// <summary>Replaces the chain by one node of <paramref name="opType"/> in <paramref name="last"/>'s place that
    /// writes <paramref name="last"/>'s output (its name survives); the other chain nodes are removed.</summary>
    public static Node Replace(Graph graph, IReadOnlyList<Node> chain, Node last, string opType, Value?[] inputs)
    {
        var fused = new Node(last.Name, opType, inputs, sourceOpType: last.SourceOpType);
        var output = last.Outputs[0];
        last.Outputs.Clear();
        fused.AttachOutput(output);
        graph.Nodes[graph.Nodes.IndexOf(last)] = fused;
        foreach (var node in chain)
            if (!ReferenceEquals(node, last)) graph.Nodes.Remove(node);
        return fused;
    }
}
