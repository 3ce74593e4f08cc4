using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Differential;

/// <summary>
/// Importer lowerings that decompose or extend ONNX ops (LayerNormalization, MeanVarianceNormalization, Resize
/// cubic, Dropout's mask) against ONNX Runtime on small seeded models, so they are checked without ../shared:
/// every output within 1e-4 · max|ort| + 1e-6 (bool outputs exactly).
/// </summary>
public class OnnxLoweringDifferentialTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, Func<(byte[] Model, int[] InputShape)>> Models = new(StringComparer.Ordinal)
    {
        ["layer_norm_last_axis_with_stats"] = () =>
        {
            var b = new OnnxModelBuilder(opset: 17, seed: 3);
            b.Input("x", DataType.Float32, 2, 3, 8);
            b.AddNode("LayerNormalization", ["x", b.Uniform("scale", 0.5f, 1.5f, 8), b.Uniform("bias", -1f, 1f, 8)], ["y", "mean", "inv_std_dev"], "ln", "", ("axis", -1L));
            b.Output("y", DataType.Float32, 2, 3, 8);
            b.Output("mean", DataType.Float32, 2, 3, 1);
            b.Output("inv_std_dev", DataType.Float32, 2, 3, 1);
            return (b.ToBytes(), [2, 3, 8]);
        },
        ["layer_norm_axis1_no_bias"] = () =>
        {
            var b = new OnnxModelBuilder(opset: 17, seed: 4);
            b.Input("x", DataType.Float32, 2, 3, 4, 5);
            b.AddNode("LayerNormalization", ["x", b.Uniform("scale", 0.5f, 1.5f, 3, 4, 5)], ["y"], "ln", "", ("axis", 1L), ("epsilon", 1e-3f));
            b.Output("y", DataType.Float32, 2, 3, 4, 5);
            return (b.ToBytes(), [2, 3, 4, 5]);
        },
        ["mean_variance_normalization"] = () =>
        {
            var b = new OnnxModelBuilder(opset: 13, seed: 5);
            b.Input("x", DataType.Float32, 2, 3, 4, 5);
            b.AddNode("MeanVarianceNormalization", ["x"], ["y"], "mvn");
            b.Output("y", DataType.Float32, 2, 3, 4, 5);
            return (b.ToBytes(), [2, 3, 4, 5]);
        },
        ["resize_cubic_half_pixel"] = () => Resize(("cubic_coeff_a", -0.75f)),
        ["resize_cubic_exclude_outside"] = () => Resize(("cubic_coeff_a", -0.5f), ("exclude_outside", 1L)),
        ["resize_tf_crop_and_resize_linear_extrapolated"] = () => CropAndResize("linear"),
        ["resize_tf_crop_and_resize_nearest_extrapolated"] = () => CropAndResize("nearest"),
        ["dropout_mask"] = () =>
        {
            var b = new OnnxModelBuilder(opset: 13, seed: 6);
            b.Input("x", DataType.Float32, 3, 4);
            b.AddNode("Dropout", ["x"], ["y", "mask"], "drop");
            b.Output("y", DataType.Float32, 3, 4);
            b.Output("mask", DataType.Bool, 3, 4);
            return (b.ToBytes(), [3, 4]);
        },
    };

    private static (byte[], int[]) Resize(params (string, object)[] attributes)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 7);
        b.Input("x", DataType.Float32, 1, 2, 5, 6);
        b.AddNode("Resize", ["x", b.Floats("roi", [0]), b.Floats("scales", [4], 1f, 1f, 1.6f, 0.75f)], ["y"], "resize", "",
            [("mode", "cubic"), .. attributes]);
        b.Output("y", DataType.Float32, 1, 2, 8, 4);
        return (b.ToBytes(), [1, 2, 5, 6]);
    }

    /// <summary>tf_crop_and_resize with a box reaching past the input on both spatial axes: the samples outside take
    /// extrapolation_value.</summary>
    private static (byte[], int[]) CropAndResize(string mode)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 8);
        b.Input("x", DataType.Float32, 1, 2, 5, 6);
        b.AddNode("Resize", ["x", b.Floats("roi", [8], 0f, 0f, -0.2f, 0.3f, 1f, 1f, 0.9f, 1.25f), "", b.Int64s("sizes", 1, 2, 7, 4)], ["y"], "resize", "",
            ("mode", mode), ("coordinate_transformation_mode", "tf_crop_and_resize"), ("extrapolation_value", 7f));
        b.Output("y", DataType.Float32, 1, 2, 7, 4);
        return (b.ToBytes(), [1, 2, 5, 6]);
    }

    public static TheoryData<string> Names => [.. Models.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches_onnx_runtime(string name)
    {
        var (model, shape) = Models[name]();
        SingleInputDifferential.AssertMatchesOrt(name, model, shape, seed: 11, absoluteTolerance: 1e-6, output);
    }
}
