using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.Image;

/// <summary>The source image layouts of <see cref="OpTypes.AippPreprocess"/> (ATC's input_format names in the attribute).</summary>
internal enum AippSourceFormat
{
    /// <summary>"YUV420SP_U8": uint8 [N, H*3/2, W, 1]: H rows of Y, then H/2 rows of interleaved U,V (NV12; V,U = NV21).</summary>
    Yuv420Sp,
    /// <summary>"RGB888_U8": uint8 [N, H, W, 3].</summary>
    Rgb888,
    /// <summary>"XRGB8888_U8": uint8 [N, H, W, 4], bytes X,R,G,B (R,G,B,X when swapped).</summary>
    Xrgb8888,
    /// <summary>"YUV400_U8": uint8 [N, H, W, 1], grey.</summary>
    Yuv400,
}

/// <summary>
/// Every parameter of one AIPP step, read from and written to node attributes (one owner of the attribute names,
/// used by the compiler's rewrite and the kernel). Sizes are resolved by the compiler, except a crop size of 0, which
/// means "from the crop start to the end of the source image" (image-size gears, where the source follows the gear).
/// </summary>
internal sealed record AippParameters(
    AippSourceFormat Format,
    bool RbuvSwap,
    bool AxSwap,
    int CropTop, int CropLeft, int CropHeight, int CropWidth,
    bool Csc, int[] Matrix, int[] InputBias, int[] OutputBias,
    float[] Mean, float[] Min, float[] VarReci,
    int PadTop, int PadBottom, int PadLeft, int PadRight, float PaddingValue,
    bool ChannelsLast)
{
    public static readonly string[] FormatNames = ["YUV420SP_U8", "RGB888_U8", "XRGB8888_U8", "YUV400_U8"];

    /// <summary>Channels written: 1 for grey, 3 otherwise.</summary>
    public int OutputChannels => Format == AippSourceFormat.Yuv400 ? 1 : 3;

    /// <summary>Bytes per pixel on the source tensor's last axis.</summary>
    public int SourceChannels => Format switch { AippSourceFormat.Rgb888 => 3, AippSourceFormat.Xrgb8888 => 4, _ => 1 };

    public void WriteTo(OpAttributes a)
    {
        a.Set("input_format", new AttributeValue(FormatNames[(int)Format]));
        a.Set("rbuv_swap", new AttributeValue(RbuvSwap ? 1L : 0L));
        a.Set("ax_swap", new AttributeValue(AxSwap ? 1L : 0L));
        a.Set("crop", new AttributeValue(new long[] { CropTop, CropLeft, CropHeight, CropWidth }));
        a.Set("csc", new AttributeValue(Csc ? 1L : 0L));
        a.Set("matrix", new AttributeValue(Array.ConvertAll(Matrix, v => (long)v)));
        a.Set("input_bias", new AttributeValue(Array.ConvertAll(InputBias, v => (long)v)));
        a.Set("output_bias", new AttributeValue(Array.ConvertAll(OutputBias, v => (long)v)));
        a.Set("mean", new AttributeValue(Mean));
        a.Set("min", new AttributeValue(Min));
        a.Set("var_reci", new AttributeValue(VarReci));
        a.Set("pads", new AttributeValue(new long[] { PadTop, PadBottom, PadLeft, PadRight }));
        a.Set("padding_value", new AttributeValue(PaddingValue));
        a.Set("layout", new AttributeValue(ChannelsLast ? "NHWC" : "NCHW"));
    }

    /// <summary>Reads and checks the attributes; a malformed node is a <see cref="ShapeException"/>.</summary>
    public static AippParameters Read(OpAttributes a)
    {
        int format = Array.IndexOf(FormatNames, a.GetString("input_format", ""));
        if (format < 0) throw Fail("attribute 'input_format' must be one of " + string.Join(", ", FormatNames));
        var crop = Ints(a, "crop", 4, 0, 4096);
        var pads = Ints(a, "pads", 4, 0, 4096);
        var matrix = Ints(a, "matrix", 9, short.MinValue, short.MaxValue);
        var inputBias = Ints(a, "input_bias", 3, 0, 255);
        var outputBias = Ints(a, "output_bias", 3, 0, 255);
        int channels = format == (int)AippSourceFormat.Yuv400 ? 1 : 3;
        var mean = Floats(a, "mean", channels);
        var min = Floats(a, "min", channels);
        var varReci = Floats(a, "var_reci", channels);
        string layout = a.GetString("layout", "NCHW");
        if (layout is not ("NCHW" or "NHWC")) throw Fail("attribute 'layout' must be NCHW or NHWC");
        return new AippParameters((AippSourceFormat)format, a.GetInt("rbuv_swap", 0) != 0, a.GetInt("ax_swap", 0) != 0,
            crop[0], crop[1], crop[2], crop[3], a.GetInt("csc", 0) != 0, matrix, inputBias, outputBias, mean, min, varReci,
            pads[0], pads[1], pads[2], pads[3], a.GetFloat("padding_value", 0f), layout == "NHWC");
    }

    private static int[] Ints(OpAttributes a, string name, int count, long min, long max)
    {
        var values = a.GetInts(name, new long[count]);
        if (values.Length != count) throw Fail($"attribute '{name}' must have {count} values, has {values.Length}");
        foreach (var v in values)
            if (v < min || v > max) throw Fail($"attribute '{name}' value {v} is outside [{min}, {max}]");
        return Array.ConvertAll(values, v => (int)v);
    }

    private static float[] Floats(OpAttributes a, string name, int count)
    {
        var values = a.GetFloats(name, []);
        if (values.Length != count) throw Fail($"attribute '{name}' must have {count} values (one per output channel), has {values.Length}");
        return values;
    }

    private static ShapeException Fail(string message) => new($"{OpTypes.AippPreprocess}: {message}");
}
