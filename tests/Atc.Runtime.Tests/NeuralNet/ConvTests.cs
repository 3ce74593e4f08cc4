using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;

namespace Atc.Tests.NeuralNet;

[Collection("NeuralNet")]
public class ConvTests
{
    public static IEnumerable<object[]> Cases() =>
        from c in ConvCase.All
        from layout in new[] { "NCHW", "NHWC" }
        from constant in new[] { true, false }
        select new object[] { c.Name, layout, constant };

    /// <summary>Inputs, attributes and the expected output (in the requested layout) of one case.</summary>
    internal static (TestInput?[] Inputs, OpAttributes Attributes, double[] Expected, int[] ExpectedDims) Build(ConvCase c, bool channelsLast, bool constantWeights)
    {
        int n = c.X[0], channels = c.X[1];
        int[] wDims = [c.O, channels / c.Group, .. c.Kernel];
        var x = TestData.Random(1, TestData.Count(c.X));
        var w = TestData.Random(2, TestData.Count(wDims), 0.5f);
        var b = c.Bias ? TestData.Random(3, c.O) : null;
        var (padsBegin, output) = c.Resolve();
        int[] yDims = [n, c.O, .. output];
        var residual = c.Residual ? TestData.Random(4, TestData.Count(yDims)) : null;
        double min = c.Activation == "Relu" ? 0 : c.Activation == "Clip" ? c.ClipMin : double.NegativeInfinity;
        double max = c.Activation == "Clip" ? c.ClipMax : double.PositiveInfinity;
        var expected = Reference.Conv(x, c.X, w, wDims, b, c.Group, c.StridesOrOnes, c.DilationsOrOnes, padsBegin, output, residual, min, max);

        var attrs = new OpAttributes()
            .Set("group", c.Group)
            .Set("strides", c.StridesOrOnes.Select(v => (long)v).ToArray())
            .Set("dilations", c.DilationsOrOnes.Select(v => (long)v).ToArray())
            .Set("auto_pad", c.AutoPad)
            .Set("layout", channelsLast ? "NHWC" : "NCHW");
        if (c.Pads is not null) attrs.Set("pads", c.Pads.Select(v => (long)v).ToArray());
        if (c.Activation != "") attrs.Set("activation", c.Activation);
        if (c.Activation == "Clip") attrs.Set("activation_min", c.ClipMin).Set("activation_max", c.ClipMax);

        if (channelsLast)
        {
            x = TestData.ToChannelsLast(x, c.X);
            if (residual is not null) residual = TestData.ToChannelsLast(residual, yDims);
            expected = Transposed(expected, yDims);
        }
        int[] xDims = channelsLast ? TestData.ChannelsLastDims(c.X) : c.X;
        int[] outDims = channelsLast ? TestData.ChannelsLastDims(yDims) : yDims;
        TestInput?[] inputs =
        [
            new(xDims, x),
            new(wDims, w, constantWeights),
            b is null ? null : new([c.O], b, constantWeights),
            residual is null ? null : new(outDims, residual),
        ];
        return (inputs, attrs, expected, outDims);
    }

    internal static double[] Transposed(double[] nchw, int[] dims)
    {
        int n = dims[0], c = dims[1], pixels = TestData.Count(dims) / (n * c);
        var r = new double[nchw.Length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < pixels; p++) r[(b * pixels + p) * c + ch] = nchw[(b * c + ch) * pixels + p];
        return r;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReference(string name, string layout, bool constantWeights)
    {
        var (inputs, attrs, expected, dims) = Build(ConvCase.Named(name), layout == "NHWC", constantWeights);
        var (actual, actualDims) = OpRunner.Run(OpTypes.Conv, attrs, inputs);
        Assert.Equal(dims, actualDims);
        TensorAssert.Close(expected, actual, what: name);
    }

    [Theory]
    [InlineData("3x3 pad 1", "NCHW")]
    [InlineData("3x3 pad 1", "NHWC")]
    [InlineData("many tiles", "NCHW")]
    [InlineData("many tiles", "NHWC")]
    [InlineData("depthwise 3x3 stride 2", "NCHW")]
    [InlineData("depthwise 3x3 stride 2", "NHWC")]
    [InlineData("deep 3x3", "NCHW")]
    [InlineData("deep 3x3", "NHWC")]
    public void TwoThreadsGiveTheSameBits(string name, string layout)
    {
        var (inputs, attrs, _, _) = Build(ConvCase.Named(name), layout == "NHWC", true);
        var one = OpRunner.Run(OpTypes.Conv, attrs, inputs, threads: 1).Data;
        var two = OpRunner.Run(OpTypes.Conv, attrs, inputs, threads: 2).Data;
        Assert.Equal(one, two);
    }

    [Theory]
    [InlineData("3x3 pad 1", "NCHW")]
    [InlineData("3x3 pad 1", "NHWC")]
    [InlineData("pointwise deep K, residual, relu", "NCHW")]
    [InlineData("pointwise deep K, residual, relu", "NHWC")]
    [InlineData("wide output channels", "NHWC")]
    [InlineData("first layer 7x7 stride 2", "NCHW")]
    [InlineData("depthwise 3x3 wide rows", "NCHW")]
    [InlineData("depthwise 3x3 wide rows", "NHWC")]
    [InlineData("depthwise 3x3 stride 2 wide rows", "NCHW")]
    [InlineData("depthwise 3x3 stride 2 wide rows", "NHWC")]
    public void LowerInstructionSetsMatchTheBest(string name, string layout)
    {
        var (inputs, attrs, expected, _) = Build(ConvCase.Named(name), layout == "NHWC", true);
        var best = OpRunner.Run(OpTypes.Conv, attrs, inputs).Data;
        foreach (var isa in new[] { Isa.Portable, Isa.Avx2 })
        {
            var lower = OpRunner.Run(OpTypes.Conv, attrs, inputs, isa: isa).Data;
            TensorAssert.Close(best.Select(v => (double)v).ToArray(), lower, what: $"{name} {isa}");
            TensorAssert.Close(expected, lower, what: $"{name} {isa} vs reference");
        }
    }

    private static TestInput X(params int[] dims) => new(dims, new float[TestData.Count(dims)]);
    private static TestInput W(params int[] dims) => new(dims, new float[TestData.Count(dims)], true);

    [Fact]
    public void ChannelMismatchIsAShapeError()
    {
        var e = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Conv, new OpAttributes(), X(1, 4, 8, 8), W(6, 3, 3, 3)));
        Assert.Contains("channel mismatch", e.Message);
    }

    [Fact]
    public void GroupThatDoesNotDivideChannelsIsAShapeError()
    {
        var e = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Conv, new OpAttributes().Set("group", 3), X(1, 4, 8, 8), W(6, 1, 3, 3)));
        Assert.Contains("not divisible by group 3", e.Message);
    }

    [Fact]
    public void KernelLargerThanInputIsAShapeError()
    {
        var e = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Conv, new OpAttributes(), X(1, 2, 4, 4), W(3, 2, 5, 5)));
        Assert.Contains("larger than the padded input", e.Message);
    }

    [Fact]
    public void KernelShapeAttributeMustMatchWeights()
    {
        var attrs = new OpAttributes().Set("kernel_shape", new long[] { 3, 3 });
        var e = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Conv, attrs, X(1, 2, 8, 8), W(3, 2, 5, 5)));
        Assert.Contains("kernel_shape", e.Message);
    }

    [Fact]
    public void WrongPadCountIsAShapeError()
    {
        var attrs = new OpAttributes().Set("pads", new long[] { 1, 1 });
        var e = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Conv, attrs, X(1, 2, 8, 8), W(3, 2, 3, 3)));
        Assert.Contains("expected 4", e.Message);
    }

    [Fact]
    public void BiasAndResidualShapesAreChecked()
    {
        Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Conv, new OpAttributes(), X(1, 2, 8, 8), W(3, 2, 3, 3), X(4)));
        var e = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Conv, new OpAttributes(), X(1, 2, 8, 8), W(3, 2, 3, 3), X(3), X(1, 3, 8, 8)));
        Assert.Contains("residual", e.Message);
    }

    [Fact]
    public void UnknownLayoutActivationAndAutoPadAreShapeErrors()
    {
        Assert.Contains("layout", Assert.Throws<ShapeException>(() =>
            OpRunner.Infer(OpTypes.Conv, new OpAttributes().Set("layout", "CHWN"), X(1, 2, 8, 8), W(3, 2, 3, 3))).Message);
        Assert.Contains("activation", Assert.Throws<ShapeException>(() =>
            OpRunner.Infer(OpTypes.Conv, new OpAttributes().Set("activation", "Softsign"), X(1, 2, 8, 8), W(3, 2, 3, 3))).Message);
        Assert.Contains("auto_pad", Assert.Throws<ShapeException>(() =>
            OpRunner.Infer(OpTypes.Conv, new OpAttributes().Set("auto_pad", "SAME"), X(1, 2, 8, 8), W(3, 2, 3, 3))).Message);
    }

    [Fact]
    public void ChannelsLastShapeIsInferred()
    {
        var t = OpRunner.Infer(OpTypes.Conv, new OpAttributes().Set("layout", "NHWC").Set("strides", new long[] { 2, 2 }).Set("auto_pad", "SAME_UPPER"),
            X(2, 15, 16, 3), W(8, 3, 3, 3));
        Assert.Equal(new[] { 2, 8, 8, 8 }, t.Dims);
    }
}
