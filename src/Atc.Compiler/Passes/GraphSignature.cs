using Atc.Compiler.Ir;

namespace Atc.Compiler.Passes;

/// <summary>The names of a graph's inputs and outputs in order: what no pass may change.</summary>
public sealed record GraphSignature(string[] InputNames, string[] OutputNames)
{
    public static GraphSignature Of(Graph graph)
        => new([.. graph.Inputs.Select(v => v.Name)], [.. graph.Outputs.Select(v => v.Name)]);

    /// <summary>A description of how the graph's signature differs from this one, or null when it is the same.</summary>
    public string? FindChange(Graph graph)
    {
        var now = Of(graph);
        if (!now.InputNames.AsSpan().SequenceEqual(InputNames))
            return $"graph inputs changed from [{string.Join(", ", InputNames)}] to [{string.Join(", ", now.InputNames)}]";
        if (!now.OutputNames.AsSpan().SequenceEqual(OutputNames))
            return $"graph outputs changed from [{string.Join(", ", OutputNames)}] to [{string.Join(", ", now.OutputNames)}]";
        return null;
    }
}
