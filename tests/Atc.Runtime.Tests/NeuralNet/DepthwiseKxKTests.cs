using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// Channels-last depthwise convs of any kernel size (<see cref="DepthwiseKxK"/>: interior pixels in groups, border
/// pixels over their clipped taps, rows in the vertical padding skipped) against the scalar reference: 5x5 and 7x7,
/// strides 1 and 2, asymmetric pads, dilation, odd channel counts (every vector width and the scalar leftover),
/// rows too narrow for an interior, bias / residual / Relu / Clip, batch 1 and 4, 1 and 2 threads, every ISA.
/// </summary>
[Collection("NeuralNet")]
public class DepthwiseKxKTests
{
    private static readonly ConvCase[] Cases =
    [
        new("5x5 pad 2, 240 channels", [1, 240, 14, 14], 240, [5, 5], Group: 240, Pads: [2, 2, 2, 2], Activation: "Relu"),
        new("5x5 stride 2, 37 channels", [1, 37, 15, 29], 37, [5, 5], Group: 37, Strides: [2, 2], Pads: [2, 2, 2, 2]),
        new("7x7 pad 3, 29 channels, residual", [1, 29, 13, 31], 29, [7, 7], Group: 29, Pads: [3, 3, 3, 3], Residual: true),
        new("7x7 stride 2, asymmetric pads, clip, no bias", [1, 21, 16, 27], 21, [7, 7], Group: 21, Strides: [2, 2], Pads: [2, 3, 4, 1],
            Bias: false, Activation: "Clip", ClipMin: -0.3f, ClipMax: 0.5f),
        new("5x5 on a 3x3 image", [1, 19, 3, 3], 19, [5, 5], Group: 19, Pads: [2, 2, 2, 2]),
        new("3x5 dilated, stride 2x1", [1, 35, 12, 40], 35, [3, 5], Group: 35, Strides: [2, 1], Dilations: [2, 2], Pads: [2, 4, 1, 3]),
        new("5x5 no pad, 3 channels", [1, 3, 11, 21], 3, [5, 5], Group: 3),
        new("3x3 on a 1-pixel-wide image", [1, 17, 6, 1], 17, [3, 3], Group: 17, Pads: [1, 1, 1, 1]),
        new("1-D k=7", [1, 24, 50], 24, [7], Group: 24, Pads: [3, 3]),
    ];

    public static IEnumerable<object[]> Names() => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesReferenceOnEveryIsaBatchAndThreadCount(string name)
    {
        ChannelsLastConvKernelCheck.MatchesReferenceOnEveryIsa<DepthwiseConvKernel>(Cases.Single(c => c.Name == name), 1, 4);
    }
}
