using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Differential;

/// <summary>
/// If, Loop and Scan end to end (import → passes → .om → runtime) against ONNX Runtime on the models of
/// <see cref="ControlFlowModels"/>, each on inputs that take different paths (branches, trip counts). Shapes must
/// match exactly, floats within 1e-5·max|ort| + 1e-6.
/// </summary>
public class ControlFlowDifferentialTests
{
    /// <summary>Named input sets per model (values for each input in declared order).</summary>
    private static readonly Dictionary<string, (string Case, TensorData[] Inputs)[]> Cases = new(StringComparer.Ordinal)
    {
        ["if_computed_condition"] =
        [
            ("then", [TensorData.Float([2, 3], 0.5f, 1, -0.2f, 0.3f, 0.1f, 0.9f)]),
            ("else", [TensorData.Float([2, 3], -0.5f, 1, -0.2f, -0.3f, -0.1f, -0.9f)]),
        ],
        ["loop_running_sum"] = [("random", [TensorData.Float([3], 0.25f, -1.5f, 2f)])],
        ["loop_computed_trip_count"] =
        [
            ("two", [TensorData.Float([3], 0.1f, 0.2f, 0.9f)]),
            ("zero", [TensorData.Float([3], 0.9f, 0.2f, 0.1f)]),
            ("one", [TensorData.Float([3], 0.1f, 0.9f, 0.2f)]),
        ],
        ["loop_until_condition"] =
        [
            ("several", [TensorData.Float([4], 10f, 20f, 5f, 1f)]),
            ("once", [TensorData.Float([4], 0.1f, 0.2f, 0.3f, 0.1f)]),
        ],
        ["scan_cumulative_sum"] = [("random", [TensorData.Float([5, 3], ModelPipeline.RandomUniform(1, 15))])],
        ["scan_reverse_axis1"] = [("random", [TensorData.Float([2, 4], ModelPipeline.RandomUniform(2, 8)), TensorData.Float([2], 0.5f, -0.75f)])],
        ["if_inside_loop"] = [("random", [TensorData.Float([2, 2], ModelPipeline.RandomUniform(3, 4))])],
    };

    public static TheoryData<string, string> Names()
    {
        var data = new TheoryData<string, string>();
        foreach (var (model, cases) in Cases) foreach (var c in cases) data.Add(model, c.Case);
        return data;
    }

    [Fact]
    public void Every_model_has_cases() => Assert.Equal(ControlFlowModels.All.Keys.Where(k => k != "loop_batch").Order(), Cases.Keys.Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches_onnx_runtime(string name, string caseName)
    {
        byte[] model = ControlFlowModels.All[name]();
        var inputs = Cases[name].Single(c => c.Case == caseName).Inputs;
        var graph = ModelPipeline.ImportOnnx(model, name + ".onnx");
        var compiled = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [.. inputs.Select(t => t.Dims)]));
        using var session = compiled.CreateSession(new SessionOptions { ThreadCount = 1 });
        AssertMatches(model, compiled, session.Run(inputs), inputs);
        // A second run on the same session reuses the nested plans' scratch: same results.
        AssertMatches(model, compiled, session.Run(inputs), inputs);
    }

    [Fact]
    public void Loop_body_runs_every_batch_gear()
    {
        byte[] model = ControlFlowModels.LoopBatch();
        var graph = ModelPipeline.ImportOnnx(model, "loop_batch.onnx");
        var compiled = ModelPipeline.Compile(graph, ModelPipeline.BatchGears(graph, 1, 3));
        foreach (int batch in new[] { 1, 3 })
        {
            var inputs = new[] { TensorData.Float([batch, 4], ModelPipeline.RandomUniform(10 + batch, batch * 4)) };
            using var session = compiled.CreateSession(new SessionOptions { ThreadCount = 1 });
            AssertMatches(model, compiled, session.Run(inputs), inputs);
        }
    }

    private static void AssertMatches(byte[] model, InferenceModel compiled, TensorData[] ours, TensorData[] inputs)
    {
        var reference = OrtRunner.Run(model, compiled.Signature.Inputs.Select((d, k) => (d.Name, inputs[k])).ToDictionary(p => p.Name, p => p.Item2));
        Assert.Equal(reference.Length, ours.Length);
        for (int k = 0; k < ours.Length; k++)
        {
            var comparison = TensorCompare.ScaledClose(ours[k], reference[k], 1e-5, 1e-6);
            Assert.True(comparison.Within, $"output {k}: {comparison}");
        }
    }
}
