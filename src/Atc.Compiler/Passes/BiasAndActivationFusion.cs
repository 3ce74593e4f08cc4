using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Elementwise.Unary;

namespace Atc.Compiler.Passes;

/// <summary>
/// Fuses the element-wise tail of a Conv or Gemm into it (see OpTypes.Conv and OpTypes.Gemm):
///  - Add of a constant that varies only along the channel axis → the Conv's bias (summed with an existing one);
///    Add of a constant [N] / [1, N] / [M, N] → the Gemm's C (beta·C folded in, beta becomes 1);
///  - MatMul of a 2-D input by constant 2-D weights, then Add of such a bias → Gemm; of a higher-rank input, Add of
///    a bias [N] → the MatMul's third input;
///  - Conv then Add of another tensor of exactly the same shape (a ResNet shortcut) → the Conv's 4th input "residual";
///  - then Relu or Clip → attrs "activation" ("Relu" / "Clip") and "activation_min" / "activation_max" (always both
///    for Clip; an absent bound is infinite);
///  - or Gelu, Silu, HardSwish, Mish (also after a MatMul) → "activation" = the op type ("GeluTanh" for Gelu's tanh
///    form), applied by the producer's kernel to what it wrote.
/// Each step needs the intermediate value to have that one reader and not be a graph output, and nothing can follow
/// an activation. The fused node writes the last value of the chain, keeping its name.
/// </summary>
public sealed class BiasAndActivationFusion : IGraphPass
{
    public const string BiasesFused = "biases fused";
    public const string ResidualsFused = "residuals fused";
    public const string ActivationsFused = "activations fused";
    public const string MatMulsToGemm = "MatMul+Add to Gemm";

    public string Name => nameof(BiasAndActivationFusion);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        var names = new ValueNames(graph);
        GraphRewrites.UnshareAttributes(graph);
        // Fusing keeps every value's shape (the fused node writes the chain's last value), so one inference serves.
        var shapes = BatchProbeShapes.Of(graph);
        while (TryFuseOnce(graph, names, shapes, result)) { }
        return result.Complete(graph);
    }

    /// <summary>Finds and applies the first possible fusion in graph order; false when there is none left.
    /// Fusing one step at a time with fresh use counts lets a chain (Conv, Add, Add, Relu) fuse step by step.</summary>
    private static bool TryFuseOnce(Graph graph, ValueNames names, BatchProbeShapes shapes, PassResult result)
    {
        var uses = GraphUses.Of(graph);
        foreach (var node in graph.Nodes)
        {
            if (node.OpType is not (OpTypes.Conv or OpTypes.Gemm or OpTypes.MatMul) || node.Outputs.Count != 1) continue;
            if (node.Attributes.GetString("activation", "") != "") continue;
            var y = node.Outputs[0];
            if (uses.SoleReader(y) is not { Outputs.Count: 1 } reader) continue;

            string? fused = reader.OpType switch
            {
                OpTypes.Add when reader.Inputs.Count == 2 => TryFuseAdd(graph, names, shapes, node, reader),
                OpTypes.Relu or OpTypes.Clip when node.OpType != OpTypes.MatMul => TryFuseActivation(graph, node, reader),
                OpTypes.Gelu or OpTypes.Silu or OpTypes.HardSwish or OpTypes.Mish => TryFuseMappedActivation(graph, node, reader),
                _ => null,
            };
            if (fused is null) continue;
            result.Add(fused);
            return true;
        }
        return false;
    }

    private static string? TryFuseAdd(Graph graph, ValueNames names, BatchProbeShapes shapes, Node producer, Node add)
    {
        var y = producer.Outputs[0];
        var other = ReferenceEquals(add.Inputs[0], y) ? add.Inputs[1] : add.Inputs[0];
        if (other is null || ReferenceEquals(other, y) || other.Type != DataType.Float32 || y.Type != DataType.Float32) return null;

        if (other.Constant is { } bias)
        {
            return producer.OpType switch
            {
                OpTypes.Conv when TryFuseConvBias(names, producer, bias) => Absorbed(graph, producer, add, BiasesFused),
                OpTypes.Gemm when TryFuseGemmBias(names, producer, bias) => Absorbed(graph, producer, add, BiasesFused),
                OpTypes.MatMul when ToGemmWithBias(graph, producer, other) is { } gemm => Absorbed(graph, gemm, add, MatMulsToGemm),
                OpTypes.MatMul when TryFuseMatMulBias(names, shapes, producer, bias) => Absorbed(graph, producer, add, BiasesFused),
                _ => null,
            };
        }
        return producer.OpType == OpTypes.Conv && TryFuseResidual(shapes, producer, add, other)
            ? Absorbed(graph, producer, add, ResidualsFused)
            : null;
    }

    private static string Absorbed(Graph graph, Node producer, Node reader, string counter)
    {
        GraphRewrites.Absorb(graph, producer, reader);
        return counter;
    }

    /// <summary>Adds a per-channel constant to the Conv's bias. The output's rank and channel count come from the
    /// weights [O, I/group, k...]; the channel axis from the layout.</summary>
    private static bool TryFuseConvBias(ValueNames names, Node conv, TensorData addend)
    {
        if (GraphRewrites.InputOrNull(conv, 1)?.Shape is not { Length: >= 3 } wShape || wShape[0] <= 0) return false;
        int rank = wShape.Length, channels = checked((int)wShape[0]);
        int axis = ConstantTensors.ChannelAxis(conv.Attributes.GetString("layout", "NCHW"), rank);
        if (axis < 0 || ConstantTensors.PerChannel(addend, rank, axis, channels) is not { } perChannel) return false;

        var biasValue = GraphRewrites.InputOrNull(conv, 2);
        float[]? bias = ConstantTensors.Float32(biasValue);
        if (biasValue is not null && (bias is null || bias.Length != channels)) return false;

        var newBias = new float[channels];
        for (int c = 0; c < channels; c++) newBias[c] = (float)((bias?[c] ?? 0.0) + perChannel[c]);
        GraphRewrites.SetInput(conv, 2, ConstantTensors.NewFloat32(names, (biasValue?.Name ?? conv.Name + "_bias") + "_fused", [channels], newBias));
        return true;
    }

    /// <summary>Folds the addend into Gemm's C: C' = beta·C + addend, beta = 1.</summary>
    private static bool TryFuseGemmBias(ValueNames names, Node gemm, TensorData addend)
    {
        if (GemmOutputDims(gemm) is not var (m, n) || !AddsWithoutEnlarging(addend.Dims, m, n)) return false;
        var cValue = GraphRewrites.InputOrNull(gemm, 2);
        if (cValue is null)
        {
            GraphRewrites.SetInput(gemm, 2, Value.FromConstant(names.Fresh(gemm.Name + "_bias"), addend));
            gemm.Attributes.Set("beta", 1f);
            return true;
        }
        if (cValue.Constant is not { Type: DataType.Float32 } c || !AddsWithoutEnlarging(c.Dims, m, n)) return false;

        float beta = gemm.Attributes.GetFloat("beta", 1f);
        var (a, aRows, aCols) = AsMatrix(c);
        var (b, bRows, bCols) = AsMatrix(addend);
        int rows = Math.Max(aRows, bRows), cols = Math.Max(aCols, bCols);
        var sum = new float[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                sum[i * cols + j] = (float)((double)beta * a[(aRows == 1 ? 0 : i) * aCols + (aCols == 1 ? 0 : j)]
                                            + b[(bRows == 1 ? 0 : i) * bCols + (bCols == 1 ? 0 : j)]);
        int[] dims = c.Rank == 2 || addend.Rank == 2 ? [rows, cols] : [cols];
        GraphRewrites.SetInput(gemm, 2, ConstantTensors.NewFloat32(names, cValue.Name + "_fused", dims, sum));
        gemm.Attributes.Set("beta", 1f);
        return true;
    }

    /// <summary>MatMul(A [M, K], constant B [K, N]) + bias → Gemm(A, B, bias) taking the MatMul's place and name.</summary>
    private static Node? ToGemmWithBias(Graph graph, Node matMul, Value bias)
    {
        if (matMul.Inputs.Count != 2 || matMul.Inputs[0] is not { Shape: { Length: 2 } aShape } a) return null;
        if (matMul.Inputs[1] is not { Constant: { Type: DataType.Float32, Rank: 2 } } b) return null;
        if (!AddsWithoutEnlarging(bias.Constant!.Dims, aShape[0], b.Constant.Dims[1])) return null;

        var gemm = new Node(matMul.Name, OpTypes.Gemm, [a, b, bias], sourceOpType: matMul.SourceOpType);
        gemm.Attributes.Set("alpha", 1f).Set("beta", 1f);
        gemm.AttachOutput(matMul.Outputs[0]);
        matMul.Outputs.Clear();
        graph.Nodes[graph.Nodes.IndexOf(matMul)] = gemm;
        return gemm;
    }

    /// <summary>MatMul(A [..., M, K], constant B [K, N]) + a constant varying only along N ([N] or [1, ..., N], not
    /// enlarging the product) → the MatMul's third input, added in its GEMM epilogue (a Linear on 3-D tokens).</summary>
    private static bool TryFuseMatMulBias(ValueNames names, BatchProbeShapes shapes, Node matMul, TensorData addend)
    {
        if (matMul.Inputs.Count != 2 || matMul.Inputs[1] is not { Constant: { Type: DataType.Float32, Rank: 2 } b }) return false;
        int n = b.Dims[1];
        if (shapes.ShapeOf(matMul.Outputs[0]) is not { Length: >= 2 } yShape || addend.Rank > yShape.Length) return false;
        if (addend.Type != DataType.Float32 || addend.ElementCount != n || addend.Rank == 0 || addend.Dims[^1] != n) return false;
        GraphRewrites.SetInput(matMul, 2, ConstantTensors.NewFloat32(names, matMul.Name + "_bias", [n], addend.ToFloatArray()));
        return true;
    }

    /// <summary>The shortcut must have exactly the Conv output's shape (so the Add broadcasts nothing); -1 dims
    /// must match -1 dims, which before gears are the same symbolic axis (the batch) in practice. Shapes the graph
    /// does not declare come from <see cref="BatchProbeShapes"/>, where -1 is the batch.</summary>
    private static bool TryFuseResidual(BatchProbeShapes shapes, Node conv, Node add, Value shortcut)
    {
        if (GraphRewrites.InputOrNull(conv, 3) is not null) return false;
        var y = conv.Outputs[0];
        if (shapes.ShapeOf(y) is not { } shape || shapes.ShapeOf(shortcut) is not { } shortcutShape) return false;
        if (!shape.AsSpan().SequenceEqual(shortcutShape)) return false;
        if (shapes.ShapeOf(add.Outputs[0]) is { } sumShape && !shape.AsSpan().SequenceEqual(sumShape)) return false;
        GraphRewrites.SetInput(conv, 3, shortcut);
        return true;
    }

    private static string? TryFuseActivation(Graph graph, Node producer, Node activation)
    {
        if (activation.Inputs.Count < 1) return null;
        if (activation.OpType == OpTypes.Relu)
        {
            producer.Attributes.Set("activation", OpTypes.Relu);
        }
        else
        {
            // Clip's bounds are attributes; an importer may also leave them as constant scalar inputs (ONNX 11+).
            if (ClipBound(activation, "min", 1, float.NegativeInfinity) is not { } min) return null;
            if (ClipBound(activation, "max", 2, float.PositiveInfinity) is not { } max) return null;
            producer.Attributes.Set("activation", OpTypes.Clip).Set("activation_min", min).Set("activation_max", max);
        }
        GraphRewrites.Absorb(graph, producer, activation);
        return ActivationsFused;
    }

    /// <summary>GELU, SiLU, HardSwish, Mish: the producer's kernel applies them to what it wrote (no clamp), on
    /// Conv, Gemm and MatMul alike. Gelu's tanh form is named "GeluTanh".</summary>
    private static string? TryFuseMappedActivation(Graph graph, Node producer, Node activation)
    {
        if (activation.Inputs.Count != 1 || producer.Outputs[0].Type != DataType.Float32) return null;
        string name = activation.OpType;
        if (name == OpTypes.Gelu)
        {
            string approximate = activation.Attributes.GetString("approximate", "none");
            if (approximate is not ("none" or "tanh")) return null;
            if (approximate == "tanh") name = FusedActivations.GeluTanhName;
        }
        producer.Attributes.Set("activation", name);
        GraphRewrites.Absorb(graph, producer, activation);
        return ActivationsFused;
    }

    private static float? ClipBound(Node clip, string attribute, int inputIndex, float unbounded)
    {
        var input = GraphRewrites.InputOrNull(clip, inputIndex);
        if (input is null) return clip.Attributes.GetFloat(attribute, unbounded);
        if (input.Constant is not { ElementCount: 1 } data || data.Type is not (DataType.Float32 or DataType.Float64)) return null;
        return data.ToFloatArray()[0];
    }

    /// <summary>Gemm's output [M, N] from A's shape (M may be -1) and B's shape; null when B's shape is unknown.</summary>
    private static (long M, long N)? GemmOutputDims(Node gemm)
    {
        if (GraphRewrites.InputOrNull(gemm, 1)?.Shape is not { Length: 2 } bShape) return null;
        long n = gemm.Attributes.GetInt("transB", 0) != 0 ? bShape[0] : bShape[1];
        if (n <= 0) return null;
        long m = GraphRewrites.InputOrNull(gemm, 0)?.Shape is { Length: 2 } aShape
            ? aShape[gemm.Attributes.GetInt("transA", 0) != 0 ? 1 : 0]
            : -1;
        return (m, n);
    }

    /// <summary>True when a tensor of these dims broadcasts to [m, n] without enlarging it (m may be -1 = unknown).</summary>
    private static bool AddsWithoutEnlarging(int[] dims, long m, long n) => dims.Length switch
    {
        0 => true,
        1 => dims[0] == 1 || dims[0] == n,
        2 => (dims[0] == 1 || m > 0 && dims[0] == m) && (dims[1] == 1 || dims[1] == n),
        _ => false,
    };

    private static (float[] Values, int Rows, int Cols) AsMatrix(TensorData data) => data.Rank switch
    {
        0 => (data.ToFloatArray(), 1, 1),
        1 => (data.ToFloatArray(), 1, data.Dims[0]),
        _ => (data.ToFloatArray(), data.Dims[0], data.Dims[1]),
    };
}
