using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Quantized;

/// <summary>
/// QLinearConv run channels last (the compiler's LayoutPropagation turns eligible int8 convs NHWC;
/// QuantizedConvNhwcKernel): every output equal to a scalar evaluation of ONNX's QLinearConv formula
/// (saturate(round_half_even(Σ (x - zx)(w - zw[o]) + B[o]) · x_scale · w_scale[o] / y_scale) + y_zp)) and to ONNX
/// Runtime, on the AVX-VNNI (when present), AVX2 and portable paths: uint8/int8 activations, per-tensor and
/// per-channel weights, uint8 weights with zero point 128, zero points != 0, strides 1 and 2, padding, dilation,
/// groups, depthwise (40 channels: a 16-channel tail), channel counts that are not multiples of 4 or 16 (the RGB
/// stem), 1x1 convs and batch 4. A grouped conv with one input channel per group and a channel multiplier keeps the
/// channels-first kernel.
/// </summary>
public class QuantizedConvChannelsLastTests(ITestOutputHelper output)
{
    private sealed record ConvShape(int[] X, int[] W, int Group, long[] Strides, long[] Dilations, long[] Pads, bool ChannelsLast);

    private static readonly Dictionary<string, ConvShape> Shapes = new()
    {
        ["stem_7x7_s2"] = new([1, 3, 23, 21], [16, 3, 7, 7], 1, [2, 2], [1, 1], [3, 3, 3, 3], true),
        ["odd_channels_3x3"] = new([2, 5, 9, 9], [33, 5, 3, 3], 1, [1, 1], [1, 1], [1, 1, 1, 1], true),
        ["stride2_dilation"] = new([1, 8, 12, 11], [20, 8, 3, 2], 1, [2, 2], [2, 1], [2, 0, 1, 1], true),
        ["pointwise_batch4"] = new([4, 16, 7, 5], [24, 16, 1, 1], 1, [1, 1], [1, 1], [0, 0, 0, 0], true),
        ["pointwise_s2"] = new([1, 32, 9, 9], [16, 32, 1, 1], 1, [2, 2], [1, 1], [0, 0, 0, 0], true),
        ["grouped"] = new([1, 16, 6, 6], [32, 8, 3, 3], 2, [1, 1], [1, 1], [1, 1, 1, 1], true),
        ["grouped_odd"] = new([1, 12, 5, 7], [16, 6, 3, 3], 2, [2, 1], [1, 1], [1, 0, 1, 2], true),
        ["depthwise"] = new([1, 40, 10, 9], [40, 1, 3, 3], 40, [1, 1], [1, 1], [1, 1, 1, 1], true),
        ["depthwise_5x5_s2"] = new([2, 32, 11, 11], [32, 1, 5, 5], 32, [2, 2], [1, 1], [2, 2, 2, 2], true),
        ["depthwise_dilated"] = new([1, 16, 9, 9], [16, 1, 3, 3], 16, [1, 1], [2, 2], [2, 2, 2, 2], true),
        ["channel_multiplier"] = new([1, 4, 8, 8], [8, 1, 3, 3], 4, [1, 1], [1, 1], [1, 1, 1, 1], false),
    };

    /// <summary>(x type, w type, per channel): ONNX Runtime takes per-channel weights only as int8 with zero points 0.</summary>
    private static readonly (DataType X, DataType W, bool PerChannel)[] Types =
        [(DataType.UInt8, DataType.Int8, true), (DataType.Int8, DataType.Int8, false), (DataType.UInt8, DataType.UInt8, false)];

    public static TheoryData<string, int, string> Cases()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var shape in Shapes.Keys)
            for (int types = 0; types < Types.Length; types++)
                foreach (var isa in new[] { "Best", nameof(Isa.Avx2), nameof(Isa.Portable) })
                    data.Add(shape, types, isa);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Channels_last_QLinearConv_equals_the_formula_and_onnx_runtime(string shapeName, int types, string isa)
    {
        var shape = Shapes[shapeName];
        var (xType, wType, perChannel) = Types[types];
        var random = new Random(shapeName.Length * 31 + types);
        int outChannels = shape.W[0], depth = shape.W[1] * shape.W[2] * shape.W[3];

        var x = RandomBytes(random, xType, shape.X);
        var w = RandomBytes(random, wType, shape.W);
        int xZero = xType == DataType.Int8 ? -7 : 131;
        int[] wZero = Enumerable.Repeat(wType == DataType.UInt8 ? 128 : 0, perChannel ? outChannels : 1).ToArray();
        float xScale = 0.05f;
        float[] wScale = perChannel ? [.. Enumerable.Range(0, outChannels).Select(o => 0.002f + 0.0007f * (o % 5))] : [0.003f];
        float yScale = 0.05f * 0.003f * 40f * MathF.Sqrt(depth) / 3f;
        int yZero = xType == DataType.Int8 ? 5 : 100;
        int[] bias = [.. Enumerable.Range(0, outChannels).Select(o => (o - 3) * 911)];

        var b = new OnnxModelBuilder(opset: 13) { GraphName = "qlinearconv_" + shapeName };
        b.Input("x", xType, [.. shape.X.Cast<object>()]);
        string[] inputs =
        [
            "x", b.ScalarFloat("x_scale", xScale), b.Initializer("x_zp", Scalar(xType, xZero)), b.Initializer("w", w),
            b.Initializer("w_scale", perChannel ? TensorData.Float([outChannels], wScale) : TensorData.Scalar(wScale[0])),
            b.Initializer("w_zp", perChannel ? Vector(wType, wZero) : Scalar(wType, wZero[0])),
            b.ScalarFloat("y_scale", yScale), b.Initializer("y_zp", Scalar(xType, yZero)),
            b.Initializer("B", TensorData.FromArray(DataType.Int32, [outChannels], bias)),
        ];
        b.AddNode("QLinearConv", inputs, ["y"], "conv", "", ("group", (long)shape.Group), ("strides", shape.Strides),
            ("dilations", shape.Dilations), ("pads", shape.Pads));
        b.Output("y", xType);
        var onnx = b.ToBytes();

        var expected = Reference(shape, x, w, xZero, wZero, xScale, wScale, yScale, yZero, bias, xType);
        var graph = ModelPipeline.ImportOnnx(onnx, "qlinearconv.onnx");
        TensorData ours;
        try
        {
            KernelIsa.Override = isa == "Best" ? null : Enum.Parse<Isa>(isa);
            var model = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [shape.X]));
            ours = model.Run(x)[0];
        }
        finally
        {
            KernelIsa.Override = null;
        }
        var conv = Assert.Single(graph.Nodes, n => n.OpType == OpTypes.QLinearConv);
        Assert.Equal(shape.ChannelsLast ? "NHWC" : "NCHW", conv.Attributes.GetString("layout", "NCHW"));
        var ort = OrtRunner.Run(onnx, new Dictionary<string, TensorData> { ["x"] = x })[0];

        var comparison = TensorCompare.AllClose(ours, expected, 0, 0);
        output.WriteLine($"{shapeName} {xType.Name()} x {wType.Name()} per channel {perChannel} on {isa}: {comparison}");
        Assert.Equal(expected.Dims, ours.Dims);
        Assert.True(comparison.Within, "formula: " + comparison);
        Assert.True(TensorCompare.AllClose(ours, ort, 0, 0).Within, "ONNX Runtime: " + TensorCompare.AllClose(ours, ort, 0, 0));
        Assert.True(ours.Bytes.ToArray().Distinct().Count() > 8, "the outputs should spread over the range");
    }

    private static TensorData RandomBytes(Random random, DataType type, int[] dims)
    {
        var values = new byte[Shape.ElementCount(dims)];
        random.NextBytes(values);
        return TensorData.FromArray(type, dims, values);
    }

    private static TensorData Scalar(DataType type, int value)
        => TensorData.FromArray(type, [], new[] { unchecked((byte)value) });

    private static TensorData Vector(DataType type, int[] values)
        => TensorData.FromArray(type, [values.Length], Array.ConvertAll(values, v => unchecked((byte)v)));

    private static int At(TensorData t, DataType type, long i) => type == DataType.Int8 ? (sbyte)t.Bytes.Span[(int)i] : t.Bytes.Span[(int)i];

    /// <summary>ONNX's QLinearConv, NCHW, one output element at a time.</summary>
    private static TensorData Reference(ConvShape s, TensorData x, TensorData w, int xZero, int[] wZero, float xScale,
        float[] wScale, float yScale, int yZero, int[] bias, DataType type)
    {
        int n = s.X[0], c = s.X[1], h = s.X[2], wd = s.X[3], o = s.W[0], cg = s.W[1], kh = s.W[2], kw = s.W[3];
        int og = o / s.Group;
        int oh = (h + (int)s.Pads[0] + (int)s.Pads[2] - ((kh - 1) * (int)s.Dilations[0] + 1)) / (int)s.Strides[0] + 1;
        int ow = (wd + (int)s.Pads[1] + (int)s.Pads[3] - ((kw - 1) * (int)s.Dilations[1] + 1)) / (int)s.Strides[1] + 1;
        var (min, max) = type == DataType.Int8 ? (-128, 127) : (0, 255);
        var y = new byte[n * o * oh * ow];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
            {
                int group = oc / og, zw = wZero[wZero.Length == 1 ? 0 : oc];
                float multiplier = xScale * wScale[wScale.Length == 1 ? 0 : oc] / yScale;
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        int sum = bias[oc];
                        for (int ci = 0; ci < cg; ci++)
                            for (int a = 0; a < kh; a++)
                                for (int e = 0; e < kw; e++)
                                {
                                    int ih = i * (int)s.Strides[0] - (int)s.Pads[0] + a * (int)s.Dilations[0];
                                    int iw = j * (int)s.Strides[1] - (int)s.Pads[1] + e * (int)s.Dilations[1];
                                    int channel = group * cg + ci;
                                    int xv = ih < 0 || ih >= h || iw < 0 || iw >= wd ? xZero : At(x, type, ((b * c + channel) * h + ih) * wd + iw);
                                    int wv = At(w, w.Type, ((oc * cg + ci) * kh + a) * kw + e);
                                    sum += (xv - xZero) * (wv - zw);
                                }
                        float q = MathF.Round(sum * multiplier) + yZero;
                        int value = q <= min ? min : q >= max ? max : (int)q;
                        y[((b * o + oc) * oh + i) * ow + j] = unchecked((byte)value);
                    }
            }
        return TensorData.FromArray(type, [n, o, oh, ow], y);
    }
}
