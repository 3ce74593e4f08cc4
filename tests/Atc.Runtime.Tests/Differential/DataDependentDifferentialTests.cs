using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Differential;

/// <summary>
/// Ops whose output size depends on the data, and a detector with NonMaxSuppression, against ONNX Runtime on
/// several inputs each: typical data, an input that gives an empty output, and one that fills the bound. Shapes
/// must match exactly (the session's GetOutputShape too), int64 outputs exactly, floats within 1e-4·max|ort| + 1e-6.
/// </summary>
public class DataDependentDifferentialTests(ITestOutputHelper output)
{
    /// <summary>Named input sets per model: each input's values (shapes are the model's declared ones).</summary>
    private static readonly Dictionary<string, (string Case, Func<int[], int, float[]>[] Inputs)[]> Cases = new(StringComparer.Ordinal)
    {
        ["nonzero"] = [("mixed", [Sparse(1)]), ("all_zero", [Fill(0f)]), ("all_set", [Fill(0.3f)])],
        ["topk_computed_k"] = [("k_from_data", [Uniform(2)]), ("k_zero", [Scaled(3, 0.09f)]), ("k_nine", [WithMax(4, 0.95f)])],
        ["unique_sorted"] = [("random", [Uniform(5)]), ("one_value", [Fill(0.1f)])],
        ["unique_unsorted"] = [("random", [Uniform(6)]), ("one_value", [Fill(0.9f)])],
        ["unique_axis0"] = [("random", [Uniform(7)]), ("equal_rows", [Fill(0.6f)])],
        ["unique_axis1_unsorted"] = [("random", [Uniform(8)]), ("equal_columns", [Fill(0.2f)])],
        ["compress_axis0"] = [("random", [Uniform(9)]), ("none_kept", [Scaled(10, 0.4f)]), ("all_kept", [Fill(0.8f)])],
        ["compress_flat"] = [("random", [Uniform(11)]), ("none_kept", [Scaled(12, 0.4f)]), ("all_kept", [Fill(0.8f)])],
        ["range_from_computed"] = [("random", [Uniform(13)]), ("empty", [Scaled(14, 0.09f)])],
        ["expand_from_computed"] = [("random", [Uniform(15)]), ("empty", [Scaled(16, 0.09f)])],
        ["tile_from_computed"] = [("random", [WithMax(17, 0.55f)]), ("empty", [Scaled(18, 0.09f)])],
        ["constant_of_shape_from_computed"] = [("random", [WithMax(19, 0.75f)]), ("empty", [Scaled(20, 0.09f)])],
        ["reshape_from_computed"] = [("two_rows", [WithMax(21, 0.8f)]), ("one_row", [Scaled(22, 0.45f)])],
        ["nms_corners"] = NmsCases(30),
        ["nms_centers"] = NmsCases(40),
        ["nms_no_limit_input"] = NmsCases(50),
        ["detector"] =
        [
            ("typical", [Symmetric(60), Fill(0.5f), Fill(0.3f)]),
            ("zero_detections", [Symmetric(61), Fill(0.5f), Fill(1f)]),
            ("bound", [Symmetric(62), Fill(1f), Fill(0f)]),
            ("other_image", [Symmetric(63), Fill(0.3f), Fill(0.5f)]),
        ],
    };

    private static (string, Func<int[], int, float[]>[])[] NmsCases(int seed) =>
    [
        ("typical", [Boxes(seed), Uniform(seed + 1), Fill(0.4f), Fill(0.3f)]),
        ("zero_detections", [Boxes(seed + 2), Uniform(seed + 3), Fill(0.4f), Fill(1f)]),
        ("bound", [Boxes(seed + 4), Uniform(seed + 5), Fill(1f), Fill(0f)]),
        ("overlapping", [Fill(1f), Uniform(seed + 6), Fill(0.5f), Fill(0.1f)]),
    ];

    public static TheoryData<string, string> Names()
    {
        var data = new TheoryData<string, string>();
        foreach (var (model, cases) in Cases) foreach (var c in cases) data.Add(model, c.Case);
        return data;
    }

    [Fact]
    public void Every_model_has_cases() => Assert.Equal(DataDependentModels.All.Keys.Order(), Cases.Keys.Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches_onnx_runtime(string name, string caseName)
    {
        byte[] model = DataDependentModels.All[name]();
        var graph = ModelPipeline.ImportOnnx(model, name + ".onnx");
        var shapes = graph.Inputs.Select(v => v.Shape!.Select(d => (int)d).ToArray()).ToArray();
        var compiled = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, shapes));
        var generators = Cases[name].Single(c => c.Case == caseName).Inputs;
        var inputs = shapes.Select((s, k) => TensorData.Float(s, generators[k](s, (int)Shape.ElementCount(s)))).ToArray();

        using var session = compiled.CreateSession(new SessionOptions { ThreadCount = 1 });
        var ours = session.Run(inputs);
        var reference = OrtRunner.Run(model, compiled.Signature.Inputs.Select((d, k) => (d.Name, inputs[k])).ToDictionary(p => p.Name, p => p.Item2));

        Assert.Equal(reference.Length, ours.Length);
        for (int k = 0; k < ours.Length; k++)
        {
            Assert.True(compiled.Signature.Outputs[k].IsDataDependent, $"output {k} should be data-dependent");
            Assert.Equal(reference[k].Dims, session.GetOutputShape(k).ToArray());
            var comparison = TensorCompare.ScaledClose(ours[k], reference[k], 1e-4, 1e-6);
            output.WriteLine($"{name}/{caseName} output {k} {Shape.Format(ours[k].Dims)}: {comparison}");
            Assert.True(comparison.Within, $"{name}/{caseName} output {k}: {comparison}");
        }
    }

    [Fact]
    public void Detector_fills_the_bound_and_gives_zero_detections()
    {
        byte[] model = DataDependentModels.All["detector"]();
        var graph = ModelPipeline.ImportOnnx(model, "detector.onnx");
        var compiled = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [[1, 3, 8, 8], [1], [1]]));
        using var session = compiled.CreateSession(new SessionOptions { ThreadCount = 1 });
        var image = TensorData.Float([1, 3, 8, 8], ModelPipeline.RandomUniform(70, 192));

        session.Run(image, TensorData.Float([1], 1f), TensorData.Float([1], 0f));
        Assert.Equal([10, 4], session.GetOutputShape(0).ToArray());   // 2 classes x 5 per class: the bound
        Assert.Equal(40, session.GetOutput<float>(0).Length);

        session.Run(image, TensorData.Float([1], 0.5f), TensorData.Float([1], 1f));
        Assert.Equal([0, 4], session.GetOutputShape(0).ToArray());
        Assert.Equal(0, session.GetOutput<float>(0).Length);
        Assert.Equal([0, 3], session.GetOutputShape(2).ToArray());
    }

    // ---- input generators: (shape, count) → values ----

    private static Func<int[], int, float[]> Uniform(int seed) => (_, n) =>
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => 0.01f + 0.98f * (float)random.NextDouble())];
    };

    private static Func<int[], int, float[]> Symmetric(int seed) => (_, n) => ModelPipeline.RandomUniform(seed, n);

    private static Func<int[], int, float[]> Scaled(int seed, float max) => (s, n) => [.. Uniform(seed)(s, n).Select(v => v * max)];

    /// <summary>Uniform values below <paramref name="max"/>, with the largest exactly <paramref name="max"/>.</summary>
    private static Func<int[], int, float[]> WithMax(int seed, float max) => (s, n) =>
    {
        var values = Scaled(seed, max)(s, n);
        values[n / 2] = max;
        return values;
    };

    private static Func<int[], int, float[]> Fill(float value) => (_, n) => Enumerable.Repeat(value, n).ToArray();

    private static Func<int[], int, float[]> Sparse(int seed) => (s, n) => [.. Uniform(seed)(s, n).Select(v => v < 0.5f ? 0f : v)];

    /// <summary>Boxes [.., 4] as two corners in [0, 10), written in either order (NMS takes any diagonal).</summary>
    private static Func<int[], int, float[]> Boxes(int seed) => (_, n) =>
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => 10f * (float)random.NextDouble())];
    };
}
