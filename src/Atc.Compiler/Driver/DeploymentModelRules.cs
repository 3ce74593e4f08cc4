using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Deployment;

namespace Atc.Compiler.Driver;

/// <summary>
/// The deployment options against the imported model: --keep_dtype names (ATC3004 warnings: every node keeps
/// float32 here anyway), --input_fp16_nodes and --output_type node names (E10016/E10017), then float16/uint8 tensors,
/// which the runtime does not have yet (ATC3005).
/// </summary>
public static class DeploymentModelRules
{
    public static void Check(DeploymentOptions options, DeploymentFileContents files, Graph graph, List<AtcDiagnostic> diagnostics)
    {
        var names = new HashSet<string>(graph.Nodes.Select(n => n.Name), StringComparer.Ordinal);
        names.UnionWith(graph.AllValues().Select(v => v.Name));
        var opTypes = new HashSet<string>(graph.Nodes.SelectMany(n => new[] { n.OpType, n.SourceOpType }), StringComparer.Ordinal);

        foreach (var entry in files.KeepDtype)
        {
            bool known = entry.IsOpType ? opTypes.Contains(entry.Name) : names.Contains(entry.Name);
            if (!known)
                diagnostics.Add(AtcErrors.KeepDtypeNodeUnknown((entry.IsOpType ? "OpType::" : "") + entry.Name, options.KeepDtypePath!, entry.Line,
                    NameSuggestions.Closest(entry.Name, entry.IsOpType ? opTypes : names)));
        }

        var inputNames = graph.Inputs.Select(i => i.Name).ToList();
        foreach (var node in options.InputFp16Nodes)
        {
            if (inputNames.Contains(node))
                diagnostics.Add(AtcErrors.Float16NotSupported(AtcOptionNames.InputFp16Nodes, node, "float16 input"));
            else if (names.Contains(node))
                diagnostics.Add(AtcErrorCatalog.E10017.Create(AtcOptionNames.InputFp16Nodes, "Name a model input: " + string.Join(", ", inputNames) + ".", node, AtcOptionNames.InputFp16Nodes));
            else
                diagnostics.Add(AtcErrors.NodeNotFound(AtcOptionNames.InputFp16Nodes, node, NameSuggestions.Closest(node, inputNames)));
        }

        foreach (var spec in options.OutputTypes)
        {
            if (spec.Node != null && !names.Contains(spec.Node))
            {
                diagnostics.Add(AtcErrors.NodeNotFound(AtcOptionNames.OutputType, spec.Node, NameSuggestions.Closest(spec.Node, graph.Outputs.Select(o => o.Name))));
                continue;
            }
            if (spec.Type != "FP32")
                diagnostics.Add(AtcErrors.Float16NotSupported(AtcOptionNames.OutputType,
                    spec.Node is null ? spec.Type : spec.Node + ":" + spec.Index + ":" + spec.Type, spec.Type == "FP16" ? "float16 output" : "uint8 output"));
        }
    }
}
