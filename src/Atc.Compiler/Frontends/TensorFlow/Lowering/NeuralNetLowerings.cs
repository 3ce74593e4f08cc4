using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>Convolution, pooling, bias, batch normalisation, softmax and matrix products.</summary>
internal static class NeuralNetLowerings
{
    public static void Register(Dictionary<string, TfLowering> table)
    {
        table["Conv2D"] = Conv2D;
        table["DepthwiseConv2dNative"] = Conv2D;
        table["MaxPool"] = (c, n) => Pool(c, n, OpTypes.MaxPool);
        table["AvgPool"] = (c, n) => Pool(c, n, OpTypes.AveragePool);
        table["BiasAdd"] = BiasAdd;
        table["BiasAddV1"] = BiasAdd;
        table["FusedBatchNorm"] = FusedBatchNorm;
        table["FusedBatchNormV2"] = FusedBatchNorm;
        table["FusedBatchNormV3"] = FusedBatchNorm;
        table["Softmax"] = (c, n) => AxisActivation(c, n, OpTypes.Softmax);
        table["LogSoftmax"] = (c, n) => AxisActivation(c, n, OpTypes.LogSoftmax);
        table["MatMul"] = MatMul;
        table["BatchMatMul"] = BatchMatMul;
        table["BatchMatMulV2"] = BatchMatMul;
        table["BatchMatMulV3"] = BatchMatMul;
    }

    private static OpAttributes SpatialAttributes(TfNode node, TfDataFormat format)
    {
        var attributes = new OpAttributes()
            .Set("layout", format.Layout)
            .Set("strides", format.Spatial(node, "strides", node.RequireInts("strides")));
        TfPadding.Apply(node, format, attributes);
        return attributes;
    }

    /// <summary>Conv2D (HWIO filter re-laid to OIHW) and DepthwiseConv2dNative (see <see cref="ConvWeights"/>).</summary>
    private static void Conv2D(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var format = TfDataFormat.Of(node);
        var x = c.Input(node, 0);
        var (weights, group) = ConvWeights(c, node);
        var attributes = SpatialAttributes(node, format)
            .Set("dilations", format.Spatial(node, "dilations", node.GetInts("dilations", [1, 1, 1, 1])))
            .Set("group", group);
        c.Emit(node, OpTypes.Conv, [x, weights], x.Type, attributes);
    }

    /// <summary>The OIHW weights and group of a Conv2D or DepthwiseConv2dNative node (filter input 1), derived once
    /// per filter and shared by every consumer (the atrous folding reuses them). Conv2D's HWIO [kh, kw, I, O] becomes
    /// [O, I, kh, kw]; a depthwise [kh, kw, C, M] becomes [C*M, 1, kh, kw] with group C (output channel c*M+m).</summary>
    internal static (Value Weights, long Group) ConvWeights(TfLoweringContext c, TfNode node)
    {
        var filter = c.Input(node, 1);
        if (node.Op != "DepthwiseConv2dNative")
        {
            Value weights = filter.Constant is { } f
                ? c.Derived(filter, "OIHW", () => c.Constant(filter.Name + "/OIHW", TfConstantLayout.Transpose(RequireRank4(node, f), [3, 2, 0, 1])))
                : c.EmitHelper(node, "filter_OIHW", OpTypes.Transpose, [filter], filter.Type, new OpAttributes().Set("perm", new long[] { 3, 2, 0, 1 }));
            return (weights, 1L);
        }
        var d = filter.Constant ?? throw new TfUnsupportedException(node.Op + " (non-constant filter)");
        RequireRank4(node, d);
        int kh = d.Dims[0], kw = d.Dims[1], channels = d.Dims[2], multiplier = d.Dims[3];
        var depthwise = c.Derived(filter, "depthwise_OIHW", () => c.Constant(filter.Name + "/OIHW",
            TfConstantLayout.Reshape(TfConstantLayout.Transpose(d, [2, 3, 0, 1]), [channels * multiplier, 1, kh, kw])));
        return (depthwise, channels);
    }

    internal static TensorData RequireRank4(TfNode node, TensorData filter) => filter.Rank == 4 ? filter
        : throw new AtcException(AtcErrors.InvalidModel("the filter of node [" + node.Name + "] (" + node.Op + ") has shape "
            + Shape.Format(filter.Dims) + ", expected 4 dimensions [height, width, in, out]"));

    /// <summary>MaxPool / AvgPool. TensorFlow's average excludes padding (count_include_pad 0).</summary>
    private static void Pool(TfLoweringContext c, TfNode node, string opType)
    {
        c.RequireInputs(node, 1);
        var format = TfDataFormat.Of(node);
        var x = c.Input(node, 0);
        var attributes = SpatialAttributes(node, format)
            .Set("kernel_shape", format.Spatial(node, "ksize", node.RequireInts("ksize")));
        if (opType == OpTypes.AveragePool) attributes.Set("count_include_pad", 0L);
        c.Emit(node, opType, [x], x.Type, attributes);
    }

    /// <summary>BiasAdd adds a [C] bias on the channel axis: the last axis (NHWC) broadcasts as is; for NCHW the
    /// bias becomes [C, 1, 1] so it broadcasts on axis 1.</summary>
    private static void BiasAdd(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var x = c.Input(node, 0);
        var bias = c.Input(node, 1);
        if (node.GetString("data_format", "NHWC") is "NCHW" or "NCDHW")
        {
            int trailing = x.Shape is { Length: >= 2 } s ? s.Length - 2 : node.GetString("data_format", "") == "NCDHW" ? 3 : 2;
            var dims = new long[trailing + 1];
            Array.Fill(dims, 1L);
            dims[0] = -1;
            bias = bias.Constant is { } b
                ? c.Derived(bias, "channels_first", () => c.Constant(bias.Name + "/channels_first",
                    TfConstantLayout.Reshape(b, [.. dims.Select((d, i) => i == 0 ? (int)b.ElementCount : 1)])))
                : c.EmitHelper(node, "bias_channels_first", OpTypes.Reshape, [bias, c.Int64Constant(node, "bias_shape", dims)],
                    bias.Type, new OpAttributes().Set("allowzero", 1L));
        }
        c.Emit(node, OpTypes.Add, [x, bias], x.Type);
    }

    /// <summary>FusedBatchNorm in inference mode: only y (output 0) is a value the runtime computes; the batch
    /// statistics outputs exist for training.</summary>
    private static void FusedBatchNorm(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 5);
        if (node.GetBool("is_training", true))
            throw new TfUnsupportedException(node.Op + " (is_training=true; freeze the graph for inference)");
        for (int k = 1; k <= 5; k++)
            if (c.Tf.IsOutputRead(node.Name, k))
                throw new TfUnsupportedException(node.Op + " (batch statistics output " + k + " is used)");

        var format = TfDataFormat.Of(node);
        var inputs = c.Inputs(node);
        var attributes = new OpAttributes().Set("epsilon", node.GetFloat("epsilon", 1e-4f)).Set("layout", format.Layout);
        c.Emit(node, OpTypes.BatchNormalization, inputs, inputs[0].Type, attributes);
    }

    private static void AxisActivation(TfLoweringContext c, TfNode node, string opType)
    {
        c.RequireInputs(node, 1);
        var x = c.Input(node, 0);
        c.Emit(node, opType, [x], x.Type, new OpAttributes().Set("axis", -1L));
    }

    /// <summary>MatMul is always 2-D in TensorFlow: Gemm carries its transposes.</summary>
    private static void MatMul(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var a = c.Input(node, 0);
        var b = c.Input(node, 1);
        var attributes = new OpAttributes()
            .Set("transA", node.GetBool("transpose_a", false) ? 1L : 0L)
            .Set("transB", node.GetBool("transpose_b", false) ? 1L : 0L);
        c.Emit(node, OpTypes.Gemm, [a, b], a.Type, attributes);
    }

    /// <summary>BatchMatMul: adj_x / adj_y swap the last two axes of an operand before a numpy MatMul.</summary>
    private static void BatchMatMul(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var a = c.Input(node, 0);
        var b = c.Input(node, 1);
        if (node.GetBool("adj_x", false)) a = SwapLastAxes(c, node, a, "adj_x");
        if (node.GetBool("adj_y", false)) b = SwapLastAxes(c, node, b, "adj_y");
        c.Emit(node, OpTypes.MatMul, [a, b], a.Type);
    }

    private static Value SwapLastAxes(TfLoweringContext c, TfNode node, Value v, string purpose)
    {
        int rank = v.Shape?.Length ?? throw new TfUnsupportedException(node.Op + " (" + purpose + " on an operand of unknown rank)");
        if (rank < 2)
            throw new AtcException(AtcErrors.InvalidModel("operand of node [" + node.Name + "] has rank " + rank + ", BatchMatMul needs at least 2"));
        var perm = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        (perm[rank - 2], perm[rank - 1]) = (perm[rank - 1], perm[rank - 2]);
        return c.EmitHelper(node, purpose, OpTypes.Transpose, [v], v.Type, new OpAttributes().Set("perm", perm));
    }
}
