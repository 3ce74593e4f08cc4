using Atc.Compiler.Frontends.TensorFlow.Lowering;
using Atc.Compiler.Ir;
using Atc.Options;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>
/// Imports a frozen TensorFlow GraphDef (ATC --framework=3): Placeholders become graph inputs, Consts constants, and
/// every other node is lowered onto canonical ops (<see cref="Atc.Runtime.Operators.OpTypes"/>) in topological order.
/// Every unsupported op is reported at once; value names are TensorFlow's ("node" for output 0, "node:k").
/// </summary>
public sealed class TensorFlowImporter : IModelImporter
{
    public TensorFlowImporter() { }

    /// <param name="outNodes">ATC's --out_nodes: the outputs by node name and output index. Only what they need is
    /// lowered, so ops after them (e.g. unsupported post-processing) do not matter.</param>
    public TensorFlowImporter(IReadOnlyList<(string Node, int Index)>? outNodes) => OutNodes = outNodes;

    public IReadOnlyList<(string Node, int Index)>? OutNodes { get; }

    /// <summary>TensorFlow op types this importer lowers.</summary>
    public static IReadOnlyCollection<string> SupportedOps => TfOpTable.SupportedOps;

    public Graph Import(byte[] model, string path)
    {
        var graphDef = TfGraphDefReader.Read(model, path);
        var tf = TfNodeGraph.Build(graphDef);
        var outNodes = OutNodes is { Count: > 0 } o ? o : null;
        if (outNodes is not null) TfOutputs.Validate(tf, outNodes);

        var name = Path.GetFileNameWithoutExtension(path);
        var graph = new Graph { Name = string.IsNullOrEmpty(name) ? "model" : name, SourceFramework = "tensorflow" };
        var context = new TfLoweringContext(tf, graph);
        var needed = outNodes is null ? null : TfOutputs.Needed(tf, outNodes);
        LowerAll(context, needed);

        TfInputFormats.Assign(tf, graph);
        if (outNodes is null) TfOutputs.AssignDefault(context);
        else TfOutputs.AssignSelected(context, outNodes);
        ImportedGraphCheck.Validate(graph);
        return graph;
    }

    /// <summary>
    /// Chooses the outputs of an imported graph by TensorFlow tensor name ("node" for index 0, "node:k"), replacing
    /// the default outputs. Unknown names fail with the current outputs as candidates.
    /// </summary>
    public static void SelectOutputs(Graph graph, IReadOnlyList<(string Node, int Index)> outNodes)
    {
        var byName = new Dictionary<string, Ir.Value>(StringComparer.Ordinal);
        foreach (var v in graph.AllValues()) byName.TryAdd(v.Name, v);
        var selected = new List<Ir.Value>();
        foreach (var (node, index) in outNodes)
        {
            string name = TfTensorRef.ValueNameOf(node, index);
            if (!byName.TryGetValue(name, out var value))
            {
                var candidates = graph.Outputs.Select(v => v.Name.Contains(':') ? v.Name : v.Name + ":0").ToList();
                throw new AtcException(AtcErrors.InvalidModel("--out_nodes names [" + node + ":" + index + "], which is not a tensor of the model")
                    .WithFix(candidates.Count == 0 ? null : "The model's outputs are " + string.Join(", ", candidates) + "."));
            }
            selected.Add(value);
        }
        graph.Outputs.Clear();
        graph.Outputs.AddRange(selected);
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
