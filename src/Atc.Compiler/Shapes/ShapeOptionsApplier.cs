using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Rules;

namespace Atc.Compiler.Shapes;

/// <summary>
/// Applies ATC's shape options to a graph: checks them against the model's inputs, fixes the inputs' shapes (-1 where
/// the gears or a range vary them), records --input_format, and returns the <see cref="GearSet"/> to compile.
/// </summary>
public static class ShapeOptionsApplier
{
    /// <summary>Throws <see cref="AtcException"/> with every model-dependent problem.</summary>
    public static GearSet Apply(Graph graph, ShapeOptions options)
    {
        var signature = ModelDeclarationBuilder.From(graph);
        var diagnostics = new List<AtcDiagnostic>();
        ShapeOptionRules.CheckAgainstModel(options, signature, diagnostics);
        if (diagnostics.Any(d => d.Severity == AtcSeverity.Error)) throw new AtcException(diagnostics);
        return Apply(graph, options, GearExpansion.Expand(options, signature));
    }

    /// <summary>Applies an already expanded profile (the options were checked against this graph).</summary>
    public static GearSet Apply(Graph graph, ShapeOptions options, ShapeProfile profile)
    {
        for (int i = 0; i < graph.Inputs.Count; i++)
            graph.Inputs[i].Shape = profile.EffectiveShapes[i].ToArray();
        ApplyInputFormat(graph, options.InputFormat);
        return ToGearSet(graph, profile);
    }

    public static GearSet ToGearSet(Graph graph, ShapeProfile profile)
    {
        var names = graph.Inputs.Select(v => v.Name).ToList();
        var gears = profile.Gears.Select(g => new Gear(
            names.Select((name, i) => (name, shape: g.Shapes[i])).ToDictionary(p => p.name, p => p.shape, StringComparer.Ordinal),
            g.Selector)).ToList();
        var ranges = profile.Bounds.Select(b => new InputRange(names[b.InputIndex], b.Min, b.Max)).ToList();
        return new GearSet(profile.Kind, gears, ranges);
    }

    /// <summary>--input_format names the layout of the inputs it fits: ND every input, NCHW/NHWC 4-D, NCDHW/NDHWC 5-D.</summary>
    private static void ApplyInputFormat(Graph graph, AtcInputFormat? format)
    {
        if (format is null) return;
        var tensorFormat = Enum.Parse<TensorFormat>(format.Value.ToString());
        int rank = format switch
        {
            AtcInputFormat.NCHW or AtcInputFormat.NHWC => 4,
            AtcInputFormat.NCDHW or AtcInputFormat.NDHWC => 5,
            _ => -1,
        };
        foreach (var input in graph.Inputs)
            if (rank < 0 || input.Shape?.Length == rank)
                graph.InputFormats[input.Name] = tensorFormat;
    }
}
