using Atc.Runtime.Operators;

namespace Atc.Tests.NeuralNet;

/// <summary>Seeded random Conv configurations against the reference: shapes no hand-written case thought of.</summary>
[Collection("NeuralNet")]
public class ConvFuzzTests
{
    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 60).Select(s => new object[] { s });

    private static ConvCase RandomCase(int seed)
    {
        var r = new Random(seed);
        int rank = r.Next(10) < 7 ? 2 : r.Next(2) == 0 ? 1 : 3;
        int group = new[] { 1, 1, 1, 2, 3 }[r.Next(5)];
        bool depthwise = r.Next(5) == 0;
        int channels = depthwise ? r.Next(1, 40) : group * r.Next(1, 20);
        if (depthwise) group = channels;
        int outChannels = depthwise ? channels * r.Next(1, 3) : group * r.Next(1, 24);
        var kernel = new int[rank];
        var strides = new int[rank];
        var dilations = new int[rank];
        var input = new int[rank];
        var pads = new int[2 * rank];
        for (int i = 0; i < rank; i++)
        {
            kernel[i] = r.Next(1, rank == 3 ? 4 : 6);
            strides[i] = r.Next(1, 4);
            dilations[i] = r.Next(4) == 0 ? 2 : 1;
            int extent = (kernel[i] - 1) * dilations[i] + 1;
            input[i] = extent + r.Next(0, rank == 3 ? 5 : 14);
            pads[i] = r.Next(0, kernel[i]);
            pads[rank + i] = r.Next(0, kernel[i]);
        }
        string autoPad = new[] { "NOTSET", "NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID" }[r.Next(6)];
        string activation = new[] { "", "Relu", "Clip" }[r.Next(3)];
        return new ConvCase($"seed {seed}", [r.Next(1, 3), channels, .. input], outChannels, kernel, group, strides, dilations,
            autoPad == "NOTSET" ? pads : null, autoPad, Bias: r.Next(3) != 0, Residual: r.Next(3) == 0,
            Activation: activation, ClipMin: -0.3f, ClipMax: 0.4f);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomConfigurationMatchesReference(int seed)
    {
        var c = RandomCase(seed);
        var r = new Random(seed + 1000);
        bool channelsLast = r.Next(2) == 0, constant = r.Next(3) != 0;
        var (inputs, attrs, expected, dims) = ConvTests.Build(c, channelsLast, constant);
        var (actual, actualDims) = OpRunner.Run(OpTypes.Conv, attrs, inputs, threads: 1 + r.Next(2));
        Assert.Equal(dims, actualDims);
        TensorAssert.Close(expected, actual, what: $"{c} {(channelsLast ? "NHWC" : "NCHW")} k{string.Join("x", c.Kernel)} g{c.Group}");
    }
}
