using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Passes;

/// <summary>
/// Removes a channels-last Concat over the channel axis whose inputs are all written by Convs (SqueezeNet's fire
/// modules, Inception blocks): each Conv writes its channels straight into the concatenated tensor instead of a
/// buffer of its own that the Concat would copy. The Convs form a chain through Conv's 5th input "into" (see
/// OpTypes.Conv): the first writes channels [o0, o0+O0) of a new [.., C_total] tensor, each next one takes the
/// previous result as "into" and adds its slice, and the last writes the Concat's output value. The runtime's
/// planner gives the whole chain one buffer, so no element is copied.
/// Conditions: every Concat input is a distinct Conv output read only by the Concat (not a graph output), the Conv is
/// channels-last, has no residual and no slice yet, and its output channels are known from constant weights.
/// </summary>
public sealed class ConcatIntoProducers : IGraphPass
{
    public const string ConcatsRemoved = "concats written in place";

    public string Name => nameof(ConcatIntoProducers);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        var names = new ValueNames(graph);
        GraphRewrites.UnshareAttributes(graph);
        var uses = GraphUses.Of(graph);
        foreach (var concat in graph.Nodes.Where(n => n.OpType == OpTypes.Concat).ToList())
        {
            if (Producers(concat, uses) is not { } convs) continue;
            Rewrite(graph, names, concat, convs);
            result.Add(ConcatsRemoved);
        }
        return result.Complete(graph);
    }

    /// <summary>The Convs writing the Concat's inputs with their channel counts, in input order; null if the Concat does not qualify.</summary>
    private static List<(Node Conv, int Channels)>? Producers(Node concat, GraphUses uses)
    {
        if (concat.Outputs.Count != 1 || concat.Inputs.Count < 2 || uses.IsGraphOutput(concat.Outputs[0])) return null;
        var convs = new List<(Node, int)>();
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        foreach (var input in concat.Inputs)
        {
            if (input?.Producer is not { OpType: OpTypes.Conv } conv || conv.Outputs.Count != 1 || !seen.Add(conv)) return null;
            if (uses.SoleReader(input) is null || input.Type != DataType.Float32) return null;
            if (conv.Attributes.GetString("layout", "NCHW") != "NHWC") return null;
            if (GraphRewrites.InputOrNull(conv, 3) is not null || GraphRewrites.InputOrNull(conv, 4) is not null) return null;
            if (conv.Attributes.GetInt("concat_channels", 0) != 0) return null;
            if (GraphRewrites.InputOrNull(conv, 1) is not { Constant: { Rank: >= 3 } w }) return null;
            long axis = concat.Attributes.GetInt("axis", 0);
            if (axis != -1 && axis != w.Rank - 1) return null;
            convs.Add((conv, w.Dims[0]));
        }
        return convs;
    }

    private static void Rewrite(Graph graph, ValueNames names, Node concat, List<(Node Conv, int Channels)> convs)
    {
        int total = convs.Sum(c => c.Channels);
        var offsets = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        int offset = 0;
        foreach (var (conv, channels) in convs) { offsets[conv] = offset; offset += channels; }

        var concatOutput = concat.Outputs[0];
        long[]? shape = concatOutput.Shape;
        // Chain in graph order, so every Conv already comes after the one whose result it continues.
        var chain = convs.Select(c => c.Conv).OrderBy(graph.Nodes.IndexOf).ToList();
        Value? previous = null;
        for (int i = 0; i < chain.Count; i++)
        {
            var conv = chain[i];
            conv.Attributes.Set("concat_channels", (long)total).Set("concat_offset", (long)offsets[conv]);
            if (previous is not null) GraphRewrites.SetInput(conv, 4, previous);
            var written = i == chain.Count - 1
                ? concatOutput
                : new Value(names.Fresh(concatOutput.Name + "_part" + i), DataType.Float32, shape?.ToArray());
            GraphRewrites.SetOutput(conv, 0, written);
            previous = written;
        }
        // Every Conv of the chain comes before the Concat did, and the readers of its output after it: the order holds.
        concat.Outputs.Clear();
        graph.Nodes.Remove(concat);
    }
}
