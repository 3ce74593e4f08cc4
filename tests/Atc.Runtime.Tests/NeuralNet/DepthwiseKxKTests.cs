using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// Channels-last depthwise convs of any kernel size (<see cref="DepthwiseKxK"/>: interior pixels in groups, border
/// pixels over their clipped taps, rows in the vertical padding skipped) against the scalar reference: 5x5 and 7x7,
/// strides 1 and 2, asymmetric pads, dilation, odd channel counts (every vector width and the scalar leftover),
/// rows too narrow for an interior, bias / residual / Relu / Clip, batch 1 and 4, 1 and 2 threads, every ISA; also the
/// stride-1 sliding interiors of 5x5 and 7x7, the stride-1 and stride-2 sliding interiors of 3x3 and the stride-2 ones
/// of 5x5 and 7x7, and the masked last channels of k x k and 3x3 (8, 40, 43, 96 channels).
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
        // Sliding interiors (stride 1, 5- and 7-wide rows) and the masked last channels (8 = one 256-bit vector,
        // 40 = 32 + 8, 43 = 40 + 3, 96 = whole vectors), 3x3 included.
        new("7x7 pad 3, 96 channels, residual, relu", [1, 96, 9, 20], 96, [7, 7], Group: 96, Pads: [3, 3, 3, 3], Residual: true, Activation: "Relu"),
        new("7x7 pad 3, 43 channels, clip", [1, 43, 8, 19], 43, [7, 7], Group: 43, Pads: [3, 3, 3, 3], Activation: "Clip", ClipMin: -0.2f, ClipMax: 0.4f),
        new("7x7 pad 3, 8 channels, no bias", [1, 8, 6, 17], 8, [7, 7], Group: 8, Pads: [3, 3, 3, 3], Bias: false),
        new("7x7 stride 2, asymmetric pads, 40 channels", [1, 40, 13, 26], 40, [7, 7], Group: 40, Strides: [2, 2], Pads: [3, 2, 1, 3]),
        new("7x7 dilation 2, 40 channels", [1, 40, 14, 25], 40, [7, 7], Group: 40, Dilations: [2, 2], Pads: [6, 6, 6, 6]),
        new("5x5 pad 2, 40 channels, residual, clip", [1, 40, 9, 22], 40, [5, 5], Group: 40, Pads: [2, 2, 2, 2], Residual: true,
            Activation: "Clip", ClipMin: -0.3f, ClipMax: 0.3f),
        new("5x5 asymmetric pads, 43 channels", [1, 43, 10, 23], 43, [5, 5], Group: 43, Pads: [1, 3, 3, 0]),
        new("5x5 stride 2, 8 channels", [1, 8, 11, 23], 8, [5, 5], Group: 8, Strides: [2, 2], Pads: [2, 2, 2, 2]),
        new("3x3 pad 1, 43 channels, residual, relu", [1, 43, 7, 13], 43, [3, 3], Group: 43, Pads: [1, 1, 1, 1], Residual: true, Activation: "Relu"),
        new("3x3 stride 2, asymmetric pads, 40 channels, clip", [1, 40, 9, 14], 40, [3, 3], Group: 40, Strides: [2, 2], Pads: [0, 1, 1, 0],
            Activation: "Clip", ClipMin: -0.25f, ClipMax: 0.25f),
        new("3x3 dilation 2, 43 channels", [1, 43, 9, 15], 43, [3, 3], Group: 43, Dilations: [2, 2], Pads: [2, 2, 2, 2]),
        new("3x3 pad 1, 8 channels, no bias", [1, 8, 6, 11], 8, [3, 3], Group: 8, Pads: [1, 1, 1, 1], Bias: false),
        new("3x3 pad 1, 96 channels", [1, 96, 5, 9], 96, [3, 3], Group: 96, Pads: [1, 1, 1, 1]),
        // Sliding blocks of four pixels: 3x3 at stride 1 and 2, 5x5 and 7x7 at stride 2, with a leftover of 1-3
        // pixels after the blocks, odd image sizes and channel counts that are not a multiple of 16.
        new("3x3 slide, 23x17, 37 channels, relu", [1, 37, 23, 17], 37, [3, 3], Group: 37, Pads: [1, 1, 1, 1], Activation: "Relu"),
        new("3x3 slide stride 2, 21x19, 53 channels, residual", [1, 53, 21, 19], 53, [3, 3], Group: 53, Strides: [2, 2], Pads: [1, 1, 1, 1], Residual: true),
        new("3x3 slide stride 2, pads 0/1, 24 channels, clip", [1, 24, 18, 26], 24, [3, 3], Group: 24, Strides: [2, 2], Pads: [0, 0, 1, 1],
            Activation: "Clip", ClipMin: -0.2f, ClipMax: 0.3f),
        new("3x3 dilation 2 stride 1, 19x21, 33 channels", [1, 33, 19, 21], 33, [3, 3], Group: 33, Dilations: [2, 2], Pads: [2, 2, 2, 2]),
        new("5x5 slide stride 2, 27x31, 61 channels, relu", [1, 61, 27, 31], 61, [5, 5], Group: 61, Strides: [2, 2], Pads: [2, 2, 2, 2], Activation: "Relu"),
        new("5x5 slide stride 2, pads 1/2, 20 channels, no bias", [1, 20, 16, 30], 20, [5, 5], Group: 20, Strides: [2, 2], Pads: [1, 1, 2, 2], Bias: false),
        new("7x7 slide stride 2, 25x35, 35 channels, residual", [1, 35, 25, 35], 35, [7, 7], Group: 35, Strides: [2, 2], Pads: [3, 3, 3, 3], Residual: true),
        new("7x7 slide stride 1, 11x23, 77 channels, clip", [1, 77, 11, 23], 77, [7, 7], Group: 77, Pads: [3, 3, 3, 3],
            Activation: "Clip", ClipMin: -0.4f, ClipMax: 0.4f),
        new("5x5 dilation 2 stride 2, 29x33, 18 channels", [1, 18, 29, 33], 18, [5, 5], Group: 18, Strides: [2, 2], Dilations: [2, 2], Pads: [4, 4, 4, 4]),
    ];

    public static IEnumerable<object[]> Names() => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesReferenceOnEveryIsaBatchAndThreadCount(string name)
    {
        ChannelsLastConvKernelCheck.MatchesReferenceOnEveryIsa<DepthwiseConvKernel>(Cases.Single(c => c.Name == name), 1, 4);
    }
}
