using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Quantized;

/// <summary>
/// ConvInteger and QLinearConv against ONNX Runtime: padding (filled with x's zero point), strides, dilations, groups
/// and depthwise, 1-D and 2-D, per-tensor and per-output-channel weight parameters, zero points at the extremes, the
/// int32 bias. Outputs must be equal exactly.
/// </summary>
public class QuantizedConvDifferentialTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, (int[] X, int[] W, (string, object)[] Attributes)> Shapes = new()
    {
        ["3x3_pad1"] = ([2, 3, 9, 9], [4, 3, 3, 3], [("pads", new long[] { 1, 1, 1, 1 })]),
        ["stride2_dilation2"] = ([1, 5, 11, 10], [6, 5, 3, 2], [("strides", new long[] { 2, 2 }), ("dilations", new long[] { 2, 1 }), ("pads", new long[] { 2, 0, 1, 1 })]),
        ["grouped"] = ([1, 6, 7, 7], [9, 2, 3, 3], [("group", 3L), ("auto_pad", "SAME_UPPER")]),
        ["depthwise"] = ([1, 8, 10, 10], [8, 1, 3, 3], [("group", 8L), ("pads", new long[] { 1, 1, 1, 1 })]),
        ["pointwise_wide"] = ([1, 40, 6, 6], [33, 40, 1, 1], []),
        ["conv1d"] = ([2, 4, 17], [5, 4, 5], [("pads", new long[] { 2, 2 }), ("strides", new long[] { 3 })]),
    };

    public static TheoryData<string, string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var shape in Shapes.Keys)
            foreach (var (x, w) in new[] { ("uint8", "uint8"), ("uint8", "int8"), ("int8", "int8") })
                foreach (bool perChannel in new[] { false, true })
                    data.Add(shape, x, w, perChannel);
        return data;
    }

    private static TensorData Bytes(DataType type, int[] dims, int seed)
    {
        var values = new byte[Shape.ElementCount(dims)];
        new Random(seed).NextBytes(values);
        return TensorData.FromArray(type, dims, values);
    }

    private static TensorData Zero(DataType type, int[] values) => type == DataType.Int8
        ? TensorData.FromArray(type, values.Length == 1 ? [] : [values.Length], Array.ConvertAll(values, v => (sbyte)v))
        : TensorData.FromArray(type, values.Length == 1 ? [] : [values.Length], Array.ConvertAll(values, v => (byte)v));

    private static DataType TypeOf(string name) => name == "int8" ? DataType.Int8 : DataType.UInt8;

    private static int Extreme(DataType type, bool high) => type == DataType.Int8 ? (high ? 127 : -128) : (high ? 255 : 0);

    [Theory]
    [MemberData(nameof(Cases))]
    public void QLinearConv_matches(string shape, string xType, string wType, bool perChannel)
    {
        var (xDims, wDims, attributes) = Shapes[shape];
        var tx = TypeOf(xType); var tw = TypeOf(wType);
        int outChannels = wDims[0], depth = wDims[1..].Aggregate(1, (a, b) => a * b);
        var test = new QuantizedCase("QLinearConv", 10).Feed("x", Bytes(tx, xDims, 21))
            .Weight("x_scale", TensorData.Scalar(0.05f)).Weight("x_zp", Zero(tx, [Extreme(tx, true) - 3]))
            .Weight("w", Bytes(tw, wDims, 22));
        if (perChannel)
        {
            test.Weight("w_scale", TensorData.Float([outChannels], [.. Enumerable.Range(0, outChannels).Select(o => 0.002f + 0.0007f * (o % 4))]));
            // ONNX Runtime wants int8 weights symmetric per channel (zero points 0). Weight zero points near the middle
            // keep the outputs spread (the extremes are in ConvInteger's and the matmuls' tests).
            test.Weight("w_zp", Zero(tw, [.. Enumerable.Range(0, outChannels).Select(o => tw == DataType.Int8 ? 0 : 120 + 3 * (o % 4))]));
        }
        else test.Weight("w_scale", TensorData.Scalar(0.003f)).Weight("w_zp", Zero(tw, [tw == DataType.Int8 ? 0 : 128]));
        test.Weight("y_scale", TensorData.Scalar(0.05f * 0.003f * 64f * MathF.Sqrt(depth) / 3f)).Weight("y_zp", Zero(tx, [Extreme(tx, false) + 100]));
        test.Weight("B", TensorData.FromArray(DataType.Int32, [outChannels], Enumerable.Range(0, outChannels).Select(o => (o - 2) * 997).ToArray()));
        foreach (var (name, value) in attributes) test.Attribute(name, value);
        var (ours, ort) = test.Outputs(tx).Run();
        var comparison = TensorCompare.AllClose(ours[0], ort[0], 0, 0);
        output.WriteLine($"QLinearConv {shape} {xType} x {wType} per channel {perChannel}: {comparison}");
        Assert.Equal(ort[0].Dims, ours[0].Dims);
        Assert.True(comparison.Within, comparison.ToString());
        Assert.True(ours[0].Bytes.ToArray().Distinct().Count() > 2, "the outputs should spread over the range");
    }

    /// <summary>The portable and plain AVX2 int8 paths (the CPU's best is what the other cases run) on the shapes
    /// with padding, strides, groups and a pointwise conv read in place.</summary>
    [Theory]
    [InlineData(nameof(Isa.Portable), "3x3_pad1")]
    [InlineData(nameof(Isa.Portable), "pointwise_wide")]
    [InlineData(nameof(Isa.Avx2), "stride2_dilation2")]
    [InlineData(nameof(Isa.Avx2), "pointwise_wide")]
    [InlineData(nameof(Isa.Avx2), "grouped")]
    public void QLinearConv_matches_on_the_slower_paths(string isa, string shape)
    {
        try
        {
            KernelIsa.Override = Enum.Parse<Isa>(isa);
            QLinearConv_matches(shape, "uint8", "int8", perChannel: true);
            QLinearConv_matches(shape, "int8", "int8", perChannel: false);
        }
        finally
        {
            KernelIsa.Override = null;
        }
    }

    // ONNX Runtime's ConvInteger takes per-tensor weight zero points only (per channel is covered by QLinearConv).
    public static TheoryData<string, string, string, bool> ConvIntegerCases()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var row in Cases())
            if (!(bool)row[3]) data.Add((string)row[0], (string)row[1], (string)row[2], false);
        return data;
    }

    [Theory]
    [MemberData(nameof(ConvIntegerCases))]
    public void ConvInteger_matches(string shape, string xType, string wType, bool perChannel)
    {
        var (xDims, wDims, attributes) = Shapes[shape];
        var tx = TypeOf(xType); var tw = TypeOf(wType);
        int outChannels = wDims[0];
        var test = new QuantizedCase("ConvInteger", 10).Feed("x", Bytes(tx, xDims, 31)).Weight("w", Bytes(tw, wDims, 32))
            .Weight("x_zp", Zero(tx, [Extreme(tx, true)]))
            .Weight("w_zp", perChannel ? Zero(tw, [.. Enumerable.Range(0, outChannels).Select(o => Extreme(tw, o % 2 == 0))]) : Zero(tw, [Extreme(tw, false)]));
        foreach (var (name, value) in attributes) test.Attribute(name, value);
        var (ours, ort) = test.Outputs(DataType.Int32).Run();
        var comparison = TensorCompare.AllClose(ours[0], ort[0], 0, 0);
        output.WriteLine($"ConvInteger {shape} {xType} x {wType} per channel {perChannel}: {comparison}");
        Assert.True(comparison.Within, comparison.ToString());
    }
}
