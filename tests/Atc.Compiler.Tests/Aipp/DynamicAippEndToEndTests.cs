using Atc.Cli.Tests.Support;
using Atc.Runtime;
using Atc.TestModels.Onnx;

namespace Atc.Compiler.Tests.Aipp;

/// <summary>
/// Dynamic AIPP (aipp_mode: dynamic) through the real atc command line: the model takes a uint8 image of
/// max_src_image_size bytes per item and a parameter input; two runs with different per-run parameters (source size,
/// format, crop, padding, normalisation) each match the same model without AIPP fed the tensor preprocessed by hand.
/// </summary>
public class DynamicAippEndToEndTests
{
    private const int MaxBytes = 48 * 40 * 4;

    private static (InferenceModel Aipp, InferenceModel Plain) Compile(TempFolder temp)
    {
        var model = temp.File("tiny.onnx");
        File.WriteAllBytes(model, OnnxModels.TinyCnn());
        var config = temp.Touch("aipp.cfg", $"aipp_op {{\n  aipp_mode: dynamic\n  max_src_image_size: {MaxBytes}\n}}\n");
        string[] common = ["--model=" + model, "--framework=5", "--soc_version=Ascend310", "--input_shape=input:-1,3,32,32", "--dynamic_batch_size=1,2"];
        var withAipp = CliHarness.RunReal([.. common, "--output=" + temp.File("aipp"), "--insert_op_conf=" + config]);
        Assert.True(withAipp.ExitCode == 0, withAipp.Stdout + withAipp.Stderr);
        var plain = CliHarness.RunReal([.. common, "--output=" + temp.File("plain")]);
        Assert.True(plain.ExitCode == 0, plain.Stdout + plain.Stderr);
        return (InferenceModel.Load(temp.File("aipp.om")), InferenceModel.Load(temp.File("plain.om")));
    }

    [Fact]
    public void Per_run_parameters_match_the_hand_preprocessed_float_input()
    {
        using var temp = new TempFolder();
        var (aipp, plain) = Compile(temp);
        var inputs = aipp.Signature.Inputs;
        Assert.Equal(("input", DataType.UInt8), (inputs[0].Name, inputs[0].Type));
        Assert.Equal([-1L, MaxBytes], inputs[0].Dims);
        Assert.Equal(("input_aipp_params", DataType.Float32), (inputs[1].Name, inputs[1].Type));

        // Run 1: a 40 x 36 BGR frame, cropped 30 x 28 at (5, 3), padded to 32 x 32. Run 2: a 34 x 33 XRGB frame, cropped 32 x 32.
        var bgr = new AippDynamicParameters
        {
            InputFormat = AippImageFormat.Rgb888, SourceWidth = 40, SourceHeight = 36, RbuvSwap = true,
            Crop = true, CropLeft = 5, CropTop = 3, CropWidth = 30, CropHeight = 28,
            Padding = true, PadLeft = 1, PadRight = 1, PadTop = 2, PadBottom = 2, PaddingValue = 0.25f,
            Mean = [104, 117, 123], Min = [0.5f, 0, 1.25f], VarReci = [0.0171f, 0.0175f, 0.0174f],
        };
        var xrgb = new AippDynamicParameters
        {
            InputFormat = AippImageFormat.Xrgb8888, SourceWidth = 34, SourceHeight = 33,
            Crop = true, CropLeft = 2, CropTop = 1, CropWidth = 32, CropHeight = 32, Mean = [128, 128, 128], VarReci = [0.01f, 0.02f, 0.03f],
        };
        foreach (var (p, batch) in new[] { (bgr, 2), (xrgb, 1), (bgr, 1) })
        {
            int bytesPerPixel = p.InputFormat == AippImageFormat.Xrgb8888 ? 4 : 3;
            var slots = new byte[batch * MaxBytes];
            new Random(batch * 10 + bytesPerPixel).NextBytes(slots);
            var byHand = new float[batch * 3 * 32 * 32];
            for (int n = 0; n < batch; n++)
                for (int c = 0; c < 3; c++)
                    for (int y = 0; y < 32; y++)
                        for (int x = 0; x < 32; x++)
                        {
                            int cy = y - (p.Padding ? p.PadTop : 0), cx = x - (p.Padding ? p.PadLeft : 0);
                            float value = p.PaddingValue;
                            if (cy >= 0 && cy < p.CropHeight && cx >= 0 && cx < p.CropWidth)
                            {
                                int pixel = n * MaxBytes + ((cy + p.CropTop) * p.SourceWidth + cx + p.CropLeft) * bytesPerPixel;
                                // RGB888 swapped is B,G,R; XRGB8888 is X,R,G,B.
                                byte v = bytesPerPixel == 4 ? slots[pixel + 1 + c] : slots[pixel + (p.RbuvSwap ? 2 - c : c)];
                                value = (float)((v - (double)p.Mean[c] - p.Min[c]) * p.VarReci[c]);
                            }
                            byHand[((n * 3 + c) * 32 + y) * 32 + x] = value;
                        }
            var expected = plain.Run(TensorData.Float([batch, 3, 32, 32], byHand))[0].ToFloatArray();
            var actual = aipp.Run(TensorData.FromArray(DataType.UInt8, [batch, MaxBytes], slots), aipp.CreateAippInput("input", p))[0].ToFloatArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"element {i}: {actual[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Parameters_are_checked_against_the_compiled_model_with_codes()
    {
        using var temp = new TempFolder();
        var (aipp, _) = Compile(temp);

        var unknown = Assert.Throws<InferenceInputException>(() => aipp.CreateAippInput("image", new AippDynamicParameters()));
        Assert.StartsWith("ATC3202: Input [image] of model [aipp] has no dynamic AIPP; the inputs with dynamic AIPP are [input].", unknown.Message);

        var large = Assert.Throws<InferenceInputException>(() => aipp.CreateAippInput("input",
            new AippDynamicParameters { InputFormat = AippImageFormat.Xrgb8888, SourceWidth = 64, SourceHeight = 32, Crop = true, CropWidth = 32, CropHeight = 32 }));
        Assert.StartsWith($"ATC3201: The XRGB8888_U8 source image of (w x h) 64 x 32 for input [input] needs 8192 bytes, more than its max_src_image_size [{MaxBytes}].", large.Message);

        var mean = Assert.Throws<InferenceInputException>(() => aipp.CreateAippInput("input", new AippDynamicParameters { SourceWidth = 32, SourceHeight = 32, Mean = [1, 2] }));
        Assert.StartsWith("ATC3200: Dynamic AIPP parameter [Mean] = [2 values] for input [input] is invalid: it needs 3 values.", mean.Message);

        var size = Assert.Throws<InferenceInputException>(() => aipp.CreateAippInput("input", new AippDynamicParameters { SourceWidth = 30, SourceHeight = 32 }));
        Assert.StartsWith("ATC3200: Dynamic AIPP parameter [SourceWidth/SourceHeight] = [30 x 32 + padding = 30 x 32]", size.Message);
        Assert.Contains("the model input takes (w x h) 32 x 32", size.Message);
    }

    [Theory]
    [InlineData("aipp_op { aipp_mode: dynamic max_src_image_size: 0 }", "--dynamic_batch_size=1,2", "ATC3107", "max_src_image_size is 0")]
    [InlineData("aipp_op { aipp_mode: dynamic }", "--dynamic_batch_size=1,2", "ATC3106", "max_src_image_size")]
    [InlineData("aipp_op { aipp_mode: dynamic max_src_image_size: 4096 related_input_rank: 3 }", "--dynamic_batch_size=1,2", "ATC3107", "related_input_rank 3 names no model input")]
    public void Bad_dynamic_blocks_are_coded_errors_from_the_cli(string text, string gears, string code, string message)
    {
        using var temp = new TempFolder();
        var model = temp.File("tiny.onnx");
        File.WriteAllBytes(model, OnnxModels.TinyCnn());
        var run = CliHarness.RunReal("--model=" + model, "--framework=5", "--soc_version=Ascend310", "--output=" + temp.File("m"),
            "--input_shape=input:-1,3,32,32", gears, "--insert_op_conf=" + temp.Touch("aipp.cfg", text));
        Assert.Equal(1, run.ExitCode);
        Assert.True(run.Stdout.Contains(code + ":") && run.Stdout.Contains(message), run.Stdout);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
    }

    [Fact]
    public void Dynamic_aipp_with_image_size_gears_is_not_supported()
    {
        using var temp = new TempFolder();
        var model = temp.File("tiny.onnx");
        File.WriteAllBytes(model, OnnxModels.TinyCnn());
        var run = CliHarness.RunReal("--model=" + model, "--framework=5", "--soc_version=Ascend310", "--output=" + temp.File("m"),
            "--input_shape=input:1,3,-1,-1", "--dynamic_image_size=32,32;64,64",
            "--insert_op_conf=" + temp.Touch("aipp.cfg", "aipp_op { aipp_mode: dynamic max_src_image_size: 4096 }"));
        Assert.Equal(1, run.ExitCode);
        Assert.True(run.Stdout.Contains("E10055") && run.Stdout.Contains("dynamic AIPP with --dynamic_image_size"), run.Stdout);
    }
}
