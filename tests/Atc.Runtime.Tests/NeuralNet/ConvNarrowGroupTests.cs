using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// The direct kernel for channels-last convs whose groups have few output channels (<see cref="ConvNarrowGroupKernel"/>)
/// against the scalar reference: group widths 8 (RegNet), 4, 12, 24, 40 and odd ones (the last lanes of a vector),
/// groups of 8 and 4 sharing AVX-512 vectors (<see cref="NarrowGroupPairs512{TPack,TPixels}"/>) and not (odd counts),
/// groups 2/3/4/6/8/13, strides 1 and 2, asymmetric pads, dilation, 1-D, ungrouped convs with few outputs, bias /
/// residual / Relu / Clip, batch 1 and 4, 1 and 2 threads, every ISA. Then the cost model's choice by shape.
/// </summary>
[Collection("NeuralNet")]
public class ConvNarrowGroupTests
{
    private static readonly ConvCase[] Cases =
    [
        new("group width 8, 6 groups, pad 1, relu", [1, 48, 11, 13], 48, [3, 3], Group: 6, Pads: [1, 1, 1, 1], Activation: "Relu"),
        new("group width 8 stride 2", [1, 24, 15, 19], 24, [3, 3], Group: 3, Strides: [2, 2], Pads: [1, 1, 1, 1], Activation: "Relu"),
        new("2 groups of 4", [1, 8, 9, 10], 8, [3, 3], Group: 2, Pads: [1, 1, 1, 1]),
        // Groups of 8 or 4 in even / fourfold counts share AVX-512 vectors (NarrowGroupPairs512); odd counts do not.
        new("4 groups of 8 stride 2, residual, clip", [1, 32, 13, 17], 32, [3, 3], Group: 4, Strides: [2, 2], Pads: [1, 1, 1, 1],
            Residual: true, Activation: "Clip", ClipMin: -0.2f, ClipMax: 0.3f),
        new("8 groups of 4, dilated, asymmetric pads, no bias", [1, 32, 10, 19], 32, [3, 3], Group: 8, Dilations: [2, 2], Pads: [2, 1, 1, 2], Bias: false),
        new("13 groups of 8 (odd count)", [1, 104, 6, 9], 104, [3, 3], Group: 13, Pads: [1, 1, 1, 1]),
        new("4 groups of 12, residual", [1, 48, 7, 9], 48, [3, 3], Group: 4, Pads: [1, 1, 1, 1], Residual: true),
        new("3 groups of 5 (odd width), clip, no bias", [1, 15, 8, 11], 15, [3, 3], Group: 3, Pads: [1, 1, 1, 1], Bias: false,
            Activation: "Clip", ClipMin: -0.3f, ClipMax: 0.4f),
        new("2 groups of 24", [1, 48, 6, 17], 48, [3, 3], Group: 2, Pads: [1, 1, 1, 1], Activation: "Relu"),
        new("2 groups of 40, stride 2", [1, 80, 9, 9], 80, [3, 3], Group: 2, Strides: [2, 2], Pads: [1, 1, 1, 1]),
        new("3 in, 8 out per group", [1, 6, 10, 12], 16, [3, 3], Group: 2, Pads: [1, 1, 1, 1]),
        new("dilated, asymmetric pads", [1, 32, 12, 14], 32, [3, 3], Group: 4, Dilations: [2, 2], Pads: [2, 1, 0, 3]),
        new("stride 2x1, 3x5 kernel, asymmetric pads", [1, 16, 13, 20], 16, [3, 5], Group: 2, Strides: [2, 1], Pads: [0, 2, 1, 1]),
        new("grouped pointwise", [1, 32, 5, 7], 32, [1, 1], Group: 4, Residual: true, Activation: "Relu"),
        new("1-D grouped", [1, 24, 40], 24, [5], Group: 3, Strides: [2], Pads: [2, 1]),
        new("16 outputs, one group, stride 2", [1, 16, 32, 32], 16, [3, 3], Strides: [2, 2], Pads: [1, 1, 1, 1], Activation: "Relu"),
        new("24 outputs, one group, stride 2", [1, 16, 11, 23], 24, [3, 3], Strides: [2, 2], Pads: [1, 1, 1, 1]),
        new("10 outputs, 7 inputs, 5x5, asymmetric pads", [1, 7, 9, 15], 10, [5, 5], Pads: [2, 1, 1, 3], Residual: true, Activation: "Relu"),
    ];

    public static IEnumerable<object[]> Names() => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesReferenceOnEveryIsaBatchAndThreadCount(string name)
    {
        ChannelsLastConvKernelCheck.MatchesReferenceOnEveryIsa<ConvNarrowGroupKernel>(Cases.Single(c => c.Name == name), 1, 4);
    }

    private static ConvGeometry Geometry(int channels, int outChannels, int groups, int k, int stride = 1) => new()
    {
        Batch = 1, InChannels = channels, OutChannels = outChannels, Groups = groups, ChannelsLast = true, SpatialRank = 2,
        InH = 28, InW = 28, OutH = 28 / stride, OutW = 28 / stride, KH = k, KW = k, SH = stride, SW = stride,
        PH = k / 2, PW = k / 2,
    };

    [Theory]
    [InlineData(104, 104, 13, 3, 1)]   // RegNet's group width 8
    [InlineData(48, 48, 6, 3, 2)]
    [InlineData(64, 64, 2, 3, 1)]      // group width 32
    [InlineData(16, 16, 1, 3, 2)]      // few outputs
    [InlineData(32, 24, 1, 3, 2)]
    public void CostModelPrefersTheDirectKernelForNarrowGroups(int channels, int outChannels, int groups, int k, int stride)
    {
        Assert.True(ConvKernelCostModel.PrefersNarrowGroupDirect(Geometry(channels, outChannels, groups, k, stride)));
    }

    [Theory]
    [InlineData(256, 256, 2, 3, 1)]    // group width 128: GEMM-shaped
    [InlineData(256, 16, 1, 3, 2)]     // few outputs but a long K run per tap
    [InlineData(64, 64, 1, 3, 2)]      // ungrouped, many outputs
    [InlineData(32, 16, 1, 1, 1)]      // ungrouped pointwise: a plain GEMM
    public void CostModelKeepsTheGemmForWideGroupsAndLongRuns(int channels, int outChannels, int groups, int k, int stride)
    {
        Assert.False(ConvKernelCostModel.PrefersNarrowGroupDirect(Geometry(channels, outChannels, groups, k, stride)));
    }
}
