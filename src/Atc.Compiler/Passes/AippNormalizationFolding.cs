using Atc.Compiler.Ir;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Image;

namespace Atc.Compiler.Passes;

/// <summary>
/// Folds static AIPP's normalisation into the convolution that reads its output. AIPP writes
/// n_c = s_c·(x_c − m_c) with s = var_reci and m = mean + min; the Conv then computes Σ W[o,c,k]·n_c + b[o]. With
/// W'[o,c,k] = W[o,c,k]·s_c and b'[o] = b[o] − Σ W[o,c,k]·s_c·m_c (double, rounded once) the Conv reads the raw
/// pixel values x_c and AIPP writes them with mean 0, min 0, var_reci 1 (its table then is the identity), so the
/// image is not scaled twice. Exact only where every pixel the Conv reads went through the affine map: the Conv must
/// have no padding (its zeros are 0 after normalising, i.e. the raw value m_c per channel, not raw 0) and
/// AIPP no padding of its own (one padding_value cannot be the per-channel raw value m_c + v/s_c). Otherwise, and
/// when the AIPP output has other readers or the weights are not constant, the step stays as it is.
/// </summary>
public sealed class AippNormalizationFolding : IGraphPass
{
    public const string Folded = "AIPP normalisations folded into Conv";
    public const string Kept = "AIPP normalisations kept";

    public string Name => nameof(AippNormalizationFolding);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        var names = new ValueNames(graph);
        GraphRewrites.UnshareAttributes(graph);
        var uses = GraphUses.Of(graph);
        foreach (var aipp in graph.Nodes.ToList())
        {
            if (aipp.OpType != OpTypes.AippPreprocess || aipp.Outputs.Count != 1) continue;
            string? why = TryFold(names, uses, aipp);
            if (why is null) result.Add(Folded);
            else
            {
                result.Add(Kept);
                result.Note(aipp.Name + ": " + why);
            }
        }
        return result.Complete(graph);
    }

    /// <summary>Folds one AIPP step into its Conv; returns null when it did, else why not.</summary>
    private static string? TryFold(ValueNames names, GraphUses uses, Node aipp)
    {
        var image = aipp.Outputs[0];
        if (uses.IsGraphOutput(image) || uses.SoleReader(image) is not { OpType: OpTypes.Conv } conv || !ReferenceEquals(conv.Inputs[0], image))
            return "its output is not read by one Conv alone";
        AippParameters parameters;
        try { parameters = AippParameters.Read(aipp.Attributes); }
        catch (ShapeException e) { return e.Message; }
        if (IsIdentity(parameters)) return "it does not normalise";
        if (parameters.PadTop + parameters.PadBottom + parameters.PadLeft + parameters.PadRight != 0) return "it pads the image";
        if (!HasNoPadding(conv)) return "the Conv pads its input";
        if (conv.Attributes.GetString("layout", "NCHW") != (parameters.ChannelsLast ? "NHWC" : "NCHW")) return "the Conv reads another layout";
        if (ConstantTensors.Float32(GraphRewrites.InputOrNull(conv, 1)) is not { } w) return "the Conv's weights are not constant";
        int[] wDims = conv.Inputs[1]!.Constant!.Dims;
        int group = (int)conv.Attributes.GetInt("group", 1);
        int channels = parameters.OutputChannels;
        if (wDims.Length != 4 || group < 1 || wDims[1] * group != channels || wDims[0] % group != 0) return "the Conv's weights do not fit the image channels";
        var biasValue = GraphRewrites.InputOrNull(conv, 2);
        float[]? bias = ConstantTensors.Float32(biasValue);
        if (biasValue is not null && (bias is null || bias.Length != wDims[0])) return "the Conv's bias is not constant";

        int outputs = wDims[0], perGroupIn = wDims[1], perGroupOut = outputs / group, spatial = wDims[2] * wDims[3];
        var newW = new float[w.Length];
        var newBias = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double shift = bias?[o] ?? 0.0;
            for (int ci = 0; ci < perGroupIn; ci++)
            {
                int c = o / perGroupOut * perGroupIn + ci;
                double scale = parameters.VarReci[c], offset = (double)parameters.Mean[c] + parameters.Min[c];
                for (int k = 0; k < spatial; k++)
                {
                    int at = (o * perGroupIn + ci) * spatial + k;
                    newW[at] = (float)(w[at] * scale);
                    shift -= w[at] * scale * offset;
                }
            }
            newBias[o] = (float)shift;
        }

        conv.Inputs[1] = ConstantTensors.NewFloat32(names, conv.Inputs[1]!.Name + "_aippfolded", wDims, newW);
        GraphRewrites.SetInput(conv, 2, ConstantTensors.NewFloat32(names, (biasValue?.Name ?? conv.Name + "_bias") + "_aippfolded", [outputs], newBias));
        var raw = parameters with
        {
            Mean = new float[channels],
            Min = new float[channels],
            VarReci = Enumerable.Repeat(1f, channels).ToArray(),
        };
        raw.WriteTo(aipp.Attributes);
        return null;
    }

    private static bool IsIdentity(AippParameters p)
        => p.Mean.All(m => m == 0) && p.Min.All(m => m == 0) && p.VarReci.All(v => v == 1);

    /// <summary>Explicit pads all zero and no SAME auto-padding.</summary>
    private static bool HasNoPadding(Node conv)
        => conv.Attributes.GetInts("pads", []).All(p => p == 0)
           && conv.Attributes.GetString("auto_pad", "NOTSET") is "NOTSET" or "VALID" or "";
}
