using System.Text.Json;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Rules;

namespace Atc.Compiler.Passes;

/// <summary>
/// ATC's --fusion_switch_file on this compiler's passes. The file is either lines "Name:off" / "Name:on" or ATC's
/// JSON {"Switch":{"GraphFusion":{"Name":"off","ALL":"off"},"UBFusion":{...}}}. ATC's fusion rule names that do what
/// one of these passes does, and the passes' own names, switch that pass; other names are warning ATC3001. Passes
/// the graph needs (dead code, identities, constant folding) cannot be switched off, as in ATC.
/// </summary>
public static class FusionSwitches
{
    public const string FileFormat = "lines \"PassName:off\" or {\"Switch\":{\"GraphFusion\":{\"PassName\":\"off\"},\"UBFusion\":{\"ALL\":\"off\"}}}";

    /// <summary>Switchable passes and the ATC rule names that map onto each (GraphFusion: graph rewrites, UBFusion: fused epilogues).</summary>
    private static readonly (string Pass, string Group, string[] AtcNames)[] Map =
    [
        (nameof(BatchNormFolding), "GraphFusion", ["ConvBatchnormFusionPass", "BatchNormBnInferFusionPass", "ConvScaleFusionPass", "FCBatchnormFusionPass"]),
        (nameof(LayoutPropagation), "GraphFusion", ["TransposeReshapeFusionPass", "TransdataRemovePass"]),
        (nameof(ConcatIntoProducers), "GraphFusion", ["ZConcatv2dFusionPass", "ConvConcatFusionPass", "ZConcatExt2FusionPass"]),
        // This compiler's own pattern fusions: switched by their pass names (ATC's rule names for them are not public facts here).
        (nameof(ActivationPatternFusion), "GraphFusion", []),
        (nameof(GatedMulFusion), "GraphFusion", []),
        (nameof(LayerNormPatternFusion), "GraphFusion", []),
        (nameof(AttentionPatternFusion), "GraphFusion", []),
        (nameof(ElementwiseChainFusion), "UBFusion", []),
        (nameof(QdqFusion), "GraphFusion", []),
        (nameof(QdqGemmFusion), "GraphFusion", []),
        (nameof(QdqElementwiseFusion), "GraphFusion", []),
        (nameof(AippNormalizationFolding), "GraphFusion", []),
        (nameof(BiasAndActivationFusion), "UBFusion", ["AABiasaddConvFusion", "TbeConv2DReluv2Pass", "TbeConvDoubleInFusionPass", "ConvClipByValueFusionPass", "TbeEltwiseFusionPass", "MatMulBiasAddFusionPass", "TbeConvElemwiseFusionPass"]),
    ];

    /// <summary>Every name the file may use.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = Map.SelectMany(m => m.AtcNames.Prepend(m.Pass)).Append("ALL").ToList();

    /// <summary>The passes the file switches off; problems go to <paramref name="diagnostics"/> (ATC3001 warnings, ATC3002 errors).</summary>
    public static HashSet<string> Parse(string text, string file, List<AtcDiagnostic> diagnostics)
    {
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        var trimmed = text.TrimStart('\uFEFF').TrimStart();
        if (trimmed.StartsWith('{')) ParseJson(trimmed, file, disabled, diagnostics);
        else ParseLines(text, file, disabled, diagnostics);
        return disabled;
    }

    private static void ParseLines(string text, string file, HashSet<string> disabled, List<AtcDiagnostic> diagnostics)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int colon = line.LastIndexOf(':');
            if (colon <= 0)
            {
                diagnostics.Add(AtcErrors.ConfigFileInvalid(AtcOptionNames.FusionSwitchFile, file, i + 1, "[" + line + "] is not \"Name:on\" or \"Name:off\"", FileFormat));
                continue;
            }
            Apply(line[..colon].Trim(), null, line[(colon + 1)..].Trim(), file, i + 1, disabled, diagnostics);
        }
    }

    private static void ParseJson(string text, string file, HashSet<string> disabled, List<AtcDiagnostic> diagnostics)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            diagnostics.Add(AtcErrors.ConfigFileInvalid(AtcOptionNames.FusionSwitchFile, file, (int)(e.LineNumber ?? 0) + 1, "the JSON is malformed", FileFormat));
            return;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("Switch", out var switches) || switches.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Add(AtcErrors.ConfigFileInvalid(AtcOptionNames.FusionSwitchFile, file, 1, "the JSON has no \"Switch\" object", FileFormat));
                return;
            }
            foreach (var group in switches.EnumerateObject())
            {
                if (group.Name is not ("GraphFusion" or "UBFusion") || group.Value.ValueKind != JsonValueKind.Object)
                {
                    diagnostics.Add(AtcErrors.ConfigFileInvalid(AtcOptionNames.FusionSwitchFile, file, 1, "\"" + group.Name + "\" is not an object \"GraphFusion\" or \"UBFusion\"", FileFormat));
                    continue;
                }
                // "ALL" first, so single rules in the same group can turn passes back on, as ATC allows.
                foreach (var rule in group.Value.EnumerateObject().OrderBy(r => r.Name == "ALL" ? 0 : 1))
                {
                    var value = rule.Value.ValueKind == JsonValueKind.String ? rule.Value.GetString()! : rule.Value.ToString();
                    Apply(rule.Name, group.Name, value, file, 1, disabled, diagnostics);
                }
            }
        }
    }

    private static void Apply(string name, string? group, string value, string file, int line, HashSet<string> disabled, List<AtcDiagnostic> diagnostics)
    {
        bool off;
        switch (value.ToLowerInvariant())
        {
            case "off": off = true; break;
            case "on": off = false; break;
            default:
                diagnostics.Add(AtcErrors.ConfigFileInvalid(AtcOptionNames.FusionSwitchFile, file, line, "the switch of [" + name + "] is [" + value + "], not on or off", FileFormat));
                return;
        }
        var passes = name == "ALL"
            ? Map.Where(m => group is null || m.Group == group).Select(m => m.Pass).ToList()
            : Map.Where(m => m.Pass == name || m.AtcNames.Contains(name)).Select(m => m.Pass).ToList();
        if (passes.Count == 0)
        {
            diagnostics.Add(AtcErrors.FusionSwitchUnknown(name, file, NameSuggestions.Closest(name, KnownNames), Map.Select(m => m.Pass)));
            return;
        }
        foreach (var pass in passes)
        {
            if (off) disabled.Add(pass);
            else disabled.Remove(pass);
        }
    }
}
