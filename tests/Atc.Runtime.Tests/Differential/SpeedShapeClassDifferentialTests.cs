using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Profiling;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Differential;

/// <summary>
/// The shape classes of issue 12's speed fixes against ONNX Runtime (1e-4 relative to the output's max) at batch 1
/// and 4: a channels-last GlobalAveragePool and a spatial ReduceMean on an odd channel count (several channel blocks
/// plus a tail), and a rank-3 MatMul with its bias Add fused into the GEMM epilogue, alone and followed by GELU.
/// </summary>
public class SpeedShapeClassDifferentialTests(ITestOutputHelper output)
{
    /// <summary>Conv 1x1 3→C (so the pools run channels-last), then GlobalAveragePool and ReduceMean over H, W.</summary>
    private static byte[] PoolModel(int channels)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 43);
        string x = b.Input("x", DataType.Float32, "N", 3, 9, 11);
        string conv = b.NamedNode("expand", "Conv", [x, b.HeWeight("expand.w", channels, 3, 1, 1), b.Normal("expand.b", 0f, 0.3f, channels)],
            ("kernel_shape", new long[] { 1, 1 }));
        string relu = b.Node("Relu", [conv]);
        b.AddNode("GlobalAveragePool", [relu], ["gap"], "gap");
        b.AddNode("ReduceMean", [relu], ["mean"], "mean", "", ("axes", new long[] { 2, 3 }), ("keepdims", 1L));
        b.Output("gap", DataType.Float32, "N", channels, 1, 1);
        b.Output("mean", DataType.Float32, "N", channels, 1, 1);
        return b.ToBytes();
    }

    /// <summary>A Linear on [N, S, K] (MatMul + bias Add), optionally followed by tanh-GELU, as a GPT MLP writes it.</summary>
    private static byte[] LinearModel(int sequence, int k, int n, bool gelu)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 47);
        string x = b.Input("x", DataType.Float32, "N", sequence, k);
        var t = new TransformerLayers(b, sequence, k, heads: 1);
        string y = t.Linear(x, "fc", k, n);
        if (gelu) y = t.GeluTanh(y, "act");
        b.AddNode("Identity", [y], ["y"]);
        b.Output("y", DataType.Float32, "N", sequence, n);
        return b.ToBytes();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void ChannelsLastGlobalPoolAndSpatialMeanMatchOnnxRuntime(int batch)
    {
        var steps = RunAndCompare(PoolModel(301), [batch, 3, 9, 11], "pools");
        Assert.Equal("NHWC", Assert.Single(steps, s => s.NodeName == "gap").Layout);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(1, true)]
    [InlineData(4, true)]
    public void Rank3MatMulWithBiasMatchesOnnxRuntime(int batch, bool gelu)
    {
        var steps = RunAndCompare(LinearModel(16, 72, 290, gelu), [batch, 16, 72], "linear");
        // The bias Add (and the GELU) fused into the MatMul: one step.
        Assert.Equal("MatMul", Assert.Single(steps).OpType);
    }

    private List<ProfiledStep> RunAndCompare(byte[] model, int[] shape, string name)
    {
        var input = TensorData.Float(shape, ModelPipeline.RandomUniform(19, (int)Shape.ElementCount(shape)));
        var graph = ModelPipeline.ImportOnnx(model, name + ".onnx");
        var compiled = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [shape]));
        using var session = compiled.CreateSession(new SessionOptions { ThreadCount = 2 });
        var steps = new StepRecorder();
        session.Profiler = steps;
        var ours = session.Run(input);
        var reference = OrtRunner.Run(model, new Dictionary<string, TensorData> { ["x"] = input });
        Assert.Equal(reference.Length, ours.Length);
        for (int i = 0; i < ours.Length; i++)
        {
            var comparison = TensorCompare.ScaledClose(ours[i], reference[i], 1e-4, 1e-5);
            output.WriteLine($"output {i}: {comparison}");
            Assert.True(comparison.Within, comparison.ToString());
        }
        foreach (var step in steps.Seen) output.WriteLine($"{step.NodeName}: {step.OpType} {step.KernelName} {step.Layout}");
        return steps.Seen;
    }

    private sealed class StepRecorder : IRunProfiler
    {
        public List<ProfiledStep> Seen { get; } = [];
        public void StepCompleted(ProfiledStep step, long elapsedTicks) => Seen.Add(step);
    }
}
