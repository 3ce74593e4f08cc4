using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Deployment;
using Atc.Options.Errors;
using Atc.Options.Rules;

namespace Atc.Compiler.Driver;

/// <summary>
/// The deployment options against the imported model: --keep_dtype names (ATC3004 warnings: an unknown name
/// keeps nothing), --input_fp16_nodes and --output_type node names (E10016/E10017), and that a per-node output
/// type names a model output (ATC4100). <see cref="DeploymentSignature"/> then applies them.
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
                continue;
            if (names.Contains(node))
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
            if (spec.Node != null && DeploymentSignature.OutputIndexOf(graph, spec.Node, spec.Index) < 0)
                diagnostics.Add(AtcErrors.OutputTypeNotModelOutput(spec.Node, spec.Index, graph.Outputs.Select(o => o.Name)));
        }
    }
}
