using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Parsing;
using Atc.Options.Rules;

namespace Atc.Compiler.Frontends;

/// <summary>
/// ATC's --out_nodes, the one implementation: each importer walks its source graph back from the named nodes, lowers
/// only what they need (so ops after them, e.g. unsupported post-processing, never matter) and checks the names and
/// output indices here (E11017, E11016, all at once).
/// </summary>
public static class OutNodeSelection
{
    /// <summary>
    /// The source nodes the named outputs depend on, walking back through <paramref name="inputNodesOf"/> (the nodes
    /// whose outputs a node reads; null for a name the source graph does not have). Unknown names are left to <see cref="Check"/>.
    /// </summary>
    public static HashSet<string> Needed(IReadOnlyList<OutNodeSpec> outNodes, Func<string, IEnumerable<string>?> inputNodesOf)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(outNodes.Select(o => o.NodeName));
        while (pending.Count > 0)
        {
            string name = pending.Pop();
            if (needed.Contains(name) || inputNodesOf(name) is not { } inputs) continue;
            needed.Add(name);
            foreach (var input in inputs) pending.Push(input);
        }
        return needed;
    }

    /// <summary>Throws E11017 for every unknown node and E11016 for every index beyond the node's outputs.</summary>
    /// <param name="nodeOutputCounts">Every source node's name and its output count (the count matters only for named nodes).</param>
    public static void Check(IReadOnlyList<OutNodeSpec> outNodes, IReadOnlyDictionary<string, int> nodeOutputCounts)
    {
        var diagnostics = new List<AtcDiagnostic>();
        ShapeOptionRules.CheckOutNodes(outNodes, nodeOutputCounts, diagnostics);
        if (diagnostics.Count > 0) throw new AtcException(diagnostics);
    }
}
