using Atc.Runtime.Kernels;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.NeuralNet;
using Xunit.Abstractions;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// The Winograd F(4x4, 3x3) path of channels-last 3x3 convolutions against the scalar reference: edge tiles (sizes
/// not multiples of 4), padding, channel counts that are not whole vectors, the fused epilogue, batches, threads
/// and every instruction set.
/// </summary>
[Collection("NeuralNet")]
public class WinogradTests(ITestOutputHelper output)
{
    private static readonly ConvCase[] Cases =
    [
        new("5x7 pad 1, 17 -> 33", [1, 17, 5, 7], 33, [3, 3], Pads: [1, 1, 1, 1]),
        new("13x13 no pad, residual relu", [1, 33, 13, 13], 17, [3, 3], Residual: true, Activation: "Relu"),
        new("asymmetric pads, batch 3", [3, 20, 9, 11], 24, [3, 3], Pads: [0, 1, 2, 1]),
        new("clip, residual, no bias", [1, 16, 10, 6], 40, [3, 3], Pads: [1, 1, 1, 1], Bias: false, Residual: true,
            Activation: "Clip", ClipMin: -0.5f, ClipMax: 0.7f),
        new("56x56 pad 1", [1, 17, 56, 56], 20, [3, 3], Pads: [1, 1, 1, 1], Residual: true, Activation: "Relu"),
        new("one partial tile", [2, 16, 3, 2], 16, [3, 3], Pads: [1, 1, 1, 1]),
        new("wide channels, column blocks", [1, 70, 6, 9], 300, [3, 3], Pads: [1, 1, 1, 1], Activation: "Relu"),
        new("many tiles, batch 3", [3, 24, 30, 26], 32, [3, 3], Pads: [1, 1, 1, 1], Residual: true),
    ];

    public static IEnumerable<object[]> Runs() =>
        from c in Cases
        from isa in new[] { "Avx512", "Avx2", "Portable" }
        select new object[] { c.Name, isa };

    [Theory]
    [MemberData(nameof(Runs))]
    public void MatchesReference(string name, string isaName)
    {
        var isa = Enum.Parse<Isa>(isaName);
        var c = Cases.Single(c => c.Name == name);
        var (inputs, attrs, expected, _) = ConvTests.Build(c, channelsLast: true, constantWeights: true);
        var one = OpRunner.Run(OpTypes.Conv, attrs, inputs, threads: 1, isa: isa).Data;
        var two = OpRunner.Run(OpTypes.Conv, attrs, inputs, threads: 2, isa: isa).Data;
        // The error scales with the values before the activation clamps them.
        var unclamped = ConvTests.Build(c with { Activation = "" }, channelsLast: true, constantWeights: true).Expected;
        double scale = unclamped.Max(Math.Abs), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - one[i]));
        output.WriteLine($"{name} {isa}: max |diff| {worst:G3}, max |ref| {scale:G3}, relative {worst / scale:G3}");
        Assert.True(worst <= 1e-5 * scale + 1e-6, $"{name} {isa}: max |diff| {worst:G3} over the tolerance (max |ref| {scale:G3})");
        Assert.Equal(one, two);
    }

    [Fact]
    public void ChosenForChannelsLast3x3WithConstantWeights()
    {
        var c = Cases[0];
        Assert.IsType<ConvWinogradKernel>(CreateKernel(c, channelsLast: true, constantWeights: true));
        Assert.IsNotType<ConvWinogradKernel>(CreateKernel(c, channelsLast: true, constantWeights: false));
        Assert.IsNotType<ConvWinogradKernel>(CreateKernel(c with { Strides = [2, 2] }, channelsLast: true, constantWeights: true));
        Assert.IsNotType<ConvWinogradKernel>(CreateKernel(c with { Dilations = [2, 2], Pads = [2, 2, 2, 2] }, channelsLast: true, constantWeights: true));
        Assert.IsNotType<ConvWinogradKernel>(CreateKernel(c with { X = [1, 3, 5, 7] }, channelsLast: true, constantWeights: true));
    }

    private static IKernel CreateKernel(ConvCase c, bool channelsLast, bool constantWeights)
    {
        var (inputs, attrs, _, _) = ConvTests.Build(c, channelsLast, constantWeights);
        var op = OperatorRegistry.Get(OpTypes.Conv);
        var context = OpRunner.Context(OpTypes.Conv, attrs, inputs);
        return op.CreateKernel(context, op.InferOutputs(context));
    }
}
