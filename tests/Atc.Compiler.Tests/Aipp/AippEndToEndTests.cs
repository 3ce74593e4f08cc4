using Atc.Cli.Tests.Support;
using Atc.Runtime;
using Atc.TestModels.Onnx;

namespace Atc.Compiler.Tests.Aipp;

/// <summary>
/// AIPP through the real atc command line: a model compiled with --insert_op_conf and fed a uint8 image gives what the
/// same model compiled without AIPP gives for the float tensor preprocessed by hand (the formulas written out here).
/// </summary>
public class AippEndToEndTests
{
    private static readonly float[] Mean = [104, 117, 123];
    private static readonly float[] Min = [0.5f, 0, 1.25f];
    private static readonly float[] VarReci = [0.0171f, 0.0175f, 0.0174f];

    [Fact]
    public void TinyCnnWithAippMatchesHandPreprocessedFloatInput()
    {
        using var temp = new TempFolder();
        var model = temp.File("tiny.onnx");
        File.WriteAllBytes(model, OnnxModels.TinyCnn());
        // A BGR 40 x 36 camera frame: swap to RGB, crop 30 x 28 at (5, 3), pad to 32 x 32, normalise.
        var config = temp.Touch("aipp.cfg", """
            aipp_op {
              aipp_mode: static
              input_format: RGB888_U8
              src_image_size_w: 40
              src_image_size_h: 36
              rbuv_swap_switch: true
              crop: true
              load_start_pos_w: 5
              load_start_pos_h: 3
              crop_size_w: 30
              crop_size_h: 28
              padding: true
              left_padding_size: 1
              right_padding_size: 1
              top_padding_size: 2
              bottom_padding_size: 2
              padding_value: 0.25
              mean_chn_0: 104
              mean_chn_1: 117
              mean_chn_2: 123
              min_chn_0: 0.5
              min_chn_2: 1.25
              var_reci_chn_0: 0.0171
              var_reci_chn_1: 0.0175
              var_reci_chn_2: 0.0174
            }
            """);
        string[] common = ["--model=" + model, "--framework=5", "--soc_version=Ascend310", "--input_shape=input:-1,3,32,32", "--dynamic_batch_size=1,2"];
        var withAipp = CliHarness.RunReal([.. common, "--output=" + temp.File("aipp"), "--insert_op_conf=" + config]);
        Assert.True(withAipp.ExitCode == 0, withAipp.Stdout + withAipp.Stderr);
        var plain = CliHarness.RunReal([.. common, "--output=" + temp.File("plain")]);
        Assert.True(plain.ExitCode == 0, plain.Stdout + plain.Stderr);

        var aippModel = InferenceModel.Load(temp.File("aipp.om"));
        var plainModel = InferenceModel.Load(temp.File("plain.om"));
        var input = Assert.Single(aippModel.Signature.Inputs);
        Assert.Equal(("input", DataType.UInt8, "NHWC"), (input.Name, input.Type, input.Format));
        Assert.Equal([-1L, 36, 40, 3], input.Dims);

        foreach (int batch in new[] { 1, 2 })
        {
            var bgr = new byte[batch * 36 * 40 * 3];
            new Random(batch).NextBytes(bgr);
            var byHand = new float[batch * 3 * 32 * 32];
            for (int n = 0; n < batch; n++)
                for (int c = 0; c < 3; c++)
                    for (int y = 0; y < 32; y++)
                        for (int x = 0; x < 32; x++)
                        {
                            int cy = y - 2, cx = x - 1;
                            float value = 0.25f;
                            if (cy >= 0 && cy < 28 && cx >= 0 && cx < 30)
                            {
                                byte pixel = bgr[((n * 36 + cy + 3) * 40 + cx + 5) * 3 + (2 - c)]; // BGR → RGB
                                value = (float)((pixel - (double)Mean[c] - Min[c]) * VarReci[c]);
                            }
                            byHand[((n * 3 + c) * 32 + y) * 32 + x] = value;
                        }
            var expected = plainModel.Run(TensorData.Float([batch, 3, 32, 32], byHand))[0].ToFloatArray();
            var actual = aippModel.Run(TensorData.FromArray(DataType.UInt8, [batch, 36, 40, 3], bgr))[0].ToFloatArray();
            AssertClose(expected, actual, 1e-4);
        }
    }

    [Fact]
    public void Nv12ImageToNhwcTensorFlowModelWithBatchGears()
    {
        using var temp = new TempFolder();
        var model = temp.File("relu.pb");
        TinyTensorFlowModel.Write(model, "x", [-1, 4, 6, 3]);
        var config = temp.Touch("aipp.cfg", """
            aipp_op {
              input_format: YUV420SP_U8
              csc_switch: true
              matrix_r0c0: 256  matrix_r0c1: 0     matrix_r0c2: 359
              matrix_r1c0: 256  matrix_r1c1: -88   matrix_r1c2: -183
              matrix_r2c0: 256  matrix_r2c1: 454   matrix_r2c2: 0
              input_bias_0: 0   input_bias_1: 128  input_bias_2: 128
              var_reci_chn_0: 0.00392157 var_reci_chn_1: 0.00392157 var_reci_chn_2: 0.00392157
            }
            """);
        var compile = CliHarness.RunReal("--model=" + model, "--framework=3", "--soc_version=Ascend310", "--output=" + temp.File("m"),
            "--input_shape=x:-1,4,6,3", "--dynamic_batch_size=1,3", "--insert_op_conf=" + config);
        Assert.True(compile.ExitCode == 0, compile.Stdout + compile.Stderr);
        var om = InferenceModel.Load(temp.File("m.om"));
        Assert.Equal([-1L, 6, 6, 1], om.Signature.Inputs[0].Dims);

        var nv12 = new byte[3 * 6 * 6];
        new Random(5).NextBytes(nv12);
        var y = om.Run(TensorData.FromArray(DataType.UInt8, [3, 6, 6, 1], nv12))[0];
        Assert.Equal([3, 4, 6, 3], y.Dims);
        var values = y.ToFloatArray();
        for (int n = 0; n < 3; n++)
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 6; c++)
                {
                    int image = n * 36;
                    double luma = nv12[image + r * 6 + c], u = nv12[image + (4 + r / 2) * 6 + c / 2 * 2] - 128.0, v = nv12[image + (4 + r / 2) * 6 + c / 2 * 2 + 1] - 128.0;
                    double[] rgb = [luma * 256 + 359 * v, luma * 256 - 88 * u - 183 * v, luma * 256 + 454 * u];
                    for (int k = 0; k < 3; k++)
                    {
                        double expected = Math.Clamp(Math.Floor(rgb[k] / 256), 0, 255) * 0.00392157;
                        Assert.Equal(expected, values[((n * 4 + r) * 6 + c) * 3 + k], 5);
                    }
                }
    }

    [Fact]
    public void ImageSizeGearsFeedTheSourceAtEachGearSize()
    {
        using var temp = new TempFolder();
        var model = temp.File("relu.pb");
        TinyTensorFlowModel.Write(model, "x", [1, -1, -1, 3]);
        var config = temp.Touch("aipp.cfg", "aipp_op { input_format: XRGB8888_U8 ax_swap_switch: true mean_chn_1: 100 }");
        var compile = CliHarness.RunReal("--model=" + model, "--framework=3", "--soc_version=Ascend310", "--output=" + temp.File("m"),
            "--input_shape=x:1,-1,-1,3", "--dynamic_image_size=2,3;4,5", "--insert_op_conf=" + config);
        Assert.True(compile.ExitCode == 0, compile.Stdout + compile.Stderr);
        var om = InferenceModel.Load(temp.File("m.om"));
        Assert.Equal([1L, -1, -1, 4], om.Signature.Inputs[0].Dims);
        var rgbx = Enumerable.Range(0, 4 * 5 * 4).Select(i => (byte)(i * 7)).ToArray();
        var y = om.Run(TensorData.FromArray(DataType.UInt8, [1, 4, 5, 4], rgbx))[0];
        Assert.Equal([1, 4, 5, 3], y.Dims);
        var values = y.ToFloatArray();
        for (int p = 0; p < 20; p++)
        {
            Assert.Equal(rgbx[p * 4], values[p * 3]);
            Assert.Equal(Math.Max(0, rgbx[p * 4 + 1] - 100), values[p * 3 + 1]);
        }

        var crop = temp.Touch("crop.cfg", "aipp_op { input_format: RGB888_U8 crop: true load_start_pos_w: 0 }");
        var refused = CliHarness.RunReal("--model=" + model, "--framework=3", "--soc_version=Ascend310", "--output=" + temp.File("c"),
            "--input_shape=x:1,-1,-1,3", "--dynamic_image_size=2,3;4,5", "--insert_op_conf=" + crop);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("E10055", refused.Stdout);
    }

    [Fact]
    public void RelatedInputRankPicksTheSecondInputOfAMultiInputModel()
    {
        using var temp = new TempFolder();
        var b = new OnnxModelBuilder();
        string scale = b.Input("scale", DataType.Float32, 1, 1, 2, 2);
        string image = b.Input("image", DataType.Float32, 1, 1, 2, 2);
        string product = b.NamedNode("mul", "Mul", [scale, image]);
        b.Output(b.Node("Identity", [product]), DataType.Float32, 1, 1, 2, 2);
        var model = temp.File("two.onnx");
        File.WriteAllBytes(model, b.ToBytes());
        var config = temp.Touch("aipp.cfg", "aipp_op { related_input_rank: 1 input_format: YUV400_U8 mean_chn_0: 1 var_reci_chn_0: 0.5 }");
        var compile = CliHarness.RunReal("--model=" + model, "--framework=5", "--soc_version=Ascend310", "--output=" + temp.File("m"), "--insert_op_conf=" + config);
        Assert.True(compile.ExitCode == 0, compile.Stdout + compile.Stderr);
        var om = InferenceModel.Load(temp.File("m.om"));
        Assert.Equal([DataType.Float32, DataType.UInt8], om.Signature.Inputs.Select(i => i.Type));
        Assert.Equal([1L, 2, 2, 1], om.Signature.Inputs[1].Dims);
        var y = om.Run(TensorData.Float([1, 1, 2, 2], 1, 2, 3, 4), TensorData.FromArray(DataType.UInt8, [1, 2, 2, 1], new byte[] { 1, 3, 5, 255 }))[0];
        Assert.Equal([0f, 2f, 6f, 508f], y.ToFloatArray());
    }

    [Theory]
    [InlineData("aipp_op { input_format: RGB888_U8 src_image_size_w: 30 src_image_size_h: 32 }", "ATC3104",
        "AIPP produces (w x h) 30 x 32 images but model input [input] takes (w x h) 32 x 32")]
    [InlineData("aipp_op { related_input_rank: 2 input_format: RGB888_U8 }", "ATC3107", "related_input_rank 2 names no model input; the model has 1 (0: input)")]
    [InlineData("aipp_op { input_format: YUV400_U8 }", "ATC3107", "input_format YUV400_U8 gives 1 channel(s)")]
    [InlineData("aipp_op { input_format: RGB888_U8 crop: true load_start_pos_w: 4 src_image_size_w: 34 src_image_size_h: 32 }", "ATC3103",
        "the crop window (w x h) 32 x 32 at (4, 0) lies outside the source image (w x h) 34 x 32")]
    [InlineData("aipp_op { input_format: RGB888_U8 crop_siz_w: 3 }", "ATC3101", "[crop_siz_w]")]
    public void ModelMismatchesAreCodedErrorsFromTheCli(string text, string code, string message)
    {
        using var temp = new TempFolder();
        var model = temp.File("tiny.onnx");
        File.WriteAllBytes(model, OnnxModels.TinyCnn());
        var run = CliHarness.RunReal("--model=" + model, "--framework=5", "--soc_version=Ascend310", "--output=" + temp.File("m"),
            "--input_shape=input:1,3,32,32", "--insert_op_conf=" + temp.Touch("aipp.cfg", text));
        Assert.Equal(1, run.ExitCode);
        Assert.True(run.Stdout.Contains(code + ":") && run.Stdout.Contains(message), run.Stdout);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
    }

    [Fact]
    public void MissingConfigFileIsE13000()
    {
        using var temp = new TempFolder();
        var model = temp.File("tiny.onnx");
        File.WriteAllBytes(model, OnnxModels.TinyCnn());
        var run = CliHarness.RunReal("--model=" + model, "--framework=5", "--soc_version=Ascend310", "--output=" + temp.File("m"),
            "--input_shape=input:1,3,32,32", "--insert_op_conf=" + temp.File("none.cfg"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("E13000", run.Stdout);
        Assert.Contains("none.cfg", run.Stdout);

        var empty = CliHarness.RunReal("--model=" + model, "--framework=5", "--soc_version=Ascend310", "--output=" + temp.File("m"),
            "--input_shape=input:1,3,32,32", "--insert_op_conf=");
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("E10004: Value for [--insert_op_conf] is empty.", empty.Stdout);
    }

    private static void AssertClose(float[] expected, float[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(Math.Abs(expected[i]), scale * 1e-2),
                $"element {i}: {actual[i]} with AIPP, {expected[i]} preprocessed by hand");
    }
}
