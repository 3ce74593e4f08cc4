using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// The channels-last indirect GEMM (<see cref="ConvNhwcKernel"/>) on shapes the tuned zoo lacked, against the scalar
/// reference: DeepLab's dilated 3x3 (dilation 2, 4, 6, 12 with pad = dilation, up to pads above the 16x16 map, where
/// <see cref="ConvRowBands"/> leaves out the kernel rows in the padding), pads so large that whole output rows read
/// only padding, stride 2 with 16 and 32 channels, batch 1 and 4, 1 and 2 threads, every ISA. Then the band plan.
/// </summary>
[Collection("NeuralNet")]
public class ConvIndirectGemmTests
{
    private static readonly ConvCase[] Cases =
    [
        new("dilation 2, 16x16", [1, 32, 16, 16], 32, [3, 3], Dilations: [2, 2], Pads: [2, 2, 2, 2], Activation: "Relu"),
        new("dilation 4, 16x16, residual", [1, 32, 16, 16], 32, [3, 3], Dilations: [4, 4], Pads: [4, 4, 4, 4], Residual: true),
        new("dilation 6, 16x16, clip", [1, 40, 16, 16], 32, [3, 3], Dilations: [6, 6], Pads: [6, 6, 6, 6],
            Activation: "Clip", ClipMin: -0.3f, ClipMax: 0.4f),
        new("dilation 12, pad above the map", [1, 32, 16, 16], 40, [3, 3], Dilations: [12, 12], Pads: [12, 12, 12, 12]),
        new("dilation 12 on 8x8, no bias", [1, 600, 8, 8], 32, [3, 3], Dilations: [12, 12], Pads: [12, 12, 12, 12], Bias: false),
        new("rows of padding only, relu", [1, 32, 6, 7], 32, [3, 3], Dilations: [1, 2], Pads: [4, 2, 5, 2], Activation: "Relu"),
        new("stride 2, 16 to 32", [1, 16, 30, 34], 32, [3, 3], Strides: [2, 2], Pads: [1, 1, 1, 1], Activation: "Relu"),
        new("stride 2, 32 to 64", [1, 32, 18, 22], 64, [3, 3], Strides: [2, 2], Pads: [1, 1, 1, 1]),
        new("9x9, 32 to 32 on a small map", [1, 32, 10, 12], 32, [9, 9], Pads: [4, 4, 4, 4]),
    ];

    public static IEnumerable<object[]> Names() => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesReferenceOnEveryIsaBatchAndThreadCount(string name)
    {
        ChannelsLastConvKernelCheck.MatchesReferenceOnEveryIsa<ConvNhwcKernel>(Cases.Single(c => c.Name == name), 1, 4);
    }

    private static ConvGeometry Geometry(int size, int dilation, int pad, int channels = 128) => new()
    {
        Batch = 1, InChannels = channels, OutChannels = 64, ChannelsLast = true, SpatialRank = 2,
        InH = size, InW = size, OutH = size + 2 * pad - 2 * dilation, OutW = size + 2 * pad - 2 * dilation,
        KH = 3, KW = 3, DH = dilation, DW = dilation, PH = pad, PW = pad,
    };

    [Fact]
    public void BandsLeaveOutTheKernelRowsInThePadding()
    {
        // Dilation 12 on 16x16: rows 0-3 read kernel rows 1-2, rows 4-11 row 1 only, rows 12-15 rows 0-1.
        var plan = ConvRowBands.Plan(Geometry(16, 12, 12))!;
        Assert.NotNull(plan);
        int rowK = 3 * 128;
        Assert.Equal([0, rowK, 2 * rowK, 3 * rowK], plan.KStarts);
        Assert.Equal((0, 4), (plan.BandOf(2).FirstRow, plan.BandOf(2).EndRow));
        Assert.Equal([rowK, 2 * rowK, 3 * rowK], plan.BandOf(2).KStarts);
        Assert.Equal([rowK, 2 * rowK], plan.BandOf(4).KStarts);
        Assert.Equal((4, 12), (plan.BandOf(11).FirstRow, plan.BandOf(11).EndRow));
        Assert.Equal([0, rowK, 2 * rowK], plan.BandOf(15).KStarts);
    }

    [Fact]
    public void BandsAreLeftOutWhereTheyWouldSaveLittle()
    {
        Assert.Null(ConvRowBands.Plan(Geometry(56, 1, 1)));    // a ResNet 3x3: 2 of 56 rows lose one kernel row
        Assert.NotNull(ConvRowBands.Plan(Geometry(16, 4, 4)));  // 8 of 16 rows lose one of three kernel rows
    }
}
