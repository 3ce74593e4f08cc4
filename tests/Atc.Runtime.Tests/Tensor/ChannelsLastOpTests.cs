using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Tests.Ops;

namespace Atc.Tests.TensorOps;

/// <summary>
/// The ops the layout pass runs channels-last around convolutions (Pad, InstanceNormalization, Resize) give, in
/// layout NHWC on the transposed data, exactly the NCHW answer; the NCHW answer is checked against a naive
/// reference. Odd channel counts (not a multiple of a vector), batch 4, and two worker threads (chunk boundaries).
/// </summary>
public class ChannelsLastOpTests
{
    private static readonly long[] ToNhwc = [0, 2, 3, 1], ToNchw = [0, 3, 1, 2];

    private static TensorData Transpose(TensorData x, long[] perm) => OpTester.Run(OpTypes.Transpose, T.Attrs(("perm", perm)), x);

    private static TensorData Run(string op, OpAttributes attributes, params TensorData?[] inputs)
        => OpTester.RunMany(op, attributes, inputs, constant: null, outputCount: 1, new ThreadedPool(2))[0];

    [Theory]
    [InlineData("constant")]
    [InlineData("reflect")]
    [InlineData("edge")]
    [InlineData("wrap")]
    public void Pad_channels_last_matches_reference_in_every_mode(string mode)
    {
        int[] dims = [4, 21, 6, 7];
        var x = T.Random(11, dims);
        long[] pads = [0, 0, 2, 1, 0, 0, 3, -1];   // H: 2 before, 3 after; W: 1 before, 1 cropped after
        var attributes = T.Attrs(("mode", mode));
        var nchw = Run(OpTypes.Pad, attributes, x, T.Longs(pads), T.F([], 1.5f));
        T.Close([4, 21, 11, 7], PadReference(x.ToFloatArray(), dims, pads, mode, 1.5f), nchw);

        long[] nhwcPads = [0, 2, 1, 0, 0, 3, -1, 0];
        var nhwc = Run(OpTypes.Pad, attributes, Transpose(x, ToNhwc), T.Longs(nhwcPads), T.F([], 1.5f));
        T.Dims([4, 11, 7, 21], nhwc);
        T.Close(nchw.ToFloatArray(), Transpose(nhwc, ToNchw), 0f);
    }

    /// <summary>numpy.pad's modes by index arithmetic on an NCHW tensor.</summary>
    private static float[] PadReference(float[] x, int[] dims, long[] pads, string mode, float value)
    {
        int[] outDims = [.. dims.Select((d, i) => (int)(d + pads[i] + pads[i + 4]))];
        var result = new float[outDims.Aggregate(1, (a, b) => a * b)];
        var index = new int[4];
        for (int o = 0; o < result.Length; o++)
        {
            int rest = o;
            for (int d = 3; d >= 0; d--) { index[d] = rest % outDims[d]; rest /= outDims[d]; }
            int source = 0;
            bool constant = false;
            for (int d = 0; d < 4; d++)
            {
                int i = (int)(index[d] - pads[d]), n = dims[d];
                if (i < 0 || i >= n)
                {
                    switch (mode)
                    {
                        case "constant": constant = true; break;
                        case "edge": i = Math.Clamp(i, 0, n - 1); break;
                        case "wrap": i = ((i % n) + n) % n; break;
                        default: while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i; break;
                    }
                }
                source = source * n + i;
            }
            result[o] = constant ? value : x[source];
        }
        return result;
    }

    [Theory]
    [InlineData(4, 21, 5, 7)]
    [InlineData(1, 16, 9, 9)]
    [InlineData(2, 3, 4, 4)]
    [InlineData(3, 35, 2, 3)]
    public void InstanceNormalization_channels_last_matches_reference(int n, int c, int h, int w)
    {
        int[] dims = [n, c, h, w];
        // Far from zero with a small spread: the statistics must not cancel.
        var x = T.F(dims, [.. T.Random(46, dims, 2f).ToFloatArray().Select(v => v + 50f)]);
        var scale = T.Random(47, [c]);
        var bias = T.Random(48, [c]);
        var data = x.ToFloatArray();
        int plane = h * w;
        var expected = new float[data.Length];
        for (int p = 0; p < n * c; p++)
        {
            var values = data.Skip(p * plane).Take(plane).Select(v => (double)v).ToArray();
            double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
            for (int i = 0; i < plane; i++)
                expected[p * plane + i] = (float)((values[i] - mean) / Math.Sqrt(variance + 1e-5) * scale.ToFloatArray()[p % c] + bias.ToFloatArray()[p % c]);
        }
        T.Close(dims, expected, Run(OpTypes.InstanceNormalization, new OpAttributes(), x, scale, bias), 1e-4f);
        var nhwc = Run(OpTypes.InstanceNormalization, T.Attrs(("layout", "NHWC")), Transpose(x, ToNhwc), scale, bias);
        T.Dims([n, h, w, c], nhwc);
        T.Close(expected, Transpose(nhwc, ToNchw), 1e-4f);
    }

    public static TheoryData<string, string> ResizeModes => new()
    {
        { "nearest", "asymmetric" }, { "nearest", "half_pixel" }, { "nearest", "align_corners" }, { "nearest", "tf_half_pixel_for_nn" },
        { "linear", "half_pixel" }, { "linear", "pytorch_half_pixel" }, { "linear", "align_corners" }, { "linear", "asymmetric" },
        { "cubic", "half_pixel" },
    };

    [Theory]
    [MemberData(nameof(ResizeModes))]
    public void Resize_channels_last_matches_channels_first(string mode, string coordinates)
    {
        var x = T.Random(61, [4, 21, 5, 6]);
        var attributes = T.Attrs(("mode", mode), ("coordinate_transformation_mode", coordinates), ("nearest_mode", "floor"));
        foreach (var (scales, sizes) in new (float[]?, long[]?)[] { ([1, 1, 2.5f, 0.5f], null), (null, [4, 21, 11, 13]), ([1, 1, 8, 8], null) })
        {
            var nchw = Run(OpTypes.Resize, attributes, x, scales is null ? null : T.F([4], scales), sizes is null ? null : T.Longs(sizes));
            if (mode == "nearest") T.Close(NearestReference(x, nchw.Dims, scales, coordinates), nchw, 0f);
            var nhwcAttributes = T.Attrs(("mode", mode), ("coordinate_transformation_mode", coordinates), ("nearest_mode", "floor"), ("layout", "NHWC"));
            var nhwc = Run(OpTypes.Resize, nhwcAttributes, Transpose(x, ToNhwc),
                scales is null ? null : T.F([4], scales[0], scales[2], scales[3], scales[1]),
                sizes is null ? null : T.Longs(sizes[0], sizes[2], sizes[3], sizes[1]));
            T.Close(nchw.ToFloatArray(), Transpose(nhwc, ToNchw), 1e-5f);

            // Targets computed in NCHW order (Shape/Slice/Concat) are read as such with target_order NCHW.
            nhwcAttributes.Set("target_order", "NCHW");
            var ordered = Run(OpTypes.Resize, nhwcAttributes, Transpose(x, ToNhwc), scales is null ? null : T.F([4], scales),
                sizes is null ? null : T.Longs(sizes));
            T.Close(nchw.ToFloatArray(), Transpose(ordered, ToNchw), 1e-5f);
        }
    }

    /// <summary>Nearest resize by its definition: each output index reads floor of its source coordinate.</summary>
    private static float[] NearestReference(TensorData x, int[] outDims, float[]? scales, string coordinates)
    {
        var data = x.ToFloatArray();
        int[] dims = x.Dims;
        int Source(int o, int d)
        {
            // ONNX: the scale as given (else output / input), and align_corners over the unrounded length.
            double scale = scales is null ? (double)outDims[d] / dims[d] : scales[d];
            double length = dims[d] * scale;
            double c = coordinates switch
            {
                "asymmetric" => o / scale,
                "align_corners" => length == 1 ? 0 : o * (dims[d] - 1.0) / (length - 1.0),
                "tf_half_pixel_for_nn" => (o + 0.5) / scale,
                _ => (o + 0.5) / scale - 0.5,
            };
            return (int)Math.Clamp(Math.Floor(c), 0, dims[d] - 1);
        }
        var result = new float[outDims.Aggregate(1, (a, b) => a * b)];
        int at = 0;
        for (int n = 0; n < outDims[0]; n++)
            for (int c = 0; c < outDims[1]; c++)
                for (int y = 0; y < outDims[2]; y++)
                    for (int w = 0; w < outDims[3]; w++)
                        result[at++] = data[((n * dims[1] + c) * dims[2] + Source(y, 2)) * dims[3] + Source(w, 3)];
        return result;
    }

    [Theory]
    [InlineData("nearest")]
    [InlineData("linear")]
    public void Resize_of_one_pixel_is_a_broadcast(string mode)
    {
        var x = T.Random(62, [4, 1, 1, 21]);
        var r = Run(OpTypes.Resize, T.Attrs(("mode", mode), ("layout", "NHWC"), ("coordinate_transformation_mode", "pytorch_half_pixel")),
            x, null, T.Longs(4, 16, 16, 21));
        T.Dims([4, 16, 16, 21], r);
        var data = x.ToFloatArray();
        var expected = new float[4 * 16 * 16 * 21];
        for (int i = 0; i < expected.Length; i++) expected[i] = data[i / (16 * 16 * 21) * 21 + i % 21];
        T.Close(expected, r, 0f);
    }

    [Fact]
    public void Resize_rejects_an_unknown_target_order()
        => OpTester.ShapeError(OpTypes.Resize, T.Attrs(("layout", "NHWC"), ("target_order", "CHWN")),
            [T.Random(1, [1, 2, 2, 3]), T.F([4], 1, 2, 2, 1)], "target_order", "CHWN", "NCHW or NHWC");
}
