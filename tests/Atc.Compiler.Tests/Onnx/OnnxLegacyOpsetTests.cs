using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.TestModels.Onnx;

namespace Atc.Tests.Onnx;

/// <summary>Old opset forms are rewritten onto the canonical ops (attributes ↔ constant inputs, legacy broadcast).</summary>
public class OnnxLegacyOpsetTests
{
    private static OnnxModelBuilder Model(int opset, params object[] inputDims)
    {
        var b = new OnnxModelBuilder(opset);
        b.Input("x", DataType.Float32, inputDims);
        return b;
    }

    private static Atc.Compiler.Ir.Graph ImportWithOutput(OnnxModelBuilder b, string output = "y")
    {
        b.Output(output, DataType.Float32);
        return OnnxTestSupport.Import(b);
    }

    [Fact]
    public void LegacyBroadcastAlongAxisAppendsUnitAxesToAConstant()
    {
        var b = Model(6, 2, 3, 4, 5);
        b.Floats("bias", [3], 1f, 2f, 3f);
        b.AddNode("Add", ["x", "bias"], ["y"], "add", "", ("broadcast", 1), ("axis", 1));
        var add = ImportWithOutput(b).Single(OpTypes.Add);
        Assert.Equal([3, 1, 1], add.Inputs[1]!.Constant!.Dims);
        Assert.Equal([1f, 2f, 3f], add.Inputs[1]!.Constant!.ToFloatArray());
        Assert.Equal(0, add.Attributes.Count);
    }

    [Fact]
    public void LegacyBroadcastOfARuntimeOperandInsertsUnsqueeze()
    {
        var b = Model(6, 2, 3, 4);
        b.Input("b", DataType.Float32, 3);
        b.AddNode("Mul", ["x", "b"], ["y"], "mul", "", ("broadcast", 1), ("axis", 1));
        var g = ImportWithOutput(b);
        var unsqueeze = g.Single(OpTypes.Unsqueeze);
        Assert.Equal([1L], unsqueeze.Attributes.GetInts("axes", []));
        Assert.Same(unsqueeze.Outputs[0], g.Single(OpTypes.Mul).Inputs[1]);
        OnnxTestSupport.AssertTopological(g);
    }

    [Fact]
    public void LegacyBroadcastNeedsNoRewriteWhenTrailingDimsAlign()
    {
        var b = Model(6, 2, 3);
        b.Input("b", DataType.Float32, 2, 1);
        b.AddNode("Add", ["x", "b"], ["y"], "add", "", ("broadcast", 1), ("axis", 0));
        var g = ImportWithOutput(b);
        Assert.Single(g.Nodes);
        Assert.Equal("b", g.Nodes[0].Inputs[1]!.Name);
    }

    [Fact]
    public void LegacyBroadcastUsesRanksInferredThroughTheGraph()
    {
        var b = Model(6, 2, 3, 4, 5);
        b.Floats("bias", [3], 1f, 2f, 3f);
        b.AddNode("Relu", ["x"], ["r"], "relu");
        b.AddNode("Transpose", ["r"], ["t"], "transpose", "", ("perm", new long[] { 0, 1, 3, 2 }));
        b.AddNode("Sub", ["t", "bias"], ["y"], "sub", "", ("broadcast", 1), ("axis", 1));
        Assert.Equal([3, 1, 1], ImportWithOutput(b).Single(OpTypes.Sub).Inputs[1]!.Constant!.Dims);
    }

    [Fact]
    public void LegacyBroadcastOnUnknownRankIsReportedNotGuessed()
    {
        var b = new OnnxModelBuilder(6);
        b.Graph.Input.Add(new Atc.Compiler.Frontends.Onnx.Proto.ValueInfoProto
        {
            Name = "x",
            Type = new() { TensorType = new() { ElemType = 1 } }, // no shape: rank unknown
        });
        b.Floats("bias", [3], 1f, 2f, 3f);
        b.AddNode("Add", ["x", "bias"], ["y"], "add", "", ("broadcast", 1), ("axis", 1));
        b.Output("y", DataType.Float32);
        Assert.Contains("legacy broadcast", OnnxTestSupport.ImportFails(b, "ATC1200").Message);
    }

    [Fact]
    public void OpsetSixPReluSlopeAppliesAlongChannels()
    {
        var b = Model(6, 2, 3, 4, 5);
        b.Floats("slope", [3], 0.1f, 0.2f, 0.3f);
        b.AddNode("PRelu", ["x", "slope"], ["y"], "prelu");
        Assert.Equal([3, 1, 1], ImportWithOutput(b).Single(OpTypes.PRelu).Inputs[1]!.Constant!.Dims);
    }

    [Fact]
    public void OpsetNinePReluKeepsNumpyBroadcasting()
    {
        var b = Model(9, 2, 3, 4, 5);
        b.Floats("slope", [5], 1, 2, 3, 4, 5);
        b.AddNode("PRelu", ["x", "slope"], ["y"], "prelu");
        Assert.Equal([5], ImportWithOutput(b).Single(OpTypes.PRelu).Inputs[1]!.Constant!.Dims);
    }

    [Fact]
    public void BatchNormalizationOpsetSixDropsLegacyAttributes()
    {
        var b = Model(6, 1, 2, 4, 4);
        foreach (var n in new[] { "s", "bias", "mean", "var" }) b.Floats(n, [2], 1f, 1f);
        b.AddNode("BatchNormalization", ["x", "s", "bias", "mean", "var"], ["y", "", "", "", ""], "bn", "",
            ("epsilon", 1e-3f), ("is_test", 1), ("momentum", 0.9f), ("spatial", 1), ("consumed_inputs", new long[] { 0, 0, 0, 1, 1 }));
        var bn = ImportWithOutput(b).Single(OpTypes.BatchNormalization);
        Assert.Equal(["epsilon", "layout"], bn.Attributes.All.Select(a => a.Key));
        Assert.Equal(1e-3f, bn.Attributes.GetFloat("epsilon", 0));
        Assert.Single(bn.Outputs);
    }

    [Fact]
    public void BatchNormalizationWithUsedTrainingOutputIsUnsupported()
    {
        var b = Model(9, 1, 2, 4, 4);
        foreach (var n in new[] { "s", "bias", "mean", "var" }) b.Floats(n, [2], 1f, 1f);
        b.AddNode("BatchNormalization", ["x", "s", "bias", "mean", "var"], ["y", "running_mean"], "bn");
        b.Output("y", DataType.Float32);
        b.Output("running_mean", DataType.Float32);
        Assert.Contains("BatchNormalization with its training statistics output used", OnnxTestSupport.ImportFails(b, "ATC1200").Message);
    }

    [Fact]
    public void PadOpsetTwoAttributesBecomeConstantInputs()
    {
        var b = Model(2, 1, 3);
        b.AddNode("Pad", ["x"], ["y"], "pad", "", ("pads", new long[] { 0, 1, 0, 2 }), ("value", 1.5f), ("mode", "constant"));
        var pad = ImportWithOutput(b).Single(OpTypes.Pad);
        Assert.Equal([0L, 1, 0, 2], pad.Inputs[1]!.Constant!.ToInt64Array());
        Assert.Equal(DataType.Int64, pad.Inputs[1]!.Type);
        Assert.Equal([1.5f], pad.Inputs[2]!.Constant!.ToFloatArray());
        Assert.Empty(pad.Inputs[2]!.Constant!.Dims);
        Assert.Equal("constant", pad.Attributes.GetString("mode", ""));
    }

    [Fact]
    public void PadOpsetElevenKeepsInputs()
    {
        var b = Model(11, 1, 3);
        b.Int64s("pads", 0, 1, 0, 1);
        b.AddNode("Pad", ["x", "pads"], ["y"], "pad", "", ("mode", "reflect"));
        var pad = ImportWithOutput(b).Single(OpTypes.Pad);
        Assert.Equal("pads", pad.Inputs[1]!.Name);
        Assert.Equal(2, pad.Inputs.Count);
        Assert.Equal("reflect", pad.Attributes.GetString("mode", ""));
    }

    [Fact]
    public void SliceOpsetNineAttributesBecomeConstantInputs()
    {
        var b = Model(9, 4, 6);
        b.AddNode("Slice", ["x"], ["y"], "slice", "", ("starts", new long[] { 1 }), ("ends", new long[] { 3 }), ("axes", new long[] { 1 }));
        var slice = ImportWithOutput(b).Single(OpTypes.Slice);
        Assert.Equal(4, slice.Inputs.Count);
        Assert.Equal([1L], slice.Inputs[1]!.Constant!.ToInt64Array());
        Assert.Equal([3L], slice.Inputs[2]!.Constant!.ToInt64Array());
        Assert.Equal([1L], slice.Inputs[3]!.Constant!.ToInt64Array());
    }

    [Fact]
    public void ReshapeOpsetFourShapeAttributeBecomesInput()
    {
        var b = Model(4, 2, 6);
        b.AddNode("Reshape", ["x"], ["y"], "reshape", "", ("shape", new long[] { 3, -1 }));
        var reshape = ImportWithOutput(b).Single(OpTypes.Reshape);
        Assert.Equal([3L, -1], reshape.Inputs[1]!.Constant!.ToInt64Array());
    }

    [Theory]
    [InlineData(6)]
    [InlineData(11)]
    [InlineData(13)]
    public void ClipBoundsBecomeAttributesInEveryOpset(int opset)
    {
        var b = Model(opset, 2, 2);
        if (opset < 11)
            b.AddNode("Clip", ["x"], ["y"], "clip", "", ("min", 0f), ("max", 6f));
        else
            b.AddNode("Clip", ["x", b.ScalarFloat("lo", 0f), b.ScalarFloat("hi", 6f)], ["y"], "clip");
        var clip = ImportWithOutput(b).Single(OpTypes.Clip);
        Assert.Single(clip.Inputs);
        Assert.Equal(0f, clip.Attributes.GetFloat("min", float.NaN));
        Assert.Equal(6f, clip.Attributes.GetFloat("max", float.NaN));
    }

    [Fact]
    public void ClipWithOnlyAnUpperBoundOmitsMin()
    {
        var b = Model(13, 2, 2);
        b.AddNode("Clip", ["x", "", b.ScalarFloat("hi", 1f)], ["y"], "clip");
        var clip = ImportWithOutput(b).Single(OpTypes.Clip);
        Assert.False(clip.Attributes.Has("min"));
        Assert.Equal(1f, clip.Attributes.GetFloat("max", 0));
    }

    [Fact]
    public void ClipWithRuntimeBoundsBecomesMaxThenMin()
    {
        var b = Model(13, 2, 2);
        b.Input("lo", DataType.Float32);
        b.Input("hi", DataType.Float32);
        b.AddNode("Clip", ["x", "lo", "hi"], ["y"], "clip");
        var g = ImportWithOutput(b);
        var max = g.Single(OpTypes.Max);
        var min = g.Single(OpTypes.Min);
        Assert.Equal(["x", "lo"], max.Inputs.Select(v => v!.Name));
        Assert.Same(max.Outputs[0], min.Inputs[0]);
        Assert.Equal("hi", min.Inputs[1]!.Name);
        Assert.Equal("y", min.Outputs[0].Name);
        Assert.Equal("clip", min.Name);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void SqueezeAndUnsqueezeAxesBecomeAttributes(int opset)
    {
        var b = Model(opset, 1, 3, 1);
        if (opset < 13)
        {
            b.AddNode("Squeeze", ["x"], ["s"], "squeeze", "", ("axes", new long[] { 0, 2 }));
            b.AddNode("Unsqueeze", ["s"], ["y"], "unsqueeze", "", ("axes", new long[] { 1 }));
        }
        else
        {
            b.AddNode("Squeeze", ["x", b.Int64s("sq_axes", 0, 2)], ["s"], "squeeze");
            b.AddNode("Unsqueeze", ["s", b.Int64s("unsq_axes", 1)], ["y"], "unsqueeze");
        }
        var g = ImportWithOutput(b);
        Assert.Equal([0L, 2], g.Single(OpTypes.Squeeze).Attributes.GetInts("axes", []));
        Assert.Equal([1L], g.Single(OpTypes.Unsqueeze).Attributes.GetInts("axes", []));
        Assert.All(g.Nodes, n => Assert.Single(n.Inputs));
    }

    [Fact]
    public void SqueezeWithRuntimeAxesIsUnsupported()
    {
        var b = Model(13, 1, 3);
        b.Input("axes", DataType.Int64, 1);
        b.AddNode("Squeeze", ["x", "axes"], ["y"], "squeeze");
        b.Output("y", DataType.Float32);
        Assert.Contains("[Squeeze with a computed axes] (node [squeeze])", OnnxTestSupport.ImportFails(b, "ATC1200").Message);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(13)]
    public void SplitSizesBecomeAttribute(int opset)
    {
        var b = Model(opset, 2, 5);
        if (opset < 13)
            b.AddNode("Split", ["x"], ["a", "c"], "split", "", ("axis", 1), ("split", new long[] { 2, 3 }));
        else
            b.AddNode("Split", ["x", b.Int64s("sizes", 2, 3)], ["a", "c"], "split", "", ("axis", 1));
        b.Output("a", DataType.Float32);
        var g = ImportWithOutput(b, "c");
        var split = g.Single(OpTypes.Split);
        Assert.Equal([2L, 3], split.Attributes.GetInts("split", []));
        Assert.Equal(1, split.Attributes.GetInt("axis", 0));
        Assert.Equal(["a", "c"], split.Outputs.Select(o => o.Name));
        Assert.Single(split.Inputs);
    }

    [Fact]
    public void EqualSplitHasNoSizes()
    {
        var b = Model(6, 4);
        b.AddNode("Split", ["x"], ["a", "c"], "split");
        b.Output("a", DataType.Float32);
        var split = ImportWithOutput(b, "c").Single(OpTypes.Split);
        Assert.False(split.Attributes.Has("split"));
        Assert.Equal(2, split.Outputs.Count);
    }

    [Theory]
    [InlineData(11, "ReduceMean")]
    [InlineData(13, "ReduceSum")]
    [InlineData(18, "ReduceMax")]
    public void ReduceAxesBecomeAttribute(int opset, string op)
    {
        var b = Model(opset, 2, 3, 4);
        bool axesInput = op == "ReduceSum" ? opset >= 13 : opset >= 18;
        if (axesInput)
            b.AddNode(op, ["x", b.Int64s("axes", 1, 2)], ["y"], "reduce", "", ("keepdims", 0));
        else
            b.AddNode(op, ["x"], ["y"], "reduce", "", ("axes", new long[] { 1, 2 }), ("keepdims", 0));
        var reduce = ImportWithOutput(b).Single(op);
        Assert.Equal([1L, 2], reduce.Attributes.GetInts("axes", []));
        Assert.Equal(0, reduce.Attributes.GetInt("keepdims", 1));
        Assert.Single(reduce.Inputs);
    }

    [Fact]
    public void ReduceWithNoopForEmptyAxesIsIdentity()
    {
        var b = Model(13, 2, 3);
        b.AddNode("ReduceSum", ["x"], ["y"], "reduce", "", ("noop_with_empty_axes", 1));
        Assert.Equal(OpTypes.Identity, Assert.Single(ImportWithOutput(b).Nodes).OpType);
    }

    [Fact]
    public void ReduceLogSumIsReduceSumThenLog()
    {
        var b = Model(13, 2, 3);
        b.AddNode("ReduceLogSum", ["x"], ["y"], "rls", "", ("axes", new long[] { 1 }));
        var g = ImportWithOutput(b);
        Assert.Equal([OpTypes.ReduceSum, OpTypes.Log], g.Nodes.Select(n => n.OpType));
        Assert.Equal([1L], g.Nodes[0].Attributes.GetInts("axes", []));
        Assert.Equal("y", g.Nodes[1].Outputs[0].Name);
    }

    [Theory]
    [InlineData(6, "Softmax", 1, true)]
    [InlineData(11, "LogSoftmax", 1, true)]
    [InlineData(13, "Softmax", -1, false)]
    public void SoftmaxBeforeOpsetThirteenIsLegacy(int opset, string op, long axis, bool legacy)
    {
        var b = Model(opset, 2, 3, 4);
        b.AddNode(op, ["x"], ["y"], "sm");
        var softmax = ImportWithOutput(b).Single(op);
        Assert.Equal(axis, softmax.Attributes.GetInt("axis", 99));
        Assert.Equal(legacy, softmax.Attributes.GetInt("legacy", 0) == 1);
    }

    [Fact]
    public void DropoutIsIdentityWhenMaskUnused()
    {
        var b = Model(9, 2, 3);
        b.AddNode("Dropout", ["x"], ["y", "mask"], "drop", "", ("ratio", 0.5f));
        var node = Assert.Single(ImportWithOutput(b).Nodes);
        Assert.Equal(OpTypes.Identity, node.OpType);
        Assert.Equal("Dropout", node.SourceOpType);
        Assert.Equal("drop", node.Name);
    }

    [Fact]
    public void DropoutMaskIsAllTrueAtInference()
    {
        var b = Model(9, 2, 3);
        b.AddNode("Dropout", ["x"], ["y", "mask"], "drop");
        b.Output("mask", DataType.Bool);
        var graph = ImportWithOutput(b);
        var mask = Assert.Single(graph.Outputs, v => v.Name == "mask");
        Assert.Equal(DataType.Bool, mask.Type);
        Assert.Equal(OpTypes.ConstantOfShape, mask.Producer!.OpType);
        Assert.Equal([(byte)1], mask.Producer.Attributes.GetTensor("value")!.Bytes.ToArray());
        Assert.Equal(OpTypes.Shape, mask.Producer.Inputs[0]!.Producer!.OpType);
    }

    [Fact]
    public void DropoutWithUsedMaskBeforeOpset7IsUnsupported()
    {
        var b = Model(6, 2, 3);
        b.AddNode("Dropout", ["x"], ["y", "mask"], "drop", "", ("is_test", 1L));
        b.Output("mask", DataType.Float32);
        Assert.Contains("Dropout with its mask output used", OnnxTestSupport.ImportFails(b, "ATC1200").Message);
    }

    [Fact]
    public void ConstantNodesBecomeConstantValues()
    {
        var b = Model(13, 2, 3);
        b.AddNode("Constant", [], ["c"], "const", "", ("value", TensorData.Float([3], 1f, 2f, 3f)));
        b.AddNode("Constant", [], ["k"], "", "", ("value_ints", new long[] { 3, 2 }));
        b.AddNode("Constant", [], ["f"], "", "", ("value_float", 0.5f));
        b.AddNode("Add", ["x", "c"], ["a"], "add");
        b.AddNode("Reshape", ["a", "k"], ["r"], "reshape");
        b.AddNode("Mul", ["r", "f"], ["y"], "mul");
        var g = ImportWithOutput(b);
        Assert.Equal([OpTypes.Add, OpTypes.Reshape, OpTypes.Mul], g.Nodes.Select(n => n.OpType));
        Assert.Equal([1f, 2f, 3f], g.Single(OpTypes.Add).Inputs[1]!.Constant!.ToFloatArray());
        Assert.Equal("c", g.Single(OpTypes.Add).Inputs[1]!.Name);
        Assert.Equal([3L, 2], g.Single(OpTypes.Reshape).Inputs[1]!.Constant!.ToInt64Array());
        Assert.Equal([0.5f], g.Single(OpTypes.Mul).Inputs[1]!.Constant!.ToFloatArray());
    }

    [Fact]
    public void ConstantOfShapeKeepsShapeInputAndTakesValueType()
    {
        var b = Model(9, 2);
        b.AddNode("ConstantOfShape", [b.Int64s("shape", 2, 3)], ["y"], "cos", "", ("value", TensorData.Int64([1], 7)));
        var node = ImportWithOutput(b).Single(OpTypes.ConstantOfShape);
        Assert.Equal(DataType.Int64, node.Outputs[0].Type);
        Assert.Equal([7L], node.Attributes.GetTensor("value")!.ToInt64Array());
    }

    [Theory]
    [InlineData(7)]
    [InlineData(9)]
    public void UpsampleBecomesAsymmetricFloorResize(int opset)
    {
        var b = Model(opset, 1, 1, 2, 2);
        if (opset < 9)
            b.AddNode("Upsample", ["x"], ["y"], "up", "", ("scales", new[] { 1f, 1f, 2f, 3f }), ("mode", "nearest"));
        else
            b.AddNode("Upsample", ["x", b.Floats("scales", [4], 1f, 1f, 2f, 3f)], ["y"], "up", "", ("mode", "nearest"));
        var resize = ImportWithOutput(b).Single(OpTypes.Resize);
        Assert.Equal([1f, 1f, 2f, 3f], resize.Inputs[1]!.Constant!.ToFloatArray());
        Assert.Equal("asymmetric", resize.Attributes.GetString("coordinate_transformation_mode", ""));
        Assert.Equal("floor", resize.Attributes.GetString("nearest_mode", ""));
        Assert.Equal("Upsample", resize.SourceOpType);
    }

    [Fact]
    public void ResizeOpsetElevenDropsRoiAndEmptyScales()
    {
        var b = Model(11, 1, 1, 2, 2);
        b.Floats("roi", [0]);
        b.Floats("scales", [0]);
        b.Int64s("sizes", 1, 1, 4, 4);
        b.AddNode("Resize", ["x", "roi", "scales", "sizes"], ["y"], "resize", "", ("mode", "linear"),
            ("coordinate_transformation_mode", "align_corners"));
        var resize = ImportWithOutput(b).Single(OpTypes.Resize);
        Assert.Null(resize.Inputs[1]);
        Assert.Equal("sizes", resize.Inputs[2]!.Name);
        Assert.Equal("linear", resize.Attributes.GetString("mode", ""));
        Assert.Equal("align_corners", resize.Attributes.GetString("coordinate_transformation_mode", ""));
        Assert.Equal("round_prefer_floor", resize.Attributes.GetString("nearest_mode", ""));
    }

    [Fact]
    public void GemmOpsetSixBroadcastAttributeIsDropped()
    {
        var b = Model(6, 2, 3);
        b.Floats("w", [4, 3], new float[12]);
        b.Floats("c", [4], new float[4]);
        b.AddNode("Gemm", ["x", "w", "c"], ["y"], "gemm", "", ("broadcast", 1), ("transB", 1), ("alpha", 1f), ("beta", 1f));
        var gemm = ImportWithOutput(b).Single(OpTypes.Gemm);
        Assert.False(gemm.Attributes.Has("broadcast"));
        Assert.Equal(1, gemm.Attributes.GetInt("transB", 0));
        Assert.Equal(3, gemm.Inputs.Count);
    }

    [Fact]
    public void MaxPoolIndicesAreProducedOnlyWhenRead()
    {
        // storage_order only changes Indices: unread, the node pools with one output.
        var b = Model(12, 1, 1, 4, 4);
        b.AddNode("MaxPool", ["x"], ["y", "unread"], "pool", "", ("kernel_shape", new long[] { 2, 2 }), ("storage_order", 1));
        var pool = Assert.Single(ImportWithOutput(b).Nodes, n => n.OpType == OpTypes.MaxPool);
        Assert.Single(pool.Outputs);

        var read = Model(12, 1, 1, 4, 4);
        read.AddNode("MaxPool", ["x"], ["y", "idx"], "pool", "", ("kernel_shape", new long[] { 2, 2 }), ("storage_order", 1));
        read.Output("idx", DataType.Int64);
        var withIndices = Assert.Single(ImportWithOutput(read).Nodes, n => n.OpType == OpTypes.MaxPool);
        Assert.Equal(2, withIndices.Outputs.Count);
        Assert.Equal(1, withIndices.Attributes.GetInt("storage_order", 0));
    }

    [Fact]
    public void ConvAndPoolingGetNchwLayoutAndKeepAttributes()
    {
        var b = Model(11, 1, 3, 8, 8);
        b.Floats("w", [4, 3, 3, 3], new float[108]);
        b.AddNode("Conv", ["x", "w", ""], ["c"], "conv", "", ("strides", new long[] { 2, 2 }), ("auto_pad", "SAME_UPPER"));
        b.AddNode("AveragePool", ["c"], ["y"], "pool", "", ("kernel_shape", new long[] { 2, 2 }), ("count_include_pad", 1));
        var g = ImportWithOutput(b);
        var conv = g.Single(OpTypes.Conv);
        Assert.Equal(2, conv.Inputs.Count); // the omitted bias is dropped
        Assert.Equal("SAME_UPPER", conv.Attributes.GetString("auto_pad", ""));
        Assert.Equal("NCHW", conv.Attributes.GetString("layout", ""));
        var pool = g.Single(OpTypes.AveragePool);
        Assert.Equal(1, pool.Attributes.GetInt("count_include_pad", 0));
        Assert.Equal("NCHW", pool.Attributes.GetString("layout", ""));
    }

    [Theory]
    [InlineData(1, "FLOAT")]
    [InlineData(13, 7)]
    public void CastTargetIsATypeCode(int opset, object to)
    {
        var b = Model(opset, 2);
        b.AddNode("Cast", ["x"], ["y"], "cast", "", ("to", to));
        var cast = ImportWithOutput(b).Single(OpTypes.Cast);
        var expected = opset == 1 ? DataType.Float32 : DataType.Int64;
        Assert.Equal((long)expected, cast.Attributes.GetInt("to", 0));
        Assert.Equal(expected, cast.Outputs[0].Type);
    }

    [Fact]
    public void ComparisonsProduceBoolAndArgMaxInt64()
    {
        var b = Model(13, 2, 3);
        b.AddNode("Greater", ["x", b.ScalarFloat("zero", 0f)], ["g"], "greater");
        b.AddNode("ArgMax", ["x"], ["y"], "argmax", "", ("axis", 1), ("keepdims", 0));
        b.Output("g", DataType.Bool);
        var g = ImportWithOutput(b);
        Assert.Equal(DataType.Bool, g.Single(OpTypes.Greater).Outputs[0].Type);
        Assert.Equal(DataType.Int64, g.Single(OpTypes.ArgMax).Outputs[0].Type);
    }
}
