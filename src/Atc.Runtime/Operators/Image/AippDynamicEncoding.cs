using System.Globalization;

namespace Atc.Runtime.Operators.Image;

/// <summary>What the compiled model fixes for one dynamic AIPP input: the byte bound per image, and the float image
/// the original model input expects.</summary>
internal readonly record struct AippDynamicTarget(string InputName, long MaxSourceBytes, int OutputHeight, int OutputWidth, int Channels, bool ChannelsLast);

/// <summary>
/// The parameter tensor of <see cref="OpTypes.AippDynamic"/>: <see cref="AippDynamicParameters"/> as float32 values
/// at fixed positions (every integer field is exact in float32: sizes are bounded by the image, matrix entries by
/// 16 bits), and the one set of checks used both when the caller builds the tensor and when the kernel reads it,
/// so a hand-written tensor is held to the same rules.
/// </summary>
internal static class AippDynamicEncoding
{
    private const int Format = 0, SrcW = 1, SrcH = 2, Rbuv = 3, Ax = 4, Crop = 5, CropLeft = 6, CropTop = 7, CropW = 8, CropH = 9,
        Csc = 10, Matrix = 11, InputBias = 20, OutputBias = 23, Mean = 26, Min = 29, VarReci = 32,
        Padding = 35, PadTop = 36, PadBottom = 37, PadLeft = 38, PadRight = 39, PadValue = 40;

    /// <summary>Values in the parameter tensor.</summary>
    public const int Length = 41;

    /// <summary>Largest source side accepted (as the static compiler's attribute bound).</summary>
    public const int MaxSide = 4096;

    /// <param name="inputName">The image input, for messages about a malformed parameter object.</param>
    public static float[] Encode(AippDynamicParameters p, string inputName = "image")
    {
        var v = new float[Length];
        v[Format] = (int)p.InputFormat;
        v[SrcW] = p.SourceWidth;
        v[SrcH] = p.SourceHeight;
        v[Rbuv] = p.RbuvSwap ? 1 : 0;
        v[Ax] = p.AxSwap ? 1 : 0;
        v[Crop] = p.Crop ? 1 : 0;
        v[CropLeft] = p.CropLeft;
        v[CropTop] = p.CropTop;
        v[CropW] = p.CropWidth;
        v[CropH] = p.CropHeight;
        v[Csc] = p.Csc ? 1 : 0;
        Copy(p.CscMatrix, 9, "CscMatrix", inputName, v, Matrix);
        Copy(p.CscInputBias, 3, "CscInputBias", inputName, v, InputBias);
        Copy(p.CscOutputBias, 3, "CscOutputBias", inputName, v, OutputBias);
        Copy(p.Mean, 3, "Mean", inputName, v, Mean);
        Copy(p.Min, 3, "Min", inputName, v, Min);
        Copy(p.VarReci, 3, "VarReci", inputName, v, VarReci);
        v[Padding] = p.Padding ? 1 : 0;
        v[PadTop] = p.PadTop;
        v[PadBottom] = p.PadBottom;
        v[PadLeft] = p.PadLeft;
        v[PadRight] = p.PadRight;
        v[PadValue] = p.PaddingValue;
        return v;
    }

    private static void Copy<T>(T[]? values, int count, string field, string inputName, float[] v, int at) where T : struct, IConvertible
    {
        if (values is null || values.Length != count)
            throw Invalid(inputName, field, values is null ? "null" : values.Length + " values", $"it needs {count} values",
                $"Give {field} exactly {count} values.");
        for (int i = 0; i < count; i++) v[at + i] = values[i].ToSingle(CultureInfo.InvariantCulture);
    }

    /// <summary>The kernel parameters and geometry (batch 1) of an encoded tensor; a coded
    /// <see cref="InferenceInputException"/> (ATC3200, ATC3201) when a value does not fit the model.</summary>
    public static (AippParameters Parameters, AippGeometry Geometry) Decode(ReadOnlySpan<float> v, AippDynamicTarget t)
    {
        if (v.Length != Length) throw Invalid(t.InputName, "parameter tensor", v.Length + " values", $"it must have {Length}", "Build it with InferenceModel.CreateAippInput.");
        int format = Int(v, Format, "InputFormat", 0, 3, t);
        var source = format switch { 0 => AippSourceFormat.Yuv420Sp, 1 => AippSourceFormat.Rgb888, 2 => AippSourceFormat.Xrgb8888, _ => AippSourceFormat.Yuv400 };
        int channels = source == AippSourceFormat.Yuv400 ? 1 : 3;
        if (channels != t.Channels)
            throw Invalid(t.InputName, "InputFormat", ((AippImageFormat)format).ToString(), $"it gives {channels} channel(s) but the model input has {t.Channels}",
                t.Channels == 1 ? "Use AippImageFormat.Yuv400 for a 1-channel input." : "Use Rgb888, Xrgb8888 or Yuv420Sp for a 3-channel input.");
        int srcW = Int(v, SrcW, "SourceWidth", 1, MaxSide, t), srcH = Int(v, SrcH, "SourceHeight", 1, MaxSide, t);
        if (source == AippSourceFormat.Yuv420Sp && (srcW % 2 != 0 || srcH % 2 != 0))
            throw Invalid(t.InputName, srcW % 2 != 0 ? "SourceWidth" : "SourceHeight", (srcW % 2 != 0 ? srcW : srcH).ToString(CultureInfo.InvariantCulture),
                "a YUV420SP image has even sides (U and V cover 2x2 pixels)", "Use an even width and height.");
        long bytes = source switch
        {
            AippSourceFormat.Yuv420Sp => (long)srcW * srcH * 3 / 2,
            AippSourceFormat.Rgb888 => (long)srcW * srcH * 3,
            AippSourceFormat.Xrgb8888 => (long)srcW * srcH * 4,
            _ => (long)srcW * srcH,
        };
        if (bytes > t.MaxSourceBytes)
            throw new InferenceInputException(RuntimeErrors.AippImageTooLarge(AippParameters.FormatNames[(int)source], srcW, srcH, t.InputName, bytes, t.MaxSourceBytes));
        bool rbuv = Flag(v, Rbuv, "RbuvSwap", t), ax = Flag(v, Ax, "AxSwap", t);
        if (ax && source != AippSourceFormat.Xrgb8888) throw Invalid(t.InputName, "AxSwap", "true", "it only applies to Xrgb8888", "Set AxSwap to false.");
        if (rbuv && source == AippSourceFormat.Yuv400) throw Invalid(t.InputName, "RbuvSwap", "true", "a grey image has no channels to swap", "Set RbuvSwap to false.");

        bool crop = Flag(v, Crop, "Crop", t);
        int left = 0, top = 0, cropW = srcW, cropH = srcH;
        if (crop)
        {
            left = Int(v, CropLeft, "CropLeft", 0, MaxSide, t);
            top = Int(v, CropTop, "CropTop", 0, MaxSide, t);
            cropW = Int(v, CropW, "CropWidth", 1, MaxSide, t);
            cropH = Int(v, CropH, "CropHeight", 1, MaxSide, t);
            if (left + cropW > srcW || top + cropH > srcH)
                throw Invalid(t.InputName, left + cropW > srcW ? "CropWidth" : "CropHeight", $"{cropW} x {cropH} at ({left}, {top})",
                    $"the window lies outside the {srcW} x {srcH} source image", "Move or shrink the crop window to fit the source image.");
            if (source == AippSourceFormat.Yuv420Sp && (left % 2 != 0 || top % 2 != 0 || cropW % 2 != 0 || cropH % 2 != 0))
                throw Invalid(t.InputName, "CropLeft/CropTop/CropWidth/CropHeight", $"{left}, {top}, {cropW}, {cropH}", "a YUV420SP crop is on even pixels", "Use even crop positions and sizes.");
        }
        bool pad = Flag(v, Padding, "Padding", t);
        int padTop = pad ? Int(v, PadTop, "PadTop", 0, MaxSide, t) : 0, padBottom = pad ? Int(v, PadBottom, "PadBottom", 0, MaxSide, t) : 0;
        int padLeft = pad ? Int(v, PadLeft, "PadLeft", 0, MaxSide, t) : 0, padRight = pad ? Int(v, PadRight, "PadRight", 0, MaxSide, t) : 0;
        if (cropW + padLeft + padRight != t.OutputWidth || cropH + padTop + padBottom != t.OutputHeight)
            throw Invalid(t.InputName, crop ? "CropWidth/CropHeight" : "SourceWidth/SourceHeight",
                $"{cropW} x {cropH} + padding = {cropW + padLeft + padRight} x {cropH + padTop + padBottom}",
                $"the model input takes (w x h) {t.OutputWidth} x {t.OutputHeight}",
                $"Crop (or pad) to {t.OutputWidth} x {t.OutputHeight}: e.g. Crop = true, CropWidth = {t.OutputWidth - padLeft - padRight}, CropHeight = {t.OutputHeight - padTop - padBottom}.");

        bool csc = Flag(v, Csc, "Csc", t);
        if (csc && source == AippSourceFormat.Yuv400) throw Invalid(t.InputName, "Csc", "true", "a grey image has one channel to convert", "Set Csc to false.");
        var matrix = Ints(v, Matrix, 9, "CscMatrix", short.MinValue, short.MaxValue, t);
        var inputBias = Ints(v, InputBias, 3, "CscInputBias", 0, 255, t);
        var outputBias = Ints(v, OutputBias, 3, "CscOutputBias", 0, 255, t);
        var mean = Floats(v, Mean, channels, "Mean", t);
        var min = Floats(v, Min, channels, "Min", t);
        var varReci = Floats(v, VarReci, channels, "VarReci", t);
        float padValue = Floats(v, PadValue, 1, "PaddingValue", t)[0];

        var parameters = new AippParameters(source, rbuv, ax, top, left, cropH, cropW, csc, matrix, inputBias, outputBias,
            mean, min, varReci, padTop, padBottom, padLeft, padRight, padValue, t.ChannelsLast);
        return (parameters, new AippGeometry(1, srcH, srcW, cropH, cropW, t.OutputHeight, t.OutputWidth));
    }

    private static int Int(ReadOnlySpan<float> v, int at, string field, int min, int max, AippDynamicTarget t)
    {
        float x = v[at];
        if (!(x >= min && x <= max) || x != MathF.Floor(x))
            throw Invalid(t.InputName, field, x.ToString(CultureInfo.InvariantCulture), $"it must be a whole number in [{min}, {max}]", $"Set {field} between {min} and {max}.");
        return (int)x;
    }

    private static bool Flag(ReadOnlySpan<float> v, int at, string field, AippDynamicTarget t) => Int(v, at, field, 0, 1, t) == 1;

    private static int[] Ints(ReadOnlySpan<float> v, int at, int count, string field, int min, int max, AippDynamicTarget t)
    {
        var values = new int[count];
        for (int i = 0; i < count; i++) values[i] = Int(v, at + i, $"{field}[{i}]", min, max, t);
        return values;
    }

    private static float[] Floats(ReadOnlySpan<float> v, int at, int count, string field, AippDynamicTarget t)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = v[at + i];
            if (!float.IsFinite(values[i]))
                throw Invalid(t.InputName, count > 1 ? $"{field}[{i}]" : field, values[i].ToString(CultureInfo.InvariantCulture), "it must be a finite number", $"Give {field} finite values.");
        }
        return values;
    }

    private static InferenceInputException Invalid(string input, string field, string value, string reason, string fix)
        => new(RuntimeErrors.AippParameterInvalid(field, value, input, reason, fix));
}
