using System.Globalization;
using Atc.Compiler.Ir;

namespace Atc.Compiler.Passes;

/// <summary>Hands out value names not yet used in the graph, for constants a pass creates (folded weights).</summary>
internal sealed class ValueNames
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public ValueNames(Graph graph)
    {
        foreach (var v in graph.AllValues()) _taken.Add(v.Name);
        foreach (var v in graph.Outputs) _taken.Add(v.Name);
        foreach (var n in graph.Nodes) _taken.Add(n.Name);
    }

    /// <summary><paramref name="wanted"/> if free, else wanted_1, wanted_2, ... (deterministic).</summary>
    public string Fresh(string wanted)
    {
        if (_taken.Add(wanted)) return wanted;
        for (int i = 1; ; i++)
        {
            string candidate = string.Create(CultureInfo.InvariantCulture, $"{wanted}_{i}");
            if (_taken.Add(candidate)) return candidate;
        }
    }
}
