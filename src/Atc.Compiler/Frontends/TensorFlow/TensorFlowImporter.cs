using Atc.Compiler.Frontends.TensorFlow.Lowering;
using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Parsing;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>
/// Imports a frozen TensorFlow GraphDef (ATC --framework=3): Placeholders become graph inputs, Consts constants, and
/// every other node is lowered onto canonical ops (<see cref="Atc.Runtime.Operators.OpTypes"/>) in topological order.
/// Every unsupported op is reported at once; value names are TensorFlow's ("node" for output 0, "node:k").
/// </summary>
public sealed class TensorFlowImporter : IModelImporter
{
    /// <summary>TensorFlow op types this importer lowers.</summary>
    public static IReadOnlyCollection<string> SupportedOps => TfOpTable.SupportedOps;

    public Graph Import(byte[] model, string path, IReadOnlyList<OutNodeSpec> outNodes)
    {
        var graphDef = TfGraphDefReader.Read(model, path);
        var tf = TfNodeGraph.Build(graphDef);

        var name = Path.GetFileNameWithoutExtension(path);
        var graph = new Graph { Name = string.IsNullOrEmpty(name) ? "model" : name, SourceFramework = "tensorflow" };
        var context = new TfLoweringContext(tf, graph);
        var needed = outNodes.Count == 0 ? null
            : OutNodeSelection.Needed(outNodes, n => tf.TryGet(n, out var node) ? node.DataInputs.Select(r => r.Node) : null);
        LowerAll(context, needed);

        TfInputFormats.Assign(tf, graph);
        if (outNodes.Count == 0) TfOutputs.AssignDefault(context);
        else TfOutputs.AssignSelected(context, outNodes);
        ImportedGraphCheck.Validate(graph);
        return graph;
    }

    private static void LowerAll(TfLoweringContext context, HashSet<string>? needed)
    {
        // Op description → first node (GraphDef order) that has it.
        var unsupported = new Dictionary<string, TfNode>(StringComparer.Ordinal);
        foreach (var node in context.Tf.TopologicalOrder)
        {
            if (needed is not null && !needed.Contains(node.Name) && node.Op != "Placeholder") continue;
            try
            {
                if (!TfOpTable.TryGet(node.Op, out var lowering)) throw new TfUnsupportedException(node.Op);
                lowering(context, node);
            }
            catch (TfUnsupportedException e)
            {
                if (!unsupported.TryGetValue(e.What, out var first) || node.Index < first.Index) unsupported[e.What] = node;
                context.Poison(node);
            }
            catch (TfPoisonedInputException)
            {
                context.Poison(node);
            }
        }
        if (unsupported.Count > 0)
            throw new AtcException(AtcErrors.UnsupportedOps(unsupported
                .OrderBy(p => p.Value.Index)
                .Select(p => new KeyValuePair<string, string>(p.Key, p.Value.Name))));
    }
}
