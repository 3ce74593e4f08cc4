using Atc.Compiler.Emit;
using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Compiler.Shapes;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

public class LayoutPropagationTests
{
    private static readonly long[] ToNhwc = [0, 2, 3, 1];
    private static readonly long[] ToNchw = [0, 3, 1, 2];

    private static OpAttributes Attrs(params (string Name, AttributeValue Value)[] attributes) => TestGraphBuilder.Attrs(attributes);

    /// <summary>A small ResNet: Conv-BN-Relu, MaxPool, Conv + shortcut, Relu, GlobalAveragePool, Flatten, Gemm.
    /// Intermediate shapes are unknown, as ONNX files leave them.</summary>
    private static TestGraphBuilder SmallResNet()
    {
        var b = new TestGraphBuilder(5);
        var pads = Attrs(("pads", new long[] { 1, 1, 1, 1 }));
        var x = b.Input("images", -1, 3, 8, 8);
        var conv1 = b.Op(OpTypes.Conv, "conv1", [x, b.Const("w1", [4, 3, 3, 3])], null, pads);
        var bn = b.Op(OpTypes.BatchNormalization, "bn1",
            [conv1, b.Const("g", [4], 0.5, 1.5), b.Const("beta", [4]), b.Const("mean", [4]), b.Const("var", [4], 0.5, 2)]);
        var relu1 = b.Op(OpTypes.Relu, "relu1", [bn]);
        var pool = b.Op(OpTypes.MaxPool, "pool", [relu1], null,
            Attrs(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })));
        var conv2 = b.Op(OpTypes.Conv, "conv2", [pool, b.Const("w2", [4, 4, 3, 3]), b.Const("b2", [4])], null, pads.Clone());
        var sum = b.Op(OpTypes.Add, "sum", [conv2, pool]);
        var relu2 = b.Op(OpTypes.Relu, "relu2", [sum]);
        var gap = b.Op(OpTypes.GlobalAveragePool, "gap", [relu2]);
        var flat = b.Op(OpTypes.Flatten, "flatten", [gap], null, Attrs(("axis", 1L)));
        b.Output(b.Op(OpTypes.Gemm, "fc", [flat, b.Const("fc_w", [5, 4]), b.Const("fc_b", [5])], null, Attrs(("transB", 1L))));
        return b;
    }

    [Fact]
    public void ResNetRunsChannelsLastWithOneTransposeAtTheInputAndNoneAtTheTail()
    {
        var b = SmallResNet();

        var result = new LayoutPropagation().Run(b.Graph);

        var nodes = b.Graph.Nodes;
        var transposes = nodes.Where(n => n.OpType == OpTypes.Transpose).ToList();
        var transpose = Assert.Single(transposes);
        Assert.Same(b.Graph.Inputs[0], transpose.Inputs[0]);
        Assert.Equal(ToNhwc, transpose.Attributes.GetInts("perm", []));
        Assert.All(nodes.Where(n => n.OpType is OpTypes.Conv or OpTypes.MaxPool or OpTypes.BatchNormalization or OpTypes.GlobalAveragePool),
            n => Assert.Equal("NHWC", n.Attributes.GetString("layout", "")));
        var flatten = nodes.Single(n => n.OpType == OpTypes.Flatten);
        Assert.Equal(OpTypes.GlobalAveragePool, flatten.Inputs[0]!.Producer!.OpType);
        Assert.Equal(["images"], b.Graph.Inputs.Select(v => v.Name));
        Assert.Equal(["fc"], b.Graph.Outputs.Select(v => v.Name));
        Assert.Equal(8, result.Count(LayoutPropagation.NodesConverted));
        Assert.Equal(1, result.Count(LayoutPropagation.TransposesInserted));
        Assert.Equal(1, result.Count(LayoutPropagation.TransposesAvoided));
        Assert.Null(GraphInvariants.FindProblem(b.Graph));
    }

    [Fact]
    public void ResNetComputesTheSameOnTheRuntime()
        => AssertSameResults(SmallResNet, g => new LayoutPropagation().Run(g), batch: 2);

    [Fact]
    public void TheWholePipelineFoldsAndFusesIntoChannelsLastConvs()
    {
        var b = SmallResNet();

        var report = PassPipeline.RunWithReport(b.Graph);

        Assert.Equal(1, report.Total(BatchNormFolding.FoldedIntoConv));
        Assert.Single(b.Graph.Nodes, n => n.OpType == OpTypes.Transpose);
        var convs = b.Graph.Nodes.Where(n => n.OpType == OpTypes.Conv).ToList();
        Assert.Equal(2, convs.Count);
        Assert.All(convs, c => Assert.Equal("NHWC", c.Attributes.GetString("layout", "")));
        Assert.Equal("Relu", convs[0].Attributes.GetString("activation", ""));
        Assert.DoesNotContain(b.Graph.Nodes, n => n.OpType == OpTypes.BatchNormalization);
        AssertSameResults(SmallResNet, g => PassPipeline.Run(g), batch: 1);
    }

    /// <summary>Conv, Add of a channel bias [1,3,1,1], Mul by a constant varying over channels and width [3,1,5], Concat with another conv on
    /// the channel axis, Softmax over channels; the 4-D result is a graph output.</summary>
    private static TestGraphBuilder ChannelOps()
    {
        var b = new TestGraphBuilder(9);
        var x = b.Input("x", 1, 2, 4, 5);
        var c1 = b.Op(OpTypes.Conv, "c1", [x, b.Const("w1", [3, 2, 1, 1])]);
        var biased = b.Op(OpTypes.Add, "biased", [c1, b.Const("bias", [1, 3, 1, 1])]);
        var scaled = b.Op(OpTypes.Mul, "scaled", [biased, b.Const("scales", [3, 1, 5])]);
        var c2 = b.Op(OpTypes.Conv, "c2", [x, b.Const("w2", [4, 2, 3, 3])], null, Attrs(("pads", new long[] { 1, 1, 1, 1 })));
        var joined = b.Op(OpTypes.Concat, "joined", [scaled, c2], null, Attrs(("axis", 1L)));
        b.Output(b.Op(OpTypes.Softmax, "probs", [joined], null, Attrs(("axis", 1L))));
        return b;
    }

    [Fact]
    public void ConstantsAndAxesAreReLaidAndTheOutputKeepsItsNameAndLayout()
    {
        var b = ChannelOps();

        new LayoutPropagation().Run(b.Graph);

        var nodes = b.Graph.Nodes;
        Assert.Equal([1, 1, 1, 3], nodes.Single(n => n.Name == "biased").Inputs[1]!.Constant!.Dims);
        Assert.Equal([1, 1, 5, 3], nodes.Single(n => n.Name == "scaled").Inputs[1]!.Constant!.Dims);
        Assert.Equal(3, nodes.Single(n => n.Name == "joined").Attributes.GetInt("axis", 0));
        Assert.Equal(3, nodes.Single(n => n.Name == "probs").Attributes.GetInt("axis", 0));
        var last = nodes[^1];
        Assert.Equal(OpTypes.Transpose, last.OpType);
        Assert.Equal(ToNchw, last.Attributes.GetInts("perm", []));
        Assert.Same(b.Graph.Outputs[0], last.Outputs[0]);
        Assert.Equal("probs", b.Graph.Outputs[0].Name);
        // One Transpose of x serves both convs.
        Assert.Equal(2, nodes.Count(n => n.OpType == OpTypes.Transpose));
        Assert.Null(GraphInvariants.FindProblem(b.Graph));
    }

    [Fact]
    public void ChannelOpsComputeTheSameOnTheRuntime()
        => AssertSameResults(ChannelOps, g => new LayoutPropagation().Run(g), batch: 1);

    /// <summary>A Reshape of a 3x3 image flattens NCHW and NHWC differently: it must read the NCHW form.</summary>
    private static TestGraphBuilder ConvThenReshape()
    {
        var b = new TestGraphBuilder(3);
        var x = b.Input("x", 1, 2, 3, 3);
        var c = b.Op(OpTypes.Conv, "c", [x, b.Const("w", [4, 2, 1, 1])]);
        var r = b.Op(OpTypes.Relu, "r", [c]);
        b.Output(b.Op(OpTypes.Reshape, "flat", [r, TestGraphBuilder.Int64("shape", 1, -1)]));
        return b;
    }

    [Fact]
    public void AReshapeOfASpatialImageReadsItBackInChannelsFirstOrder()
    {
        var b = ConvThenReshape();

        new LayoutPropagation().Run(b.Graph);

        var reshape = b.Graph.Nodes.Single(n => n.OpType == OpTypes.Reshape);
        var back = reshape.Inputs[0]!.Producer!;
        Assert.Equal(OpTypes.Transpose, back.OpType);
        Assert.Equal(ToNchw, back.Attributes.GetInts("perm", []));
        Assert.Equal("r", reshape.Inputs[0]!.Name);
        Assert.Equal(OpTypes.Relu, back.Inputs[0]!.Producer!.OpType);
    }

    [Fact]
    public void ConvThenReshapeComputesTheSameOnTheRuntime()
        => AssertSameResults(ConvThenReshape, g => new LayoutPropagation().Run(g), batch: 1);

    [Fact]
    public void OpsOutsideConvolutionalRegionsStayChannelsFirst()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 2, 6, 6);
        var pooled = b.Op(OpTypes.MaxPool, "pool", [x], null, Attrs(("kernel_shape", new long[] { 2, 2 })));
        var seq = b.Input("seq", 1, 2, 9);
        var conv1d = b.Op(OpTypes.Conv, "conv1d", [seq, b.Const("w", [3, 2, 3])]);
        var unknownRank = b.Input("any", null!);
        b.Output(pooled, conv1d, b.Op(OpTypes.Relu, "relu", [unknownRank]));
        int before = b.Graph.Nodes.Count;

        var result = new LayoutPropagation().Run(b.Graph);

        Assert.False(result.Changed);
        Assert.Equal(before, b.Graph.Nodes.Count);
        Assert.All(b.Graph.Nodes, n => Assert.Equal("", n.Attributes.GetString("layout", "")));
    }

    [Fact]
    public void AChannelsLastConvIsLeftAlone()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 6, 6, 2);
        b.Output(b.Op(OpTypes.Conv, "c", [x, b.Const("w", [3, 2, 3, 3])], null, Attrs(("layout", "NHWC"))));

        var result = new LayoutPropagation().Run(b.Graph);

        Assert.False(result.Changed);
        Assert.Single(b.Graph.Nodes);
    }

    [Fact]
    public void AnElementWiseOpStaysWhenMoreOfItsInputsAreChannelsFirst()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 2, 4, 4);
        var p = b.Input("p", 1, 3, 4, 4);
        var q = b.Input("q", 1, 3, 4, 4);
        var c = b.Op(OpTypes.Conv, "c", [x, b.Const("w", [3, 2, 1, 1])]);
        b.Output(b.Op(OpTypes.Sum, "s", [c, p, q]));

        new LayoutPropagation().Run(b.Graph);

        var sum = b.Graph.Nodes.Single(n => n.Name == "s");
        Assert.Equal(OpTypes.Transpose, sum.Inputs[0]!.Producer!.OpType);
        Assert.Same(b.Graph.Inputs[1], sum.Inputs[1]);
        Assert.Same(sum.Outputs[0], b.Graph.Outputs[0]);
    }

    /// <summary>A squeeze-and-excitation block: Conv, Pad, Conv, ReduceMean over H and W (keepdims), 1x1 Conv, Sigmoid,
    /// Mul with the block input; then a ReduceMean that drops H and W, and a Squeeze of a global pool.</summary>
    private static TestGraphBuilder SqueezeExcite()
    {
        var b = new TestGraphBuilder(11);
        var x = b.Input("x", -1, 3, 6, 6);
        var stem = b.Op(OpTypes.Conv, "stem", [x, b.Const("stem_w", [3, 3, 1, 1])]);
        var padded = b.Op(OpTypes.Pad, "padded", [stem, TestGraphBuilder.Int64("pads", 0, 0, 1, 2, 0, 0, 2, 1)]);
        var c = b.Op(OpTypes.Conv, "c", [padded, b.Const("w", [4, 3, 3, 3])]);
        var squeezed = b.Op(OpTypes.ReduceMean, "se_mean", [c], null, Attrs(("axes", new long[] { 2, 3 })));
        var gate = b.Op(OpTypes.Sigmoid, "gate", [b.Op(OpTypes.Conv, "se_conv", [squeezed, b.Const("se_w", [4, 4, 1, 1])])]);
        var excited = b.Op(OpTypes.Mul, "excited", [c, gate]);
        var pooled = b.Op(OpTypes.ReduceMean, "pooled", [excited], null, Attrs(("axes", new long[] { 2, 3 }), ("keepdims", 0L)));
        var gmax = b.Op(OpTypes.GlobalMaxPool, "gmax", [excited]);
        b.Output(pooled, b.Op(OpTypes.Squeeze, "flat_max", [gmax], null, Attrs(("axes", new long[] { 2, 3 }))));
        return b;
    }

    [Fact]
    public void SqueezeExciteBlocksStayChannelsLastUpToTheirPlainOutputs()
    {
        var b = SqueezeExcite();

        var result = new LayoutPropagation().Run(b.Graph);

        var nodes = b.Graph.Nodes;
        Assert.Single(nodes, n => n.OpType == OpTypes.Transpose);
        Assert.Equal([0L, 1, 2, 0, 0, 2, 1, 0], nodes.Single(n => n.Name == "padded").Inputs[1]!.Constant!.ToInt64Array());
        Assert.Equal([1L, 2], nodes.Single(n => n.Name == "se_mean").Attributes.GetInts("axes", []));
        Assert.Equal([1L, 2], nodes.Single(n => n.Name == "pooled").Attributes.GetInts("axes", []));
        Assert.Equal([1L, 2], nodes.Single(n => n.Name == "flat_max").Attributes.GetInts("axes", []));
        Assert.Equal(2, result.Count(LayoutPropagation.TransposesAvoided));
        Assert.Equal(["pooled", "flat_max"], b.Graph.Outputs.Select(v => v.Name));
    }

    [Fact]
    public void SqueezeExciteComputesTheSameOnTheRuntime()
        => AssertSameResults(SqueezeExcite, g => new LayoutPropagation().Run(g), batch: 2);

    [Fact]
    public void AReductionThatWouldReorderItsRemainingAxesReadsChannelsFirst()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 2, 4, 4);
        var c = b.Op(OpTypes.Conv, "c", [x, b.Const("w", [3, 2, 1, 1])]);
        b.Output(b.Op(OpTypes.ReduceSum, "rows", [c], null, Attrs(("axes", new long[] { 0, 3 }), ("keepdims", 0L))));

        new LayoutPropagation().Run(b.Graph);

        var reduce = b.Graph.Nodes[^1];
        Assert.Equal([0L, 3], reduce.Attributes.GetInts("axes", []));
        Assert.Equal(OpTypes.Transpose, reduce.Inputs[0]!.Producer!.OpType);
    }

    /// <summary>Conv, LRN, an upsampling Resize by full-rank scales (linear), a Resize to full-rank sizes (nearest),
    /// and a Conv after them.</summary>
    private static TestGraphBuilder UpsamplingHead()
    {
        var b = new TestGraphBuilder(13);
        var x = b.Input("x", 1, 3, 5, 4);
        var c = b.Op(OpTypes.Conv, "c", [x, b.Const("w", [4, 3, 1, 1])]);
        var lrn = b.Op(OpTypes.LRN, "lrn", [c], null, Attrs(("size", 3L), ("alpha", 0.01f)));
        var up = b.Op(OpTypes.Resize, "up", [lrn, Value.FromConstant("scales", TensorData.Float([4], 1f, 1f, 2f, 3f)), null], null,
            Attrs(("mode", "linear")));
        var sized = b.Op(OpTypes.Resize, "sized", [up, null, TestGraphBuilder.Int64("sizes", 1, 4, 7, 9)], null, Attrs(("mode", "nearest")));
        b.Output(b.Op(OpTypes.Conv, "out", [sized, b.Const("w2", [2, 4, 3, 3])]));
        return b;
    }

    [Fact]
    public void ResizeAndLrnFollowWithScalesAndSizesInChannelsLastOrder()
    {
        var b = UpsamplingHead();

        new LayoutPropagation().Run(b.Graph);

        var nodes = b.Graph.Nodes;
        Assert.All(nodes.Where(n => n.OpType != OpTypes.Transpose), n => Assert.Equal("NHWC", n.Attributes.GetString("layout", "")));
        Assert.Equal([1f, 2f, 3f, 1f], nodes.Single(n => n.Name == "up").Inputs[1]!.Constant!.ToFloatArray());
        Assert.Equal([1L, 7, 9, 4], nodes.Single(n => n.Name == "sized").Inputs[2]!.Constant!.ToInt64Array());
        Assert.Equal(2, nodes.Count(n => n.OpType == OpTypes.Transpose));
    }

    [Fact]
    public void UpsamplingHeadComputesTheSameOnTheRuntime()
        => AssertSameResults(UpsamplingHead, g => new LayoutPropagation().Run(g), batch: 1);

    /// <summary>A style-transfer block and a segmentation head: Conv, InstanceNormalization, Relu, reflection Pad
    /// (pads input), Conv; an image-pooling branch (GlobalAveragePool, 1x1 Conv) resized bilinearly back to the
    /// feature size through sizes computed by Shape/Slice/Concat (as F.interpolate(size=...) exports), Concat, Conv.</summary>
    private static TestGraphBuilder StyleAndPoolingHead()
    {
        var b = new TestGraphBuilder(23);
        var x = b.Input("x", -1, 3, 6, 5);
        var c = b.Op(OpTypes.Conv, "c", [x, b.Const("w", [5, 3, 3, 3])], null, Attrs(("pads", new long[] { 1, 1, 1, 1 })));
        var norm = b.Op(OpTypes.InstanceNormalization, "in", [c, b.Const("in_scale", [5], 0.5, 1.5), b.Const("in_bias", [5])]);
        var relu = b.Op(OpTypes.Relu, "relu", [norm]);
        var padded = b.Op(OpTypes.Pad, "pad", [relu, TestGraphBuilder.Int64("pads", 0, 0, 1, 2, 0, 0, 1, 0)], null, Attrs(("mode", "reflect")));
        var features = b.Op(OpTypes.Conv, "c2", [padded, b.Const("w2", [7, 5, 3, 3])]);   // [N, 7, 6, 5]
        var pooled = b.Op(OpTypes.Conv, "pool_conv", [b.Op(OpTypes.GlobalAveragePool, "gap", [features]), b.Const("w3", [3, 7, 1, 1])]);
        var batchAndChannels = b.Op(OpTypes.Slice, "shape_nc",
            [b.Op(OpTypes.Shape, "shape", [pooled]), TestGraphBuilder.Int64("starts", 0), TestGraphBuilder.Int64("ends", 2)]);
        var sizes = b.Op(OpTypes.Concat, "sizes", [batchAndChannels, TestGraphBuilder.Int64("hw", 6, 5)], null, Attrs(("axis", 0L)));
        var resized = b.Op(OpTypes.Resize, "resize", [pooled, null, sizes], null,
            Attrs(("mode", "linear"), ("coordinate_transformation_mode", "pytorch_half_pixel")));
        var joined = b.Op(OpTypes.Concat, "join", [features, resized], null, Attrs(("axis", 1L)));
        b.Output(b.Op(OpTypes.Conv, "out", [joined, b.Const("w4", [2, 10, 1, 1])]));
        return b;
    }

    [Fact]
    public void InstanceNormPadAndComputedSizeResizeStayChannelsLast()
    {
        var b = StyleAndPoolingHead();

        new LayoutPropagation().Run(b.Graph);

        var nodes = b.Graph.Nodes;
        var transposes = nodes.Where(n => n.OpType == OpTypes.Transpose).ToList();
        Assert.Equal(2, transposes.Count);   // the graph input in, the graph output out
        Assert.Same(b.Graph.Inputs[0], transposes[0].Inputs[0]);
        Assert.Same(b.Graph.Outputs[0], transposes[1].Outputs[0]);
        Assert.Equal("NHWC", nodes.Single(n => n.OpType == OpTypes.InstanceNormalization).Attributes.GetString("layout", ""));
        var resize = nodes.Single(n => n.OpType == OpTypes.Resize);
        Assert.Equal("NHWC", resize.Attributes.GetString("layout", ""));
        Assert.Equal("NCHW", resize.Attributes.GetString("target_order", ""));
        var gather = nodes.Single(n => n.OpType == OpTypes.Gather);
        Assert.Equal(OpTypes.Shape, gather.Inputs[0]!.Producer!.OpType);
        Assert.Equal(ToNchw, gather.Inputs[1]!.Constant!.ToInt64Array());
    }

    [Fact]
    public void StyleAndPoolingHeadComputesTheSameOnTheRuntime()
        => AssertSameResults(StyleAndPoolingHead, g => new LayoutPropagation().Run(g), batch: 3);

    /// <summary>Conv, GlobalAveragePool, Clip by scalar constant inputs, Mul by a channel scale, Flatten.</summary>
    private static TestGraphBuilder PooledTail()
    {
        var b = new TestGraphBuilder(19);
        var x = b.Input("x", -1, 2, 5, 5);
        var c = b.Op(OpTypes.Conv, "c", [x, b.Const("w", [6, 2, 3, 3])]);
        var gap = b.Op(OpTypes.GlobalAveragePool, "gap", [c]);
        var clipped = b.Op(OpTypes.Clip, "clip", [gap, TestGraphBuilder.Const("lo", [], [-0.1f]), TestGraphBuilder.Const("hi", [], [0.2f])]);
        var scaled = b.Op(OpTypes.Mul, "scaled", [clipped, b.Const("scale", [1, 6, 1, 1])]);
        b.Output(b.Op(OpTypes.Flatten, "flat", [scaled], null, Attrs(("axis", 1L))));
        return b;
    }

    [Fact]
    public void ElementWiseOpsAfterAGlobalPoolKeepTheTailFreeOfTransposes()
    {
        var b = PooledTail();

        new LayoutPropagation().Run(b.Graph);

        Assert.Single(b.Graph.Nodes, n => n.OpType == OpTypes.Transpose);
        Assert.Equal("scaled_nhwc", b.Graph.Nodes.Single(n => n.OpType == OpTypes.Flatten).Inputs[0]!.Name);
    }

    [Fact]
    public void PooledTailComputesTheSameOnTheRuntime()
        => AssertSameResults(PooledTail, g => new LayoutPropagation().Run(g), batch: 3);

    /// <summary>Builds the graph twice, optimises one copy, runs both on the runtime and compares every output.</summary>
    private static void AssertSameResults(Func<TestGraphBuilder> build, Action<Graph> optimise, int batch)
    {
        var original = build();
        var rewritten = build();
        optimise(rewritten.Graph);
        Assert.Null(GraphInvariants.FindProblem(rewritten.Graph));

        var feeds = original.RandomInputs(batch);
        var expected = RunOnRuntime(original.Graph, feeds);
        var actual = RunOnRuntime(rewritten.Graph, feeds);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Dims, actual[i].Dims);
            float[] e = expected[i].ToFloatArray(), a = actual[i].ToFloatArray();
            for (int j = 0; j < e.Length; j++)
                Assert.True(Math.Abs(e[j] - a[j]) <= 1e-4 * (1 + Math.Abs(e[j])), $"output {i}[{j}]: expected {e[j]}, got {a[j]}");
        }
    }

    private static TensorData[] RunOnRuntime(Graph graph, Dictionary<string, ReferenceEvaluator.Tensor> feeds)
    {
        var shapes = graph.Inputs.ToDictionary(v => v.Name, v => feeds[v.Name].Dims);
        var om = OmEmitter.Emit(graph, GearSet.Static(new Gear(shapes, [])), new EmitOptions("layout", "Ascend310", "onnx"));
        using var session = InferenceModel.Load(om).CreateSession();
        return session.Run([.. graph.Inputs.Select(v => TensorData.Float(feeds[v.Name].Dims, feeds[v.Name].Data))]);
    }
}
