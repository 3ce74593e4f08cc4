using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

public class BatchNormFoldingTests
{
    private const float Epsilon = 1e-3f;

    private sealed record BnParams(Value Gamma, Value Beta, Value Mean, Value Var)
    {
        public double Factor(int c) => Gamma.Constant!.ToFloatArray()[c] / Math.Sqrt(Var.Constant!.ToFloatArray()[c] + (double)Epsilon);
        public double Shift(int c, double bias) => (bias - Mean.Constant!.ToFloatArray()[c]) * Factor(c) + Beta.Constant!.ToFloatArray()[c];
        public Value?[] AsInputs() => [Gamma, Beta, Mean, Var];
    }

    private static BnParams Params(TestGraphBuilder b, int channels) => new(
        b.Const("gamma", [channels], 0.5, 1.5), b.Const("beta", [channels]),
        b.Const("mean", [channels]), b.Const("var", [channels], 0.1, 2));

    private static Value BatchNorm(TestGraphBuilder b, Value x, BnParams p, string layout = "NCHW")
        => b.Op(OpTypes.BatchNormalization, "bn", [x, p.Gamma, p.Beta, p.Mean, p.Var], x.Shape,
            TestGraphBuilder.Attrs(("epsilon", Epsilon), ("layout", layout)));

    [Fact]
    public void ConvThenBatchNormFoldsIntoScaledWeightsAndBias()
    {
        var b = new TestGraphBuilder(seed: 7);
        var x = b.Input("x", -1, 3, 6, 6);
        var w = b.Const("w", [4, 3, 3, 3]);
        var bias = b.Const("conv_b", [4]);
        var conv = b.Op(OpTypes.Conv, "conv", [x, w, bias], [-1, 4, 4, 4]);
        var p = Params(b, 4);
        var y = BatchNorm(b, conv, p);
        b.Output(y);
        var feeds = b.RandomInputs();
        var before = ReferenceEvaluator.Run(b.Graph, feeds);

        var result = new BatchNormFolding().Run(b.Graph);

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal((OpTypes.Conv, "conv"), (node.OpType, node.Name));
        Assert.Same(y, node.Outputs[0]);
        Assert.Equal("bn", b.Graph.Outputs[0].Name);
        Assert.Equal(1, result.Count(BatchNormFolding.FoldedIntoConv));

        float[] w0 = w.Constant!.ToFloatArray(), b0 = bias.Constant!.ToFloatArray();
        float[] w1 = node.Inputs[1]!.Constant!.ToFloatArray(), b1 = node.Inputs[2]!.Constant!.ToFloatArray();
        for (int i = 0; i < w0.Length; i++) Assert.Equal(w0[i] * p.Factor(i / 27), w1[i], 1e-6);
        for (int c = 0; c < 4; c++) Assert.Equal(p.Shift(c, b0[c]), b1[c], 1e-6);
        Assert.Equal([4, 3, 3, 3], node.Inputs[1]!.Constant!.Dims);
        Assert.NotSame(w, node.Inputs[1]);   // the original weights are left as they were
        ReferenceEvaluator.AssertClose(before, ReferenceEvaluator.Run(b.Graph, feeds));
    }

    [Fact]
    public void ConvWithoutBiasGainsOne()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 2, 4, 4);
        var conv = b.Op(OpTypes.Conv, "conv", [x, b.Const("w", [3, 2, 1, 1])], [1, 3, 4, 4]);
        var p = Params(b, 3);
        b.Output(BatchNorm(b, conv, p));

        new BatchNormFolding().Run(b.Graph);

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal(3, node.Inputs.Count);
        float[] b1 = node.Inputs[2]!.Constant!.ToFloatArray();
        for (int c = 0; c < 3; c++) Assert.Equal(p.Shift(c, 0), b1[c], 1e-6);
    }

    [Fact]
    public void NhwcConvWithNhwcBatchNormFolds()
    {
        var b = new TestGraphBuilder(seed: 3);
        var x = b.Input("x", 2, 5, 5, 3);
        var conv = b.Op(OpTypes.Conv, "conv", [x, b.Const("w", [4, 3, 3, 3])], [2, 3, 3, 4], TestGraphBuilder.Attrs(("layout", "NHWC")));
        b.Output(BatchNorm(b, conv, Params(b, 4), "NHWC"));
        var feeds = b.RandomInputs();
        var before = ReferenceEvaluator.Run(b.Graph, feeds);

        new BatchNormFolding().Run(b.Graph);

        Assert.Equal(OpTypes.Conv, Assert.Single(b.Graph.Nodes).OpType);
        ReferenceEvaluator.AssertClose(before, ReferenceEvaluator.Run(b.Graph, feeds));
    }

    [Fact]
    public void BatchNormOnAnotherAxisThanTheConvChannelsStays()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 4, 4, 4);
        var conv = b.Op(OpTypes.Conv, "conv", [x, b.Const("w", [4, 4, 1, 1])], [1, 4, 4, 4]);
        b.Output(BatchNorm(b, conv, Params(b, 4), "NHWC"));

        var result = new BatchNormFolding().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
        Assert.Equal(1, result.Count(BatchNormFolding.Kept));
    }

    [Fact]
    public void ConvWithAnotherReaderOrAsGraphOutputKeepsItsBatchNorm()
    {
        foreach (bool asOutput in new[] { false, true })
        {
            var b = new TestGraphBuilder();
            var x = b.Input("x", 1, 2, 4, 4);
            var conv = b.Op(OpTypes.Conv, "conv", [x, b.Const("w", [2, 2, 1, 1])], [1, 2, 4, 4]);
            var y = BatchNorm(b, conv, Params(b, 2));
            if (asOutput) b.Output(y, conv);
            else b.Output(y, b.Op(OpTypes.Relu, "other", [conv]));

            new BatchNormFolding().Run(b.Graph);

            Assert.Contains(b.Graph.Nodes, n => n.OpType == OpTypes.BatchNormalization);
        }
    }

    [Fact]
    public void ConvWithFusedActivationKeepsItsBatchNorm()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 2, 4, 4);
        var conv = b.Op(OpTypes.Conv, "conv", [x, b.Const("w", [2, 2, 1, 1])], [1, 2, 4, 4], TestGraphBuilder.Attrs(("activation", "Relu")));
        b.Output(BatchNorm(b, conv, Params(b, 2)));

        new BatchNormFolding().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
    }

    [Fact]
    public void StandaloneOrNonConstantBatchNormStays()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 2, 4, 4);
        var gamma = b.Input("gamma", 2);
        var p = Params(b, 2) with { Gamma = gamma };
        var relu = b.Op(OpTypes.Relu, "relu", [x]);
        var conv = b.Op(OpTypes.Conv, "conv", [relu, b.Const("w", [2, 2, 1, 1])], [1, 2, 4, 4]);
        var bn1 = b.Op(OpTypes.BatchNormalization, "bn1", [x, .. Params(b, 2).AsInputs()]);
        var bn2 = BatchNorm(b, conv, p);
        b.Output(bn1, bn2);

        var result = new BatchNormFolding().Run(b.Graph);

        Assert.Equal(4, b.Graph.Nodes.Count);
        Assert.Equal(2, result.Count(BatchNormFolding.Kept));
        Assert.False(result.Count(BatchNormFolding.FoldedIntoConv) > 0);
    }

    [Fact]
    public void SharedWeightsAreFoldedPerConsumerWithoutChangingTheOriginal()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 2, 3, 3);
        var w = b.Const("w", [2, 2, 1, 1]);
        float[] original = w.Constant!.ToFloatArray();
        var c1 = b.Op(OpTypes.Conv, "c1", [x, w], [1, 2, 3, 3]);
        var c2 = b.Op(OpTypes.Conv, "c2", [x, w], [1, 2, 3, 3]);
        var y1 = b.Op(OpTypes.BatchNormalization, "bn1", [c1, .. Params(b, 2).AsInputs()]);
        var y2 = b.Op(OpTypes.BatchNormalization, "bn2", [c2, .. Params(b, 2).AsInputs()]);
        b.Output(y1, y2);
        var feeds = b.RandomInputs();
        var before = ReferenceEvaluator.Run(b.Graph, feeds);

        new BatchNormFolding().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
        Assert.Equal(original, w.Constant.ToFloatArray());
        var names = b.Graph.AllValues().Select(v => v.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        ReferenceEvaluator.AssertClose(before, ReferenceEvaluator.Run(b.Graph, feeds));
    }

    [Fact]
    public void GemmWithTransposedWeightsAndScaledBiasFolds()
    {
        var b = new TestGraphBuilder(seed: 11);
        var x = b.Input("x", 3, 5);
        var w = b.Const("w", [4, 5]);
        var c = b.Const("c", [4]);
        var gemm = b.Op(OpTypes.Gemm, "gemm", [x, w, c], [3, 4], TestGraphBuilder.Attrs(("transB", 1), ("alpha", 0.5f), ("beta", 2f)));
        var p = Params(b, 4);
        b.Output(BatchNorm(b, gemm, p));
        var feeds = b.RandomInputs();
        var before = ReferenceEvaluator.Run(b.Graph, feeds);

        var result = new BatchNormFolding().Run(b.Graph);

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal(1, result.Count(BatchNormFolding.FoldedIntoGemm));
        Assert.Equal(1f, node.Attributes.GetFloat("beta", 0));
        Assert.Equal(0.5f, node.Attributes.GetFloat("alpha", 0));
        float[] w0 = w.Constant!.ToFloatArray(), c0 = c.Constant!.ToFloatArray();
        float[] w1 = node.Inputs[1]!.Constant!.ToFloatArray(), c1 = node.Inputs[2]!.Constant!.ToFloatArray();
        for (int n = 0; n < 4; n++)
        {
            for (int k = 0; k < 5; k++) Assert.Equal(w0[n * 5 + k] * p.Factor(n), w1[n * 5 + k], 1e-6);
            Assert.Equal(p.Shift(n, 2.0 * c0[n]), c1[n], 1e-6);
        }
        ReferenceEvaluator.AssertClose(before, ReferenceEvaluator.Run(b.Graph, feeds));
    }

    [Fact]
    public void GemmWithoutCAndWithRowBiasFold()
    {
        foreach (int[]? cDims in new[] { null, new[] { 3, 1 }, new[] { 1, 4 } })
        {
            var b = new TestGraphBuilder(seed: 5);
            var x = b.Input("x", 3, 5);
            Value?[] inputs = cDims is null ? [x, b.Const("w", [5, 4])] : [x, b.Const("w", [5, 4]), b.Const("c", cDims)];
            var gemm = b.Op(OpTypes.Gemm, "gemm", inputs, [3, 4], TestGraphBuilder.Attrs(("beta", 0.25f)));
            b.Output(BatchNorm(b, gemm, Params(b, 4)));
            var feeds = b.RandomInputs();
            var before = ReferenceEvaluator.Run(b.Graph, feeds);

            new BatchNormFolding().Run(b.Graph);

            Assert.Equal(OpTypes.Gemm, Assert.Single(b.Graph.Nodes).OpType);
            ReferenceEvaluator.AssertClose(before, ReferenceEvaluator.Run(b.Graph, feeds));
        }
    }

    [Fact]
    public void TwoDimensionalMatMulBecomesGemm()
    {
        var b = new TestGraphBuilder(seed: 2);
        var x = b.Input("x", -1, 6);
        var mm = b.Op(OpTypes.MatMul, "mm", [x, b.Const("w", [6, 3])], [-1, 3]);
        b.Output(BatchNorm(b, mm, Params(b, 3)));
        var feeds = b.RandomInputs(unknown: 4);
        var before = ReferenceEvaluator.Run(b.Graph, feeds);

        var result = new BatchNormFolding().Run(b.Graph);

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal((OpTypes.Gemm, "mm", OpTypes.MatMul), (node.OpType, node.Name, node.SourceOpType));
        Assert.Equal("bn", node.Outputs[0].Name);
        Assert.Equal(1, result.Count(BatchNormFolding.FoldedIntoMatMul));
        ReferenceEvaluator.AssertClose(before, ReferenceEvaluator.Run(b.Graph, feeds));
    }

    [Fact]
    public void BatchedMatMulWithChannelsLastBatchNormBecomesMatMulAndAdd()
    {
        var b = new TestGraphBuilder(seed: 4);
        var x = b.Input("x", 2, 3, 6);
        var mm = b.Op(OpTypes.MatMul, "mm", [x, b.Const("w", [6, 5])], [2, 3, 5]);
        b.Output(BatchNorm(b, mm, Params(b, 5), "NHWC"));
        var feeds = b.RandomInputs();
        var before = ReferenceEvaluator.Run(b.Graph, feeds);

        new BatchNormFolding().Run(b.Graph);

        Assert.Equal([OpTypes.MatMul, OpTypes.Add], b.Graph.Nodes.Select(n => n.OpType));
        Assert.Equal("bn", b.Graph.Nodes[1].Name);
        Assert.Same(b.Graph.Outputs[0], b.Graph.Nodes[1].Outputs[0]);
        ReferenceEvaluator.AssertClose(before, ReferenceEvaluator.Run(b.Graph, feeds));
    }

    [Fact]
    public void BatchedMatMulWithChannelsFirstBatchNormStays()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2, 5, 6);
        var mm = b.Op(OpTypes.MatMul, "mm", [x, b.Const("w", [6, 5])], [2, 5, 5]);
        b.Output(BatchNorm(b, mm, Params(b, 5)));

        new BatchNormFolding().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
    }

    [Fact]
    public void ChainedBatchNormsBothFold()
    {
        var b = new TestGraphBuilder(seed: 9);
        var x = b.Input("x", 1, 2, 3, 3);
        var conv = b.Op(OpTypes.Conv, "conv", [x, b.Const("w", [2, 2, 1, 1])], [1, 2, 3, 3]);
        var bn1 = b.Op(OpTypes.BatchNormalization, "bn1", [conv, .. Params(b, 2).AsInputs()]);
        var bn2 = b.Op(OpTypes.BatchNormalization, "bn2", [bn1, .. Params(b, 2).AsInputs()]);
        b.Output(bn2);
        var feeds = b.RandomInputs();
        var before = ReferenceEvaluator.Run(b.Graph, feeds);

        var result = new BatchNormFolding().Run(b.Graph);

        Assert.Single(b.Graph.Nodes);
        Assert.Equal(2, result.Count(BatchNormFolding.FoldedIntoConv));
        ReferenceEvaluator.AssertClose(before, ReferenceEvaluator.Run(b.Graph, feeds));
    }
}
