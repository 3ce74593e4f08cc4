using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Ir;

/// <summary>
/// Changes the element type of a graph input or output without touching the computation: a Cast at the boundary.
/// Float16 models (their declared FLOAT16 inputs and outputs) and ATC's --input_fp16_nodes / --output_type use it,
/// so the model's signature carries the requested type while everything inside stays float32.
/// </summary>
public static class BoundaryCasts
{
    /// <summary>Graph input <paramref name="input"/> arrives as <paramref name="type"/>: it keeps its name, and a Cast
    /// back to its former type feeds every former consumer.</summary>
    public static void CastInput(Graph graph, Value input, DataType type)
    {
        if (input.Type == type) return;
        var names = new BoundaryNames(graph);
        var node = new Node(names.Node(input.Name + "/cast_" + input.Type.Name()), OpTypes.Cast, [input],
            new OpAttributes().Set("to", (long)input.Type), OpTypes.Cast);
        var inner = node.AddOutput(names.Value(input.Name + "/" + input.Type.Name()), input.Type, input.Shape?.ToArray());
        graph.ReplaceAllUses(input, inner);
        graph.Nodes.Insert(0, node);
        input.Type = type;
    }

    /// <summary>Graph output <paramref name="index"/> leaves as <paramref name="type"/>: a Cast after its producer
    /// takes the output's name (the computed value is renamed) so the signature is unchanged but for the type.</summary>
    public static void CastOutput(Graph graph, int index, DataType type)
    {
        var value = graph.Outputs[index];
        if (value.Type == type) return;
        var names = new BoundaryNames(graph);
        string outputName = value.Name;
        var node = new Node(names.Node(outputName + "/cast_" + type.Name()), OpTypes.Cast, [value],
            new OpAttributes().Set("to", (long)type), OpTypes.Cast);
        // A graph input or weight passed straight through keeps its name; only computed values are renamed.
        bool rename = value.Producer is not null;
        if (rename) value.Name = names.Value(outputName + "/" + value.Type.Name());
        var cast = node.AddOutput(rename ? outputName : names.Value(outputName + "/" + type.Name()), type, value.Shape?.ToArray());
        graph.Nodes.Add(node);
        graph.Outputs[index] = cast;
    }

    /// <summary>Fresh node and value names: the wanted name, or it with a counter when the graph already uses it.</summary>
    private sealed class BoundaryNames(Graph graph)
    {
        private readonly HashSet<string> _nodes = new(graph.Nodes.Select(n => n.Name), StringComparer.Ordinal);
        private readonly HashSet<string> _values = new(graph.AllValues().Select(v => v.Name), StringComparer.Ordinal);

        public string Node(string stem) => Fresh(_nodes, stem);
        public string Value(string stem) => Fresh(_values, stem);

        private static string Fresh(HashSet<string> used, string stem)
        {
            string name = stem;
            for (int k = 1; !used.Add(name); k++) name = stem + "_" + k;
            return name;
        }
    }
}
