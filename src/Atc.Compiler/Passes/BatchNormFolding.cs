using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Passes;

/// <summary>
/// Folds an inference BatchNormalization into the Conv, Gemm or MatMul before it when everything is constant.
/// Per channel c, BN(y) = s[c]·y + t[c] with s = scale / sqrt(var + epsilon) and t = B − s·mean, so the weights of
/// output channel c are multiplied by s[c] and the bias becomes s·bias + t. The producer must have the BN as its only
/// reader, must not already carry a fused activation or residual, and its channel axis must be the BN's channel axis
/// (per the "layout" attributes). Arithmetic is in double, rounded once to float32. A BN elsewhere stays.
/// </summary>
public sealed class BatchNormFolding : IGraphPass
{
    public const string FoldedIntoConv = "folded into Conv";
    public const string FoldedIntoGemm = "folded into Gemm";
    public const string FoldedIntoMatMul = "folded into MatMul";
    public const string Kept = "batch norms kept";

    public string Name => nameof(BatchNormFolding);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        var names = new ValueNames(graph);
        GraphRewrites.UnshareAttributes(graph);
        // One snapshot suffices: a fold only rewires its own producer and BN, and a BN chain folds in order.
        var uses = GraphUses.Of(graph);

        foreach (var bn in graph.Nodes.ToList())
        {
            if (bn.OpType != OpTypes.BatchNormalization) continue;
            string? foldedInto = TryFold(graph, uses, names, bn);
            result.Add(foldedInto ?? Kept);
        }
        return result.Complete(graph);
    }

    /// <summary>Folds one BN; returns the counter to bump, or null when the BN stays.</summary>
    private static string? TryFold(Graph graph, GraphUses uses, ValueNames names, Node bn)
    {
        if (bn.Inputs.Count < 5 || bn.Outputs.Count != 1 || bn.Inputs[0] is not { Producer: { } producer } x) return null;
        if (!ReferenceEquals(uses.SoleReader(x), bn) || producer.Outputs.Count != 1) return null;
        if (Affine.Of(bn) is not { } affine) return null;

        return producer.OpType switch
        {
            OpTypes.Conv when TryFoldIntoConv(names, producer, bn, affine) => Absorbed(graph, producer, bn, FoldedIntoConv),
            OpTypes.Gemm when TryFoldIntoGemm(names, producer, affine) => Absorbed(graph, producer, bn, FoldedIntoGemm),
            OpTypes.MatMul when TryFoldIntoMatMul(graph, names, producer, bn, affine) => FoldedIntoMatMul,
            _ => null,
        };
    }

    private static string Absorbed(Graph graph, Node producer, Node bn, string counter)
    {
        GraphRewrites.Absorb(graph, producer, bn);
        return counter;
    }

    private static bool TryFoldIntoConv(ValueNames names, Node conv, Node bn, Affine affine)
    {
        if (HasFusedEpilogue(conv)) return false;
        if (ConstantTensors.Float32(GraphRewrites.InputOrNull(conv, 1)) is not { } w) return false;
        int[] wDims = conv.Inputs[1]!.Constant!.Dims;
        int rank = wDims.Length, channels = wDims[0];
        if (rank < 3 || channels != affine.Channels) return false;

        int convAxis = ConstantTensors.ChannelAxis(conv.Attributes.GetString("layout", "NCHW"), rank);
        int bnAxis = ConstantTensors.ChannelAxis(bn.Attributes.GetString("layout", "NCHW"), rank);
        if (convAxis < 0 || convAxis != bnAxis) return false;

        var biasValue = GraphRewrites.InputOrNull(conv, 2);
        float[]? bias = ConstantTensors.Float32(biasValue);
        if (biasValue is not null && (bias is null || bias.Length != channels)) return false;

        int perChannel = w.Length / channels;
        var newW = new float[w.Length];
        var newBias = new float[channels];
        for (int o = 0; o < channels; o++)
        {
            for (int k = 0; k < perChannel; k++) newW[o * perChannel + k] = (float)(w[o * perChannel + k] * affine.Scale[o]);
            newBias[o] = (float)affine.Apply(o, bias?[o] ?? 0.0);
        }

        conv.Inputs[1] = ConstantTensors.NewFloat32(names, conv.Inputs[1]!.Name + "_bnfolded", wDims, newW);
        GraphRewrites.SetInput(conv, 2, ConstantTensors.NewFloat32(names, (biasValue?.Name ?? conv.Name + "_bias") + "_bnfolded", [channels], newBias));
        return true;
    }

    /// <summary>Gemm's output [M, N] has its channels on the last axis whatever the BN's layout.
    /// Y' = s·(alpha·A·B + beta·C) + t = alpha·A·(B·s) + (s·beta·C + t), so beta becomes 1.</summary>
    private static bool TryFoldIntoGemm(ValueNames names, Node gemm, Affine affine)
    {
        if (HasFusedEpilogue(gemm)) return false;
        if (ConstantTensors.Float32(GraphRewrites.InputOrNull(gemm, 1)) is not { } b) return false;
        int[] bDims = gemm.Inputs[1]!.Constant!.Dims;
        if (bDims.Length != 2) return false;
        bool transB = gemm.Attributes.GetInt("transB", 0) != 0;
        int n = transB ? bDims[0] : bDims[1];
        if (n != affine.Channels) return false;

        var cValue = GraphRewrites.InputOrNull(gemm, 2);
        var cData = cValue?.Constant;
        if (cValue is not null && (cData is not { Type: DataType.Float32 } || !IsGemmBiasShape(cData.Dims, n))) return false;

        int rows = cData is { Rank: 2 } ? cData.Dims[0] : 1;
        int cCols = cData is null ? 1 : cData.Rank == 0 ? 1 : cData.Dims[^1];
        float[] c = cData?.ToFloatArray() ?? [0f];
        double beta = gemm.Attributes.GetFloat("beta", 1f);

        var newB = ScaleColumns(b, bDims, transB, affine.Scale);
        var newC = new float[rows * n];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++)
                newC[r * n + j] = (float)affine.Apply(j, beta * c[r * cCols + (cCols == 1 ? 0 : j)]);

        gemm.Inputs[1] = ConstantTensors.NewFloat32(names, gemm.Inputs[1]!.Name + "_bnfolded", bDims, newB);
        int[] cDims = cData is { Rank: 2 } ? [rows, n] : [n];
        GraphRewrites.SetInput(gemm, 2, ConstantTensors.NewFloat32(names, (cValue?.Name ?? gemm.Name + "_bias") + "_bnfolded", cDims, newC));
        gemm.Attributes.Set("beta", 1f);
        return true;
    }

    /// <summary>MatMul with constant 2-D weights [K, N]: the weights' columns scale; the shift becomes a Gemm's C
    /// when A is 2-D, else an Add that takes the BN's place (and name). The channel axis is the last one, which a
    /// BN with layout NCHW only agrees with when the output is 2-D.</summary>
    private static bool TryFoldIntoMatMul(Graph graph, ValueNames names, Node matMul, Node bn, Affine affine)
    {
        if (ConstantTensors.Float32(GraphRewrites.InputOrNull(matMul, 1)) is not { } b) return false;
        int[] bDims = matMul.Inputs[1]!.Constant!.Dims;
        if (bDims.Length != 2 || bDims[1] != affine.Channels || matMul.Inputs[0] is not { } a) return false;
        int? aRank = a.Shape?.Length;
        bool channelsLast = bn.Attributes.GetString("layout", "NCHW") == "NHWC";
        if (!(aRank == 2 || channelsLast && aRank is null or >= 1)) return false;

        int n = affine.Channels;
        var shift = new float[n];
        for (int j = 0; j < n; j++) shift[j] = (float)affine.Apply(j, 0.0);
        var newB = ConstantTensors.NewFloat32(names, matMul.Inputs[1]!.Name + "_bnfolded", bDims, ScaleColumns(b, bDims, false, affine.Scale));
        var shiftValue = ConstantTensors.NewFloat32(names, bn.Name + "_shift", [n], shift);

        if (aRank == 2)
        {
            var gemm = new Node(matMul.Name, OpTypes.Gemm, [a, newB, shiftValue], sourceOpType: matMul.SourceOpType);
            gemm.AttachOutput(matMul.Outputs[0]);
            matMul.Outputs.Clear();
            graph.Nodes[graph.Nodes.IndexOf(matMul)] = gemm;
            GraphRewrites.Absorb(graph, gemm, bn);
        }
        else
        {
            matMul.Inputs[1] = newB;
            var add = new Node(bn.Name, OpTypes.Add, [matMul.Outputs[0], shiftValue], sourceOpType: bn.SourceOpType);
            add.AttachOutput(bn.Outputs[0]);
            bn.Outputs.Clear();
            graph.Nodes[graph.Nodes.IndexOf(bn)] = add;
        }
        return true;
    }

    /// <summary>Shapes of a constant C that broadcast to [M, N] without enlarging it: [], [1], [N], [m, 1], [m, N].</summary>
    internal static bool IsGemmBiasShape(int[] dims, int n) => dims.Length switch
    {
        0 => true,
        1 => dims[0] == 1 || dims[0] == n,
        2 => dims[1] == 1 || dims[1] == n,
        _ => false,
    };

    /// <summary>Multiplies output column j of a [K, N] (or, transposed, [N, K]) weight matrix by scale[j].</summary>
    private static float[] ScaleColumns(float[] weights, int[] dims, bool transposed, double[] scale)
    {
        var scaled = new float[weights.Length];
        for (int r = 0; r < dims[0]; r++)
            for (int c = 0; c < dims[1]; c++)
            {
                int i = r * dims[1] + c;
                scaled[i] = (float)(weights[i] * scale[transposed ? r : c]);
            }
        return scaled;
    }

    private static bool HasFusedEpilogue(Node node)
        => node.Attributes.GetString("activation", "") != "" || GraphRewrites.InputOrNull(node, 3) is not null;

    /// <summary>A BN as a per-channel affine map y → Scale[c]·y + Shift[c].</summary>
    private sealed record Affine(double[] Scale, double[] Shift)
    {
        public int Channels => Scale.Length;

        public double Apply(int channel, double y) => Scale[channel] * y + Shift[channel];

        public static Affine? Of(Node bn)
        {
            double[]? gamma = ConstantTensors.Real(bn.Inputs[1]), beta = ConstantTensors.Real(bn.Inputs[2]);
            double[]? mean = ConstantTensors.Real(bn.Inputs[3]), variance = ConstantTensors.Real(bn.Inputs[4]);
            if (gamma is null || beta is null || mean is null || variance is null) return null;
            int c = gamma.Length;
            if (c == 0 || beta.Length != c || mean.Length != c || variance.Length != c) return null;
            double epsilon = bn.Attributes.GetFloat("epsilon", 1e-5f);

            var scale = new double[c];
            var shift = new double[c];
            for (int i = 0; i < c; i++)
            {
                scale[i] = gamma[i] / Math.Sqrt(variance[i] + epsilon);
                shift[i] = beta[i] - scale[i] * mean[i];
            }
            return new Affine(scale, shift);
        }
    }
}
