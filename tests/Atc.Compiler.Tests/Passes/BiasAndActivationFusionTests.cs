using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

public class BiasAndActivationFusionTests
{
    private static (TestGraphBuilder B, Value X, Value Conv, Value W, Value Bias) ConvGraph(string layout = "NCHW", bool withBias = true, int seed = 1)
    {
        var b = new TestGraphBuilder(seed);
        bool nhwc = layout == "NHWC";
        var x = b.Input("x", nhwc ? [-1, 5, 5, 2] : [-1, 2, 5, 5]);
        var w = b.Const("w", [3, 2, 3, 3]);
        var bias = b.Const("conv_b", [3]);
        var conv = b.Op(OpTypes.Conv, "conv", withBias ? [x, w, bias] : [x, w], nhwc ? [-1, 3, 3, 3] : [-1, 3, 3, 3],
            TestGraphBuilder.Attrs(("layout", layout)));
        return (b, x, conv, w, bias);
    }

    private static void AssertSameResults(TestGraphBuilder b, Action rewrite) => ReferenceEvaluator.AssertRewriteKeepsResults(b, rewrite);

    [Fact]
    public void ChannelBiasAddFoldsIntoTheConvBias()
    {
        var (b, _, conv, _, bias) = ConvGraph();
        var addend = TestGraphBuilder.Const("add_b", [1, 3, 1, 1], [1f, 2f, 3f]);
        var y = b.Op(OpTypes.Add, "y", [conv, addend]);
        b.Output(y);
        PassResult? result = null;

        AssertSameResults(b, () => result = new BiasAndActivationFusion().Run(b.Graph));

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Same(y, node.Outputs[0]);
        float[] b0 = bias.Constant!.ToFloatArray(), b1 = node.Inputs[2]!.Constant!.ToFloatArray();
        for (int c = 0; c < 3; c++) Assert.Equal(b0[c] + (c + 1), b1[c], 1e-6);
        Assert.Equal(1, result!.Count(BiasAndActivationFusion.BiasesFused));
    }

    [Fact]
    public void ChannelsLastBiasWithConstantFirstFoldsIntoAConvWithoutBias()
    {
        var (b, _, conv, _, _) = ConvGraph("NHWC", withBias: false);
        var addend = b.Const("add_b", [3]);
        b.Output(b.Op(OpTypes.Add, "y", [addend, conv]));

        AssertSameResults(b, () => new BiasAndActivationFusion().Run(b.Graph));

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal(addend.Constant!.ToFloatArray(), node.Inputs[2]!.Constant!.ToFloatArray());
    }

    [Theory]
    [InlineData(new[] { 3 })]          // NCHW: [C] broadcasts along W, not the channels
    [InlineData(new[] { 1, 3, 3, 3 })] // not a per-channel constant
    [InlineData(new[] { 2, 3, 1, 1 })] // would broadcast the batch
    public void AddendsNotAlongTheChannelAxisStay(int[] dims)
    {
        var (b, _, conv, _, _) = ConvGraph();
        b.Output(b.Op(OpTypes.Add, "y", [conv, b.Const("add_b", dims)]));

        var result = new BiasAndActivationFusion().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
        Assert.False(result.Changed);
    }

    [Fact]
    public void ScalarAddendFoldsIntoEveryChannel()
    {
        var (b, _, conv, _, _) = ConvGraph();
        b.Output(b.Op(OpTypes.Add, "y", [conv, TestGraphBuilder.Const("one", [], [1f])]));

        AssertSameResults(b, () => new BiasAndActivationFusion().Run(b.Graph));

        Assert.Single(b.Graph.Nodes);
    }

    [Fact]
    public void ResidualAddThenReluFuseIntoTheConvEvenWhenTheShortcutIsComputedLater()
    {
        var b = new TestGraphBuilder(seed: 3);
        var x = b.Input("x", -1, 3, 4, 4);
        var conv = b.Op(OpTypes.Conv, "conv", [x, b.Const("w", [3, 3, 3, 3]), b.Const("cb", [3])], [-1, 3, 4, 4],
            TestGraphBuilder.Attrs(("pads", new long[] { 1, 1, 1, 1 })));
        var shortcut = b.Op(OpTypes.Sigmoid, "shortcut", [x], [-1, 3, 4, 4]);   // written after the conv
        var sum = b.Op(OpTypes.Add, "sum", [shortcut, conv], [-1, 3, 4, 4]);
        var y = b.Op(OpTypes.Relu, "y", [sum], [-1, 3, 4, 4]);
        b.Output(y);
        PassResult? result = null;

        AssertSameResults(b, () => result = new BiasAndActivationFusion().Run(b.Graph));

        Assert.Equal(["shortcut", "conv"], b.Graph.Nodes.Select(n => n.Name));
        var fused = b.Graph.Nodes[1];
        Assert.Same(shortcut, fused.Inputs[3]);
        Assert.Equal("Relu", fused.Attributes.GetString("activation", ""));
        Assert.Same(y, fused.Outputs[0]);
        Assert.Equal(1, result!.Count(BiasAndActivationFusion.ResidualsFused));
        Assert.Equal(1, result.Count(BiasAndActivationFusion.ActivationsFused));
    }

    [Fact]
    public void ResidualWithADifferentShapeStays()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 3, 4, 4);
        var other = b.Input("other", 1, 1, 2, 2);
        var conv = b.Op(OpTypes.Conv, "conv", [x, b.Const("w", [3, 3, 3, 3])], [1, 3, 2, 2]);
        b.Output(b.Op(OpTypes.Add, "sum", [conv, other], [1, 3, 2, 2]));

        new BiasAndActivationFusion().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
    }

    [Fact]
    public void BiasThenResidualThenClipFuseStepByStep()
    {
        var (b, x, conv, _, _) = ConvGraph(seed: 8);
        var shortcut = b.Input("shortcut", -1, 3, 3, 3);
        var biased = b.Op(OpTypes.Add, "biased", [conv, b.Const("add_b", [3, 1, 1])], [-1, 3, 3, 3]);
        var sum = b.Op(OpTypes.Add, "sum", [biased, shortcut], [-1, 3, 3, 3]);
        var y = b.Op(OpTypes.Clip, "y", [sum], [-1, 3, 3, 3], TestGraphBuilder.Attrs(("min", 0f), ("max", 0.5f)));
        b.Output(y);

        AssertSameResults(b, () => new BiasAndActivationFusion().Run(b.Graph));

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal(4, node.Inputs.Count);
        Assert.Equal("Clip", node.Attributes.GetString("activation", ""));
        Assert.Equal(0f, node.Attributes.GetFloat("activation_min", -1));
        Assert.Equal(0.5f, node.Attributes.GetFloat("activation_max", -1));
        Assert.Equal("y", node.Outputs[0].Name);
    }

    [Fact]
    public void ClipBoundsMayComeFromConstantInputsAndAbsentBoundsAreInfinite()
    {
        var (b, _, conv, _, _) = ConvGraph();
        b.Output(b.Op(OpTypes.Clip, "y", [conv, TestGraphBuilder.Const("lo", [], [-0.25f])]));

        AssertSameResults(b, () => new BiasAndActivationFusion().Run(b.Graph));

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal(-0.25f, node.Attributes.GetFloat("activation_min", 0));
        Assert.Equal(float.PositiveInfinity, node.Attributes.GetFloat("activation_max", 0));
    }

    [Fact]
    public void ClipWithARuntimeBoundStays()
    {
        var (b, _, conv, _, _) = ConvGraph();
        var bound = b.Input("bound");
        b.Output(b.Op(OpTypes.Clip, "y", [conv, bound]));

        new BiasAndActivationFusion().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
    }

    [Fact]
    public void NothingFusesAfterAnActivation()
    {
        var (b, _, conv, _, _) = ConvGraph();
        var relu = b.Op(OpTypes.Relu, "relu", [conv]);
        b.Output(b.Op(OpTypes.Add, "y", [relu, b.Const("add_b", [1, 3, 1, 1])]));

        AssertSameResults(b, () => new BiasAndActivationFusion().Run(b.Graph));

        Assert.Equal([OpTypes.Conv, OpTypes.Add], b.Graph.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void IntermediateWithTwoReadersOrAsGraphOutputStays()
    {
        foreach (bool asOutput in new[] { false, true })
        {
            var (b, _, conv, _, _) = ConvGraph();
            var y = b.Op(OpTypes.Relu, "y", [conv]);
            if (asOutput) b.Output(y, conv);
            else b.Output(y, b.Op(OpTypes.Sigmoid, "other", [conv]));

            var result = new BiasAndActivationFusion().Run(b.Graph);

            Assert.False(result.Changed);
            Assert.Equal("", b.Graph.Nodes[0].Attributes.GetString("activation", ""));
        }
    }

    [Fact]
    public void GemmBiasAddBecomesItsCAndReluItsActivation()
    {
        var b = new TestGraphBuilder(seed: 6);
        var x = b.Input("x", -1, 5);
        var gemm = b.Op(OpTypes.Gemm, "gemm", [x, b.Const("w", [4, 5])], [-1, 4], TestGraphBuilder.Attrs(("transB", 1), ("beta", 0.5f)));
        var addend = b.Const("fc_b", [4]);
        var sum = b.Op(OpTypes.Add, "sum", [gemm, addend], [-1, 4]);
        b.Output(b.Op(OpTypes.Relu, "y", [sum], [-1, 4]));

        AssertSameResults(b, () => new BiasAndActivationFusion().Run(b.Graph));

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal(1f, node.Attributes.GetFloat("beta", 0));
        Assert.Equal(addend.Constant!.ToFloatArray(), node.Inputs[2]!.Constant!.ToFloatArray());
        Assert.Equal("Relu", node.Attributes.GetString("activation", ""));
    }

    [Fact]
    public void GemmWithConstantCSumsBetaCAndTheAddend()
    {
        var b = new TestGraphBuilder(seed: 12);
        var x = b.Input("x", 2, 5);
        var c = TestGraphBuilder.Const("c", [2, 1], [1f, -1f]);
        var gemm = b.Op(OpTypes.Gemm, "gemm", [x, b.Const("w", [5, 3]), c], [2, 3], TestGraphBuilder.Attrs(("beta", 2f)));
        b.Output(b.Op(OpTypes.Add, "y", [gemm, TestGraphBuilder.Const("d", [3], [10f, 20f, 30f])]));

        AssertSameResults(b, () => new BiasAndActivationFusion().Run(b.Graph));

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal([2, 3], node.Inputs[2]!.Constant!.Dims);
        Assert.Equal([12f, 22f, 32f, 8f, 18f, 28f], node.Inputs[2]!.Constant!.ToFloatArray());
    }

    [Fact]
    public void GemmAddendThatWouldEnlargeTheOutputStays()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", -1, 5);
        var gemm = b.Op(OpTypes.Gemm, "gemm", [x, b.Const("w", [5, 3])], [-1, 3]);
        b.Output(b.Op(OpTypes.Add, "y", [gemm, b.Const("d", [4, 3])]));

        new BiasAndActivationFusion().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
    }

    [Fact]
    public void MatMulWithBiasBecomesGemmThenTakesTheActivation()
    {
        var b = new TestGraphBuilder(seed: 13);
        var x = b.Input("x", -1, 6);
        var mm = b.Op(OpTypes.MatMul, "fc", [x, b.Const("w", [6, 4])], [-1, 4]);
        var sum = b.Op(OpTypes.Add, "sum", [mm, b.Const("fc_b", [1, 4])], [-1, 4]);
        b.Output(b.Op(OpTypes.Clip, "y", [sum], [-1, 4], TestGraphBuilder.Attrs(("min", 0f), ("max", 6f))));
        PassResult? result = null;

        AssertSameResults(b, () => result = new BiasAndActivationFusion().Run(b.Graph));

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal((OpTypes.Gemm, "fc", "y"), (node.OpType, node.Name, node.Outputs[0].Name));
        Assert.Equal("Clip", node.Attributes.GetString("activation", ""));
        Assert.Equal(1, result!.Count(BiasAndActivationFusion.MatMulsToGemm));
    }

    [Fact]
    public void BatchedMatMulTakesTheBiasAsItsThirdInputWhileMatMulWithRuntimeWeightsStays()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2, 3, 6);
        var w = b.Input("w", 6, 4);
        var batched = b.Op(OpTypes.MatMul, "batched", [x, b.Const("w1", [6, 4])], [2, 3, 4]);
        var runtime = b.Op(OpTypes.MatMul, "runtime", [b.Input("x2", 3, 6), w], [3, 4]);
        b.Output(b.Op(OpTypes.Add, "y1", [batched, b.Const("b1", [4])]), b.Op(OpTypes.Add, "y2", [runtime, b.Const("b2", [4])]));

        var result = new BiasAndActivationFusion().Run(b.Graph);

        Assert.Equal(1, result.Count(BiasAndActivationFusion.BiasesFused));
        Assert.Equal(3, b.Graph.Nodes.Count);
        var fused = b.Graph.Nodes.Single(n => n.Name == "batched");
        Assert.Equal(("y1", 3), (fused.Outputs[0].Name, fused.Inputs.Count));
        Assert.Equal([4], fused.Inputs[2]!.Constant!.Dims);
        Assert.Equal(2, b.Graph.Nodes.Single(n => n.Name == "runtime").Inputs.Count);
    }

    [Fact]
    public void MatMulIsNotGivenAnActivationDirectly()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2, 6);
        var mm = b.Op(OpTypes.MatMul, "mm", [x, b.Const("w", [6, 4])], [2, 4]);
        b.Output(b.Op(OpTypes.Relu, "y", [mm]));

        new BiasAndActivationFusion().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
    }

    [Fact]
    public void AttributesSharedBetweenNodesAreNotChangedForTheOtherNode()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 2, 3, 3);
        var shared = TestGraphBuilder.Attrs(("group", 1));
        var c1 = b.Op(OpTypes.Conv, "c1", [x, b.Const("w1", [2, 2, 1, 1])], [1, 2, 3, 3], shared);
        var c2 = b.Op(OpTypes.Conv, "c2", [x, b.Const("w2", [2, 2, 1, 1])], [1, 2, 3, 3], shared);
        b.Output(b.Op(OpTypes.Relu, "y1", [c1]), c2);

        AssertSameResults(b, () => new BiasAndActivationFusion().Run(b.Graph));

        Assert.Equal("Relu", b.Graph.Nodes.Single(n => n.Name == "c1").Attributes.GetString("activation", ""));
        Assert.False(b.Graph.Nodes.Single(n => n.Name == "c2").Attributes.Has("activation"));
        Assert.Same(b.Graph.Nodes.Single(n => n.Name == "c2"), c2.Producer);
    }
}
