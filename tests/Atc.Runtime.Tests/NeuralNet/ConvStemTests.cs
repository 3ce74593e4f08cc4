using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// The direct convolution for channels-last convs with 1-4 input channels (<see cref="ConvStemKernel"/>) against
/// the scalar reference: the three stems of the benchmark models on odd image sizes, pads on both borders, strides
/// 1 and 2, partial channel blocks, bias / residual / Relu / Clip, batch 1 and 3, 1 and 2 threads, every ISA.
/// </summary>
[Collection("NeuralNet")]
public class ConvStemTests
{
    private static readonly ConvCase[] Cases =
    [
        new("ResNet stem 7x7 s2", [1, 3, 23, 29], 64, [7, 7], Strides: [2, 2], Pads: [3, 3, 3, 3], Activation: "Relu"),
        new("MobileNet stem 3x3 s2", [1, 3, 17, 35], 32, [3, 3], Strides: [2, 2], Pads: [1, 1, 1, 1], Activation: "Clip", ClipMin: 0f, ClipMax: 6f),
        new("SqueezeNet stem 3x3 s2 no pad", [1, 3, 15, 31], 64, [3, 3], Strides: [2, 2], Activation: "Relu"),
        new("1 channel, partial block", [1, 1, 9, 40], 10, [3, 3], Pads: [1, 1, 1, 1], Activation: "Relu"),
        new("2 channels, asymmetric pads, residual, clip, no bias", [1, 2, 8, 27], 40, [5, 5], Pads: [2, 1, 1, 3], Bias: false,
            Residual: true, Activation: "Clip", ClipMin: -0.4f, ClipMax: 0.6f),
        new("4 channels stride 2, residual", [1, 4, 10, 33], 70, [3, 3], Strides: [2, 2], Pads: [1, 1, 1, 1], Residual: true, Activation: "Relu"),
        new("kernel wider than the image", [1, 3, 4, 5], 20, [5, 5], Pads: [2, 2, 2, 2]),
        new("rectangular kernel, stride 2x1", [1, 3, 12, 30], 48, [2, 4], Strides: [2, 1], Pads: [0, 1, 1, 2]),
        new("SAME_UPPER stride 2", [1, 3, 10, 25], 33, [3, 3], Strides: [2, 2], AutoPad: "SAME_UPPER"),
        new("1-D", [1, 3, 50], 24, [5], Strides: [2], Pads: [2, 1]),
        new("9x9 3 to 16 (style transfer input), pad 4", [1, 3, 21, 37], 16, [9, 9], Pads: [4, 4, 4, 4], Activation: "Relu"),
        // Blocks whose valid channels fit in one vector compute only that vector (16 on AVX-512, 8 on AVX2).
        new("16 channels stride 2, rows of 32 pixels", [1, 3, 64, 64], 16, [3, 3], Strides: [2, 2], Pads: [1, 1, 1, 1], Activation: "Relu"),
        new("48 channels: last block one vector, residual", [1, 3, 9, 37], 48, [3, 3], Pads: [1, 1, 1, 1], Residual: true),
        new("8 channels, clip", [1, 2, 7, 19], 8, [3, 3], Strides: [2, 2], Pads: [0, 1, 1, 0], Activation: "Clip", ClipMin: 0f, ClipMax: 6f),
    ];

    public static IEnumerable<object[]> Names() => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesReferenceOnEveryIsaBatchAndThreadCount(string name)
    {
        ChannelsLastConvKernelCheck.MatchesReferenceOnEveryIsa<ConvStemKernel>(Cases.Single(c => c.Name == name), 1, 3);
    }

    [Fact]
    public void OtherConvsKeepTheirKernels()
    {
        // Runtime weights, 5+ input channels, groups and dilation are not stems.
        var stem = Cases[0];
        var (inputs, attrs, _, _) = ConvTests.Build(stem, channelsLast: true, constantWeights: false);
        Assert.IsNotType<ConvStemKernel>(ChannelsLastConvKernelCheck.CreateKernel(attrs, inputs, null));
        foreach (var c in new[]
        {
            stem with { X = [1, 5, 23, 29] },
            stem with { X = [1, 4, 23, 29], Group = 2 },
            stem with { Dilations = [2, 2] },
            stem with { X = [1, 3, 23, 29], Strides = [3, 3] },   // pixel step 9
        })
        {
            var built = ConvTests.Build(c, channelsLast: true, constantWeights: true);
            Assert.IsNotType<ConvStemKernel>(ChannelsLastConvKernelCheck.CreateKernel(built.Attributes, built.Inputs, null));
        }
    }
}
