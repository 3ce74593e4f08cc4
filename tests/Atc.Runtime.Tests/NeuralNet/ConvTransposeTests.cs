using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Tests.NeuralNet;

[Collection("NeuralNet")]
public class ConvTransposeTests
{
    /// <summary>Channels-first X, output channels per group, kernel, group, strides, dilations, pads, output_padding,
    /// output_shape, auto_pad.</summary>
    public sealed record Case(string Name, int[] X, int OutPerGroup, int[] Kernel, int Group = 1, int[]? Strides = null,
        int[]? Dilations = null, int[]? Pads = null, int[]? OutputPadding = null, int[]? OutputShape = null, string AutoPad = "NOTSET");

    private static readonly Case[] All =
    [
        new("3x3 stride 2 pad 1 output_padding 1", [2, 5, 4, 5], 7, [3, 3], Strides: [2, 2], Pads: [1, 1, 1, 1], OutputPadding: [1, 1]),
        new("4x4 stride 2 (upsampling)", [1, 8, 6, 6], 4, [4, 4], Strides: [2, 2], Pads: [1, 1, 1, 1]),
        new("groups and dilation", [1, 6, 5, 4], 2, [3, 2], Group: 3, Dilations: [2, 1], Pads: [0, 1, 1, 0]),
        new("output_shape", [1, 3, 4, 4], 2, [3, 3], Strides: [2, 2], OutputShape: [8, 9]),
        new("SAME_UPPER", [1, 3, 5, 4], 2, [3, 3], Strides: [2, 2], AutoPad: "SAME_UPPER"),
        new("SAME_LOWER", [1, 3, 5, 4], 2, [4, 3], Strides: [2, 2], AutoPad: "SAME_LOWER"),
        new("1-D", [2, 4, 9], 3, [5], Strides: [3], Pads: [2, 1]),
        new("3-D", [1, 3, 3, 4, 3], 2, [2, 3, 2], Strides: [2, 1, 2], Pads: [0, 1, 0, 1, 0, 1]),
        new("many channels", [1, 40, 9, 9], 50, [3, 3], Pads: [1, 1, 1, 1]),
        // Large enough that tasks also own bands of input rows (taps of different rows never meet).
        new("2x2 stride 2, 16 channels (row bands)", [1, 32, 24, 24], 16, [2, 2], Strides: [2, 2]),
        new("stride above the kernel (row bands, untouched outputs)", [1, 16, 20, 20], 8, [2, 2], Strides: [3, 3], OutputPadding: [2, 2]),
        new("3-D row bands across depth slices", [1, 8, 4, 10, 10], 4, [2, 2, 2], Strides: [2, 2, 2]),
        new("groups with row bands", [1, 16, 24, 24], 4, [2, 2], Group: 2, Strides: [2, 2], Pads: [1, 0, 0, 1]),
    ];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Case> AllCases = new(All.ToDictionary(c => c.Name));

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 30).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomConfigurationMatchesReference(int seed)
    {
        var r = new Random(seed);
        int rank = r.Next(10) < 7 ? 2 : r.Next(2) == 0 ? 1 : 3;
        int group = new[] { 1, 1, 2, 3 }[r.Next(4)];
        int[] kernel = new int[rank], strides = new int[rank], dilations = new int[rank], input = new int[rank], pads = new int[2 * rank], outputPadding = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            kernel[i] = r.Next(1, 5);
            strides[i] = r.Next(1, 4);
            dilations[i] = r.Next(4) == 0 ? 2 : 1;
            input[i] = r.Next(1, rank == 3 ? 5 : 9);
            pads[i] = r.Next(0, kernel[i]);
            pads[rank + i] = r.Next(0, kernel[i]);
            outputPadding[i] = r.Next(0, Math.Max(strides[i], dilations[i]));
            // Keep at least one output: the full size minus the pads.
            int full = strides[i] * (input[i] - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1;
            if (full - pads[i] - pads[rank + i] < 1) pads[i] = pads[rank + i] = 0;
        }
        string autoPad = new[] { "NOTSET", "NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER" }[r.Next(5)];
        var c = new Case($"seed {seed}", [r.Next(1, 3), group * r.Next(1, 5), .. input], r.Next(1, 6), kernel, group, strides, dilations,
            autoPad == "NOTSET" ? pads : null, autoPad == "NOTSET" ? outputPadding : null, AutoPad: autoPad);
        AllCases[c.Name] = c;
        MatchesReference(c.Name, r.Next(2) == 0 ? "NCHW" : "NHWC", r.Next(2) == 0);
    }

    public static IEnumerable<object[]> Cases() =>
        from c in All
        from layout in new[] { "NCHW", "NHWC" }
        from constant in new[] { true, false }
        select new object[] { c.Name, layout, constant };

    private static (int[] Begin, int[] Output) Resolve(Case c)
    {
        int r = c.Kernel.Length;
        int[] begin = new int[r], output = new int[r];
        for (int i = 0; i < r; i++)
        {
            int s = c.Strides?[i] ?? 1, d = c.Dilations?[i] ?? 1, op = c.OutputPadding?[i] ?? 0, input = c.X[2 + i];
            int natural = s * (input - 1) + op + (c.Kernel[i] - 1) * d + 1;
            if (c.OutputShape is not null || c.AutoPad != "NOTSET")
            {
                output[i] = c.OutputShape?[i] ?? input * s;
                int total = natural - output[i];
                begin[i] = c.AutoPad == "SAME_UPPER" ? FloorHalf(total) : total - FloorHalf(total); // ONNX: Python floor division
            }
            else
            {
                begin[i] = c.Pads?[i] ?? 0;
                output[i] = natural - begin[i] - (c.Pads?[r + i] ?? 0);
            }
        }
        return (begin, output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReference(string name, string layout, bool constant)
    {
        var c = AllCases[name];
        int r = c.Kernel.Length;
        int[] wDims = [c.X[1], c.OutPerGroup, .. c.Kernel];
        int outChannels = c.OutPerGroup * c.Group;
        var x = TestData.Random(51, TestData.Count(c.X));
        var w = TestData.Random(52, TestData.Count(wDims));
        var b = TestData.Random(53, outChannels);
        var (begin, output) = Resolve(c);
        int[] strides = c.Strides ?? Enumerable.Repeat(1, r).ToArray(), dilations = c.Dilations ?? Enumerable.Repeat(1, r).ToArray();
        var expected = Reference.ConvTranspose(x, c.X, w, wDims, b, c.Group, strides, dilations, begin, output);
        int[] yDims = [c.X[0], outChannels, .. output];

        var attrs = new OpAttributes().Set("group", c.Group).Set("layout", layout).Set("auto_pad", c.AutoPad)
            .Set("strides", strides.Select(v => (long)v).ToArray()).Set("dilations", dilations.Select(v => (long)v).ToArray());
        if (c.Pads is not null) attrs.Set("pads", c.Pads.Select(v => (long)v).ToArray());
        if (c.OutputPadding is not null) attrs.Set("output_padding", c.OutputPadding.Select(v => (long)v).ToArray());
        if (c.OutputShape is not null) attrs.Set("output_shape", c.OutputShape.Select(v => (long)v).ToArray());
        bool last = layout == "NHWC";
        TestInput?[] inputs =
        [
            new(last ? TestData.ChannelsLastDims(c.X) : c.X, last ? TestData.ToChannelsLast(x, c.X) : x),
            new(wDims, w, constant),
            new([outChannels], b, constant),
        ];
        var (actual, dims) = OpRunner.Run(OpTypes.ConvTranspose, attrs, inputs);
        Assert.Equal(last ? TestData.ChannelsLastDims(yDims) : yDims, dims);
        TensorAssert.Close(last ? ConvTests.Transposed(expected, yDims) : expected, actual, what: name);
        Assert.Equal(actual, OpRunner.Run(OpTypes.ConvTranspose, attrs, inputs, threads: 2).Data);
    }

    [Fact]
    public void ChannelMismatchIsAShapeError()
    {
        var e = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.ConvTranspose, new OpAttributes(),
            new TestInput([1, 4, 5, 5], new float[100]), new TestInput([3, 2, 3, 3], new float[54], true)));
        Assert.Contains("channel mismatch", e.Message);
    }

    [Fact]
    public void OutputPaddingMustBeSmallerThanStride()
    {
        var e = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.ConvTranspose,
            new OpAttributes().Set("output_padding", new long[] { 2, 2 }).Set("strides", new long[] { 2, 2 }),
            new TestInput([1, 3, 5, 5], new float[75]), new TestInput([3, 2, 3, 3], new float[54], true)));
        Assert.Contains("output_padding", e.Message);
    }

    private static int FloorHalf(int total) => (int)Math.Floor(total / 2.0);
}
