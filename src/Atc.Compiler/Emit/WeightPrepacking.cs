using Atc.Runtime;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;

namespace Atc.Compiler.Emit;

/// <summary>
/// Compile time: creates the kernels of every gear (the code the runtime runs), keeps what they pack from constant
/// inputs as prepacked blobs, and leaves out of the file the raw constants that nothing needs any more, so that a
/// load neither copies nor packs weights.
/// </summary>
internal static class WeightPrepacking
{
    /// <summary>
    /// The model with prepacked blobs for constants that every reader, in every gear, takes prepacked (those constants
    /// become <see cref="DroppedWeights"/> placeholders). Unchanged for range profiles (shapes planned at run time may
    /// need other layouts). A kernel that cannot be created here, or a packing conflict, throws: the planner has
    /// already checked every node, so such a failure is a compiler bug (the CLI reports it as ATC9999), and a quiet
    /// fallback to raw weights would only turn it into a silent slowdown or a load that fails later.
    /// </summary>
    public static OmModel Apply(OmModel model, OperatorResolver? resolver = null)
    {
        if (model.GearKind == ModelGearKind.Range || model.Prepacked.Length > 0) return model;
        resolver ??= OperatorResolvers.Registry;
        var graph = model.Graph;
        var collector = new PrepackedWeightCollector();
        // Shared by every gear here and by the replayed load below, so derived weights (Winograd's) are computed once.
        var derived = new DerivedWeightCache();
        for (int g = 0; g < model.Plans.Length; g++)
        {
            int gear = g;
            GearExecutor.Create(graph, model.Plans[g], g, resolver, node => collector.ForNode(gear, node), derived);
        }

        var dropped = DroppableConstants(model, collector);
        if (!dropped.Any(d => d)) return model;

        var constants = graph.Constants.ToArray();
        for (int v = 0; v < constants.Length; v++)
            if (dropped[v]) constants[v] = DroppedWeights.Placeholder(constants[v]!.Type, constants[v]!.Dims, graph.Values[v].Name);
        var blobs = collector.Blobs
            .Where(b => dropped[graph.Nodes[b.Node].Inputs[b.Input]])
            .OrderBy(b => b.Node).ThenBy(b => b.Key, StringComparer.Ordinal)
            .ToArray();
        var packed = new OmModel
        {
            Name = model.Name,
            SourceFramework = model.SourceFramework,
            SocVersion = model.SocVersion,
            Target = model.Target,
            ProducerVersion = model.ProducerVersion,
            Graph = new ModelGraph(graph.Values, graph.Nodes, graph.Inputs, graph.Outputs, constants),
            Inputs = model.Inputs,
            Outputs = model.Outputs,
            GearKind = model.GearKind,
            Gears = model.Gears,
            Ranges = model.Ranges,
            Plans = model.Plans,
            OpsEstimate = model.OpsEstimate,
            Prepacked = blobs,
            PrecisionMode = model.PrecisionMode,
            WeightStorage = model.WeightStorage,
        };
        return LoadsWithoutRawWeights(packed, resolver, derived) ? packed : model;
    }

    /// <summary>
    /// Constants whose every reading step, in every gear, reported a prepacked blob for that input, that are not a
    /// model output and whose storage no other value shares (an aliasing Reshape reads the raw bytes).
    /// </summary>
    private static bool[] DroppableConstants(OmModel model, PrepackedWeightCollector collector)
    {
        var graph = model.Graph;
        var droppable = new bool[graph.Values.Length];
        var covered = collector.Blobs.Select(b => graph.Nodes[b.Node].Inputs[b.Input]).ToHashSet();
        for (int v = 0; v < droppable.Length; v++)
            droppable[v] = graph.Constants[v] is { } c && !DroppedWeights.IsDropped(c) && covered.Contains(v);
        foreach (int o in graph.Outputs) droppable[o] = false;
        for (int g = 0; g < model.Plans.Length; g++)
        {
            var plan = model.Plans[g];
            for (int u = 0; u < plan.Values.Length; u++)
                if (plan.Values[u] is { Kind: PlacementKind.Weights } p && p.Offset != u) droppable[(int)p.Offset] = false;
            foreach (int step in plan.Steps)
            {
                var inputs = graph.Nodes[step].Inputs;
                for (int j = 0; j < inputs.Length; j++)
                    if (inputs[j] >= 0 && droppable[inputs[j]] && !collector.Covers(g, step, j)) droppable[inputs[j]] = false;
            }
        }
        return droppable;
    }

    /// <summary>Creates every gear's kernels as a load of the written file would: none may need a left-out constant.</summary>
    private static bool LoadsWithoutRawWeights(OmModel model, OperatorResolver resolver, DerivedWeightCache derived)
    {
        var stores = LoadedPrepackedWeights.ByNode(model);
        try
        {
            for (int g = 0; g < model.Plans.Length; g++)
                GearExecutor.Create(model.Graph, model.Plans[g], g, resolver, node => stores[node], derived);
            return true;
        }
        catch (OmFormatException)
        {
            return false;
        }
    }
}
