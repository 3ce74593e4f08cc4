using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Image;
using Atc.Tests.Ops;

namespace Atc.Tests.Image;

/// <summary>
/// AippPreprocess against a per-pixel float64 reference written from ATC's AIPP formulas (swap → crop → CSC with
/// ">> 8" as floor division by 256 and clamping → (x - mean - min) * var_reci → padding), for every input format
/// and switch. The reference shares no code with the kernel.
/// </summary>
public class AippPreprocessReferenceTests
{
    private static readonly int[] JpegYuvToRgb = [256, 0, 359, 256, -88, -183, 256, 454, 0];
    private static readonly int[] Bt601YuvToRgb = [298, 0, 409, 298, -100, -208, 298, 516, 0];
    private static readonly int[] RgbToYuv = [77, 150, 29, -43, -85, 128, 128, -107, -21];

    public static TheoryData<string> Cases => [.. CaseTable().Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFloat64Reference(string name)
    {
        var c = CaseTable()[name];
        var source = SourceBytes(c, seed: name.Length * 31 + 7);
        var attributes = new OpAttributes();
        c.Parameters.WriteTo(attributes);
        var actual = OpTester.RunDynamic(OpTypes.AippPreprocess, attributes, [false], TensorData.FromArray(DataType.UInt8, c.SourceDims(), source));
        var expected = Reference(c, source, out var dims);
        Assert.Equal(dims, actual.Dims);
        var values = actual.ToFloatArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(values[i] - expected[i]) <= 1e-6 * Math.Abs(expected[i]) + 1e-6,
                $"{name}: element {i} is {values[i]}, the reference gives {expected[i]}");
    }

    [Fact]
    public void CropOutsideTheImageIsAShapeError()
    {
        var p = Plain(AippSourceFormat.Rgb888) with { CropTop = 2, CropLeft = 0, CropHeight = 4, CropWidth = 2 };
        var attributes = new OpAttributes();
        p.WriteTo(attributes);
        var e = OpTester.ShapeError(OpTypes.AippPreprocess, attributes, [TensorData.FromArray(DataType.UInt8, [1, 5, 4, 3], new byte[60])], "outside");
        Assert.Contains("2 x 4 at (0, 2)", e.Message);
    }

    [Fact]
    public void Yuv420SpNeedsThreeHalvesEvenRows()
    {
        var attributes = new OpAttributes();
        Plain(AippSourceFormat.Yuv420Sp).WriteTo(attributes);
        OpTester.ShapeError(OpTypes.AippPreprocess, attributes, [TensorData.FromArray(DataType.UInt8, [1, 10, 4, 1], new byte[40])], "H*3/2");
    }

    internal sealed record Case(AippParameters Parameters, int Batch, int Height, int Width)
    {
        public int[] SourceDims() => Parameters.Format switch
        {
            AippSourceFormat.Yuv420Sp => [Batch, Height * 3 / 2, Width, 1],
            AippSourceFormat.Rgb888 => [Batch, Height, Width, 3],
            AippSourceFormat.Xrgb8888 => [Batch, Height, Width, 4],
            _ => [Batch, Height, Width, 1],
        };
    }

    private static AippParameters Plain(AippSourceFormat format)
    {
        int c = format == AippSourceFormat.Yuv400 ? 1 : 3;
        return new AippParameters(format, false, false, 0, 0, 0, 0, false, new int[9], new int[3], new int[3],
            new float[c], new float[c], [.. Enumerable.Repeat(1f, c)], 0, 0, 0, 0, 0f, false);
    }

    internal static Dictionary<string, Case> CaseTable()
    {
        var rgbNorm = Plain(AippSourceFormat.Rgb888) with { Mean = [104, 117, 123], Min = [0.5f, 1.25f, 0f], VarReci = [0.017f, 0.0175f, 0.0171f] };
        return new Dictionary<string, Case>
        {
            ["rgb888-nchw-normalise"] = new(rgbNorm, 1, 5, 7),
            ["rgb888-nhwc-swap-crop-pad"] = new(rgbNorm with
            {
                RbuvSwap = true, ChannelsLast = true, CropTop = 1, CropLeft = 2, CropHeight = 3, CropWidth = 4,
                PadTop = 1, PadBottom = 2, PadLeft = 0, PadRight = 3, PaddingValue = -1.5f,
            }, 2, 6, 8),
            ["rgb888-to-yuv-csc-output-bias"] = new(Plain(AippSourceFormat.Rgb888) with { Csc = true, Matrix = RgbToYuv, OutputBias = [16, 128, 128] }, 1, 4, 4),
            ["xrgb8888"] = new(rgbNorm, 1, 3, 5),
            ["xrgb8888-ax-swap"] = new(rgbNorm with { AxSwap = true }, 1, 3, 5),
            ["xrgb8888-ax-and-rb-swap-crop"] = new(rgbNorm with { AxSwap = true, RbuvSwap = true, CropTop = 1, CropLeft = 1, CropHeight = 2, CropWidth = 3 }, 2, 4, 5),
            ["yuv400-crop-pad-normalise"] = new(Plain(AippSourceFormat.Yuv400) with
            {
                Mean = [128], Min = [0.5f], VarReci = [0.0078125f], CropTop = 2, CropLeft = 1, CropHeight = 3, CropWidth = 4,
                PadTop = 2, PadBottom = 0, PadLeft = 1, PadRight = 1, PaddingValue = 3f,
            }, 1, 6, 6),
            ["yuv420sp-nv12-no-csc"] = new(Plain(AippSourceFormat.Yuv420Sp), 1, 4, 6),
            ["yuv420sp-nv12-jpeg-to-rgb"] = new(Plain(AippSourceFormat.Yuv420Sp) with { Csc = true, Matrix = JpegYuvToRgb, InputBias = [0, 128, 128] }, 2, 6, 8),
            ["yuv420sp-nv21-bt601-to-bgr-crop-normalise-nhwc"] = new(Plain(AippSourceFormat.Yuv420Sp) with
            {
                RbuvSwap = true, Csc = true, InputBias = [16, 128, 128], ChannelsLast = true,
                // rows 0 and 2 swapped: B, G, R
                Matrix = [.. Bt601YuvToRgb[6..9], .. Bt601YuvToRgb[3..6], .. Bt601YuvToRgb[0..3]],
                CropTop = 2, CropLeft = 2, CropHeight = 4, CropWidth = 5, Mean = [10, 20, 30], VarReci = [0.5f, 0.25f, 2f],
            }, 1, 8, 10),
            ["yuv420sp-odd-crop-start-pad"] = new(Plain(AippSourceFormat.Yuv420Sp) with
            {
                Csc = true, Matrix = JpegYuvToRgb, InputBias = [0, 128, 128], CropTop = 1, CropLeft = 3, CropHeight = 3, CropWidth = 3,
                PadTop = 1, PadBottom = 1, PadLeft = 2, PadRight = 0, PaddingValue = 0.25f,
            }, 1, 6, 8),
        };
    }

    internal static byte[] SourceBytes(Case c, int seed)
    {
        var dims = c.SourceDims();
        var bytes = new byte[dims.Aggregate(1, (a, b) => a * b)];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The expected output, written from the formulas pixel by pixel in float64.</summary>
    internal static double[] Reference(Case c, byte[] src, out int[] dims)
    {
        var p = c.Parameters;
        int channels = p.Format == AippSourceFormat.Yuv400 ? 1 : 3;
        int cropH = p.CropHeight > 0 ? p.CropHeight : c.Height - p.CropTop;
        int cropW = p.CropWidth > 0 ? p.CropWidth : c.Width - p.CropLeft;
        int outH = cropH + p.PadTop + p.PadBottom, outW = cropW + p.PadLeft + p.PadRight;
        dims = p.ChannelsLast ? [c.Batch, outH, outW, channels] : [c.Batch, channels, outH, outW];
        var result = new double[c.Batch * channels * outH * outW];
        for (int n = 0; n < c.Batch; n++)
            for (int y = 0; y < outH; y++)
                for (int x = 0; x < outW; x++)
                {
                    int cy = y - p.PadTop, cx = x - p.PadLeft;
                    bool inside = cy >= 0 && cy < cropH && cx >= 0 && cx < cropW;
                    var pixel = inside ? SourcePixel(c, src, n, p.CropTop + cy, p.CropLeft + cx) : null;
                    if (pixel != null && p.Csc)
                    {
                        var converted = new double[3];
                        for (int i = 0; i < 3; i++)
                        {
                            double sum = 0;
                            for (int j = 0; j < 3; j++) sum += p.Matrix[i * 3 + j] * (pixel[j] - p.InputBias[j]);
                            converted[i] = Math.Clamp(Math.Floor(sum / 256.0) + p.OutputBias[i], 0, 255);
                        }
                        pixel = converted;
                    }
                    for (int k = 0; k < channels; k++)
                    {
                        double value = pixel is null ? p.PaddingValue : (pixel[k] - (double)p.Mean[k] - p.Min[k]) * p.VarReci[k];
                        int index = p.ChannelsLast
                            ? ((n * outH + y) * outW + x) * channels + k
                            : ((n * channels + k) * outH + y) * outW + x;
                        result[index] = value;
                    }
                }
        return result;
    }

    /// <summary>The source pixel's channels after the swap switches.</summary>
    private static double[] SourcePixel(Case c, byte[] src, int n, int y, int x)
    {
        var p = c.Parameters;
        int h = c.Height, w = c.Width;
        switch (p.Format)
        {
            case AippSourceFormat.Yuv400:
                return [src[(n * h + y) * w + x]];
            case AippSourceFormat.Yuv420Sp:
            {
                int image = n * h * w * 3 / 2;
                double luma = src[image + y * w + x];
                int uvRow = h + y / 2, pair = x / 2;
                double first = src[image + uvRow * w + pair * 2], second = src[image + uvRow * w + pair * 2 + 1];
                // NV12 stores U then V; NV21 (rbuv_swap_switch) V then U.
                return p.RbuvSwap ? [luma, second, first] : [luma, first, second];
            }
            case AippSourceFormat.Rgb888:
            {
                int at = ((n * h + y) * w + x) * 3;
                double r = src[at], g = src[at + 1], b = src[at + 2];
                return p.RbuvSwap ? [b, g, r] : [r, g, b];
            }
            default:
            {
                int at = ((n * h + y) * w + x) * 4;
                // XRGB: X first; with ax_swap_switch the X byte comes last (RGBX).
                int r = p.AxSwap ? at : at + 1;
                double red = src[r], green = src[r + 1], blue = src[r + 2];
                return p.RbuvSwap ? [blue, green, red] : [red, green, blue];
            }
        }
    }
}
