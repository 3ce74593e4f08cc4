using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// The direct convolution vectorised over output pixels for ungrouped convs with 1-4 output channels (<see
/// cref="ConvPixelVectorKernel"/>) against the scalar reference, in both layouts: a style-transfer net's 16→3 9x9
/// output conv, 7x7 and 5x5 kernels, dilation 2 to 12 with pads as large as or larger than the map, stride 2 along
/// the height, rows narrower and wider than a tile, 1-D, bias / residual / Relu / Clip, batch 1 and 4, 1 and 2
/// threads, every ISA. Then which convs the cost model gives it.
/// </summary>
[Collection("NeuralNet")]
public class ConvPixelVectorTests
{
    private static readonly ConvCase[] Cases =
    [
        new("16 to 3, 9x9 (style transfer output)", [1, 16, 30, 70], 3, [9, 9], Pads: [4, 4, 4, 4]),
        new("16 to 3, 9x9 unpadded", [1, 16, 20, 44], 3, [9, 9]),
        new("3 to 1, 7x7 stem-like, relu", [1, 3, 23, 41], 1, [7, 7], Pads: [3, 3, 3, 3], Activation: "Relu"),
        new("8 to 4, dilation 2, residual", [1, 8, 16, 16], 4, [3, 3], Dilations: [2, 2], Pads: [2, 2, 2, 2], Residual: true),
        new("8 to 2, dilation 6, clip", [1, 8, 16, 16], 2, [3, 3], Dilations: [6, 6], Pads: [6, 6, 6, 6],
            Activation: "Clip", ClipMin: -0.3f, ClipMax: 0.4f),
        new("5 to 3, dilation 12, pad above the map", [1, 5, 16, 16], 3, [3, 3], Dilations: [12, 12], Pads: [12, 12, 12, 12]),
        new("6 to 4, stride 2 along the height, asymmetric pads", [1, 6, 17, 33], 4, [3, 5], Strides: [2, 1], Pads: [1, 2, 0, 1]),
        new("24 to 3, 5x5, rows wider than a tile, no bias", [1, 24, 5, 131], 3, [5, 5], Pads: [2, 2, 2, 2], Bias: false),
        new("1-D, 10 to 2", [1, 10, 77], 2, [7], Dilations: [2], Pads: [6, 6]),
        new("17 channels (not a multiple of 8), 3x3", [1, 17, 9, 19], 4, [3, 3], Pads: [1, 1, 1, 1]),
    ];

    public static IEnumerable<object[]> Names() => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesReferenceInBothLayoutsOnEveryIsaBatchAndThreadCount(string name)
    {
        var single = Cases.Single(c => c.Name == name);
        foreach (bool channelsLast in new[] { true, false })
            foreach (int batch in new[] { 1, 4 })
            {
                var c = single with { X = [batch, .. single.X[1..]] };
                var (inputs, attrs, expected, dims) = ConvTests.Build(c, channelsLast, constantWeights: true);
                foreach (var isa in new Isa?[] { null, Isa.Avx2, Isa.Portable })
                {
                    Assert.IsType<ConvPixelVectorKernel>(ChannelsLastConvKernelCheck.CreateKernel(attrs, inputs, isa));
                    foreach (int threads in new[] { 1, 2 })
                    {
                        var (actual, actualDims) = OpRunner.Run(OpTypes.Conv, attrs, inputs, threads, isa);
                        Assert.Equal(dims, actualDims);
                        TensorAssert.Close(expected, actual,
                            what: $"channelsLast={channelsLast} batch={batch} isa={isa?.ToString() ?? "best"} threads={threads}");
                    }
                }
            }
    }

    private static ConvGeometry Geometry(int channels, int outChannels, int k, int stride = 1, int groups = 1, int width = 28) => new()
    {
        Batch = 1, InChannels = channels, OutChannels = outChannels, Groups = groups, ChannelsLast = true, SpatialRank = 2,
        InH = 28, InW = width, OutH = 28 / stride, OutW = width / stride, KH = k, KW = k, SH = stride, SW = stride,
        PH = k / 2, PW = k / 2,
    };

    [Theory]
    [InlineData(16, 3, 9)]
    [InlineData(64, 1, 3)]
    [InlineData(3, 4, 7)]
    public void CostModelPrefersPixelVectorsForFewOutputChannels(int channels, int outChannels, int k)
    {
        Assert.True(ConvKernelCostModel.PrefersPixelVectors(Geometry(channels, outChannels, k)));
    }

    [Fact]
    public void CostModelKeepsOtherKernelsElsewhere()
    {
        Assert.False(ConvKernelCostModel.PrefersPixelVectors(Geometry(16, 5, 3)));              // more than one block of channels
        Assert.False(ConvKernelCostModel.PrefersPixelVectors(Geometry(16, 3, 1)));              // pointwise: a GEMM
        Assert.False(ConvKernelCostModel.PrefersPixelVectors(Geometry(16, 3, 3, stride: 2)));   // stride along the width
        Assert.False(ConvKernelCostModel.PrefersPixelVectors(Geometry(8, 4, 3, groups: 2)));    // grouped
        Assert.False(ConvKernelCostModel.PrefersPixelVectors(Geometry(16, 3, 3, width: 4)));    // rows narrower than a tile
    }
}
