using Atc.Compiler.Ir;

namespace Atc.Compiler.Passes;

/// <summary>Structural rules every graph must keep between passes: nodes in topological order, producers that
/// agree with node outputs, each value written once, and outputs that something defines.</summary>
public static class GraphInvariants
{
    /// <summary>The first broken rule, or null when the graph is well formed.</summary>
    public static string? FindProblem(Graph graph)
    {
        var defined = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        foreach (var input in graph.Inputs)
        {
            if (input.Producer is not null) return $"graph input '{input.Name}' has producer {input.Producer}";
            defined.Add(input);
        }

        foreach (var node in graph.Nodes)
        {
            foreach (var v in node.Inputs)
            {
                if (v is null || v.IsConstant || defined.Contains(v)) continue;
                return v.Producer is null
                    ? $"{node} reads '{v.Name}', which is neither a graph input, a constant nor a node output"
                    : $"{node} reads '{v.Name}' before {v.Producer} writes it";
            }
            foreach (var v in node.Outputs)
            {
                if (!ReferenceEquals(v.Producer, node)) return $"{node} lists output '{v.Name}' whose producer is {v.Producer?.ToString() ?? "none"}";
                if (v.IsConstant) return $"{node} writes constant '{v.Name}'";
                if (!defined.Add(v)) return $"'{v.Name}' is written twice ({node})";
            }
        }

        foreach (var output in graph.Outputs)
            if (!output.IsConstant && !defined.Contains(output))
                return $"graph output '{output.Name}' is not written by any node";
        return null;
    }
}
