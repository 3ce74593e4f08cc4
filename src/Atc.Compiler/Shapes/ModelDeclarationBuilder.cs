using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Compiler.Shapes;

/// <summary>The <see cref="ModelDeclaration"/> of a graph, as the option rules see it.</summary>
public static class ModelDeclarationBuilder
{
    public static ModelDeclaration From(Graph graph)
    {
        var inputs = graph.Inputs.Select(v => new ModelInput(DisplayName(graph, v), v.Shape?.ToArray(), v.Type.Name(), v.Name));
        var nodes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes) nodes.TryAdd(node.Name, node.Outputs.Count);
        return new ModelDeclaration(inputs, nodes);
    }

    /// <summary>The name users write in --input_shape: TensorFlow's placeholder node name ("x", for tensor "x:0").</summary>
    public static string DisplayName(Graph graph, Value input)
        => graph.SourceFramework == "tensorflow" && input.Name.EndsWith(":0", StringComparison.Ordinal)
            ? input.Name[..^2]
            : input.Name;
}
