using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Image;
using Atc.Tests.Ops;
using static Atc.Tests.Image.AippPreprocessReferenceTests;

namespace Atc.Tests.Image;

/// <summary>
/// AippDynamic (aipp_mode: dynamic) against the same independent float64 per-pixel reference as static AIPP: every
/// case of <see cref="AippPreprocessReferenceTests"/> is given as per-run <see cref="AippDynamicParameters"/>, its
/// images placed at the start of max_src_image_size slots with noise after them; and the parameter checks (ATC3200,
/// ATC3201), which the kernel applies to a hand-made parameter tensor too.
/// </summary>
public class AippDynamicReferenceTests
{
    public static TheoryData<string> Cases => [.. CaseTable().Keys.Where(k => k != "yuv420sp-odd-crop-start-pad")];

    /// <summary>The static table's case, fitted to the dynamic rules ATC states for every AIPP: the "xrgb8888" cases
    /// given the XRGB8888 format their names say (the static table feeds them RGB888 bytes), and the NV21 crop made
    /// even (YUV420SP crops are on even pixels).</summary>
    private static Case DynamicCase(string name)
    {
        var c = CaseTable()[name];
        if (name.StartsWith("xrgb8888", StringComparison.Ordinal)) return c with { Parameters = c.Parameters with { Format = AippSourceFormat.Xrgb8888 } };
        if (name.StartsWith("yuv420sp-nv21", StringComparison.Ordinal)) return c with { Parameters = c.Parameters with { CropWidth = 4 } };
        return c;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFloat64Reference(string name)
    {
        var c = DynamicCase(name);
        var contiguous = SourceBytes(c, seed: name.Length * 17 + 3);
        var expected = Reference(c, contiguous, out var dims);
        int itemBytes = contiguous.Length / c.Batch, slot = itemBytes + 37;
        var slots = new byte[c.Batch * slot];
        new Random(5).NextBytes(slots);
        for (int n = 0; n < c.Batch; n++) Array.Copy(contiguous, n * itemBytes, slots, n * slot, itemBytes);

        var p = c.Parameters;
        int outH = p.ChannelsLast ? dims[1] : dims[2], outW = p.ChannelsLast ? dims[2] : dims[3];
        var actual = Run(Attributes(slot, outH, outW, p.OutputChannels, p.ChannelsLast), slots, c.Batch, Encode(c));

        Assert.Equal(dims, actual.Dims);
        var values = actual.ToFloatArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(values[i] - expected[i]) <= 1e-6 * Math.Abs(expected[i]) + 1e-6,
                $"{name}: element {i} is {values[i]}, the reference gives {expected[i]}");
    }

    [Fact]
    public void An_odd_YUV420SP_crop_start_is_ATC3200()
    {
        var c = CaseTable()["yuv420sp-odd-crop-start-pad"];
        var e = Assert.Throws<InferenceInputException>(() => Run(Attributes(1000, 5, 5, 3, false), new byte[1000], 1, Encode(c)));
        Assert.StartsWith("ATC3200: Dynamic AIPP parameter [CropLeft/CropTop/CropWidth/CropHeight] = [3, 1, 3, 3]", e.Message);
    }

    [Fact]
    public void An_image_larger_than_max_src_image_size_is_ATC3201_naming_both_sizes()
    {
        var parameters = new AippDynamicParameters { InputFormat = AippImageFormat.Rgb888, SourceWidth = 8, SourceHeight = 6 };
        var e = Assert.Throws<InferenceInputException>(() => Run(Attributes(100, 6, 8, 3, false), new byte[100], 1, AippDynamicEncoding.Encode(parameters)));
        Assert.StartsWith("ATC3201: The RGB888_U8 source image of (w x h) 8 x 6 for input [image] needs 144 bytes, more than its max_src_image_size [100].", e.Message);
        Assert.Contains("max_src_image_size: 144 or more", e.Message);
    }

    [Theory]
    [InlineData("crop", "CropWidth", "outside the 8 x 6 source image")]
    [InlineData("size", "CropWidth/CropHeight", "the model input takes (w x h) 4 x 4")]
    [InlineData("channels", "InputFormat", "1 channel(s) but the model input has 3")]
    [InlineData("matrix", "CscMatrix[4]", "[-32768, 32767]")]
    [InlineData("mean", "Mean[1]", "finite")]
    [InlineData("odd", "SourceWidth", "even sides")]
    [InlineData("ax", "AxSwap", "only applies to Xrgb8888")]
    public void Parameters_that_do_not_fit_are_ATC3200_with_the_field_and_value(string what, string field, string mention)
    {
        var p = new AippDynamicParameters { InputFormat = AippImageFormat.Rgb888, SourceWidth = 8, SourceHeight = 6, Crop = true, CropWidth = 4, CropHeight = 4 };
        switch (what)
        {
            case "crop": p.CropLeft = 5; break;
            case "size": p.CropWidth = 3; break;
            case "channels": p.InputFormat = AippImageFormat.Yuv400; break;
            case "matrix": p.Csc = true; p.CscMatrix = [256, 0, 0, 0, 40000, 0, 0, 0, 256]; break;
            case "mean": p.Mean = [0, float.NaN, 0]; break;
            case "odd": p.InputFormat = AippImageFormat.Yuv420Sp; p.SourceWidth = 7; break;
            case "ax": p.AxSwap = true; break;
        }
        var e = Assert.Throws<InferenceInputException>(() => Run(Attributes(1000, 4, 4, 3, false), new byte[1000], 1, AippDynamicEncoding.Encode(p)));
        Assert.StartsWith($"ATC3200: Dynamic AIPP parameter [{field}] = [", e.Message);
        Assert.Contains(mention, e.Message);
    }

    [Fact]
    public void A_hand_made_parameter_tensor_is_checked_by_the_kernel()
    {
        var encoded = AippDynamicEncoding.Encode(new AippDynamicParameters { SourceWidth = 4, SourceHeight = 4 });
        encoded[1] = 1e9f; // SourceWidth far beyond any image
        var e = Assert.Throws<InferenceInputException>(() => Run(Attributes(48, 4, 4, 3, false), new byte[48], 1, encoded));
        Assert.StartsWith("ATC3200: Dynamic AIPP parameter [SourceWidth]", e.Message);
    }

    private static TensorData Run(OpAttributes attributes, byte[] slots, int batch, float[] encoded)
        => OpTester.RunDynamic(OpTypes.AippDynamic, attributes, [false, false],
            TensorData.FromArray(DataType.UInt8, [batch, slots.Length / batch], slots), TensorData.Float([encoded.Length], encoded));

    private static OpAttributes Attributes(int max, int h, int w, int channels, bool channelsLast)
    {
        var a = new OpAttributes();
        a.Set("max_src_image_size", new AttributeValue((long)max));
        a.Set("output_hw", new AttributeValue(new long[] { h, w }));
        a.Set("channels", new AttributeValue((long)channels));
        a.Set("layout", new AttributeValue(channelsLast ? "NHWC" : "NCHW"));
        return a;
    }

    /// <summary>The case's static parameters as the public per-run type (crop size 0 = to the image's end).</summary>
    private static float[] Encode(Case c)
    {
        var p = c.Parameters;
        bool crop = p.CropTop != 0 || p.CropLeft != 0 || p.CropHeight != 0 || p.CropWidth != 0;
        bool pad = p.PadTop != 0 || p.PadBottom != 0 || p.PadLeft != 0 || p.PadRight != 0;
        int channels = p.OutputChannels;
        float[] Three(float[] v, float fill) => channels == 3 ? v : [v[0], fill, fill];
        return AippDynamicEncoding.Encode(new AippDynamicParameters
        {
            InputFormat = p.Format switch
            {
                AippSourceFormat.Yuv420Sp => AippImageFormat.Yuv420Sp,
                AippSourceFormat.Rgb888 => AippImageFormat.Rgb888,
                AippSourceFormat.Xrgb8888 => AippImageFormat.Xrgb8888,
                _ => AippImageFormat.Yuv400,
            },
            SourceWidth = c.Width,
            SourceHeight = c.Height,
            RbuvSwap = p.RbuvSwap,
            AxSwap = p.AxSwap,
            Crop = crop,
            CropLeft = p.CropLeft,
            CropTop = p.CropTop,
            CropWidth = p.CropWidth > 0 ? p.CropWidth : c.Width - p.CropLeft,
            CropHeight = p.CropHeight > 0 ? p.CropHeight : c.Height - p.CropTop,
            Csc = p.Csc,
            CscMatrix = p.Matrix,
            CscInputBias = p.InputBias,
            CscOutputBias = p.OutputBias,
            Mean = Three(p.Mean, 0),
            Min = Three(p.Min, 0),
            VarReci = Three(p.VarReci, 1),
            Padding = pad,
            PadTop = p.PadTop,
            PadBottom = p.PadBottom,
            PadLeft = p.PadLeft,
            PadRight = p.PadRight,
            PaddingValue = p.PaddingValue,
        });
    }
}
