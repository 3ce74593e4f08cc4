using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Microsoft.ML.OnnxRuntime;
using OrtSession = Microsoft.ML.OnnxRuntime.InferenceSession;
using OrtOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Microsoft.ML.OnnxRuntime.Tensors;

using Atc.Runtime.Core;

namespace Atc.Tests.Differential;

/// <summary>
/// Compiles a small ONNX graph with every pass (batch gears 1 and 2), hands the optimised graph to a check, then runs
/// both gears against ONNX Runtime (1 thread): max |ours - ort| ≤ 1e-4 · max |ort|. Graphs have one float input
/// <see cref="OnnxModels.InputName"/> [N, ...] and one output <see cref="OnnxModels.OutputName"/>.
/// </summary>
internal static class PatternFusionHarness
{
    public const double Relative = 1e-4;
    private static readonly int[] Batches = [1, 2];

    public static string Run(byte[] onnx, Action<Graph> checkOptimised, int seed = 11)
    {
        var graph = ModelPipeline.ImportOnnx(onnx, "pattern.onnx");
        var gears = ModelPipeline.BatchGears(graph, Batches);
        int[] dims = [.. graph.Inputs.Single().Shape!.Skip(1).Select(d => (int)d)];
        PassPipeline.Run(graph);
        checkOptimised(graph);
        var model = ModelPipeline.Emit(graph, gears);

        using var options = new OrtOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var reference = new OrtSession(onnx, options);
        var report = new List<string>();
        foreach (int batch in Batches)
        {
            int[] shape = [batch, .. dims];
            var input = ModelPipeline.RandomUniform(seed + batch, (int)Shape.ElementCount(shape));
            for (int i = 0; i < input.Length; i++) input[i] *= 3; // reach both tails of the activations
            using var session = model.CreateSession();
            var ours = session.Run(TensorData.Float(shape, input)).Single();
            using var results = reference.Run([NamedOnnxValue.CreateFromTensor(OnnxModels.InputName, new DenseTensor<float>(input, shape))]);
            var expected = results.Single(r => r.Name == OnnxModels.OutputName).AsTensor<float>();
            var comparison = TensorCompare.ScaledClose(ours, TensorData.Float([.. expected.Dimensions], [.. expected]), Relative);
            Assert.True(comparison.Within, $"batch {batch}: {comparison}");
            report.Add($"batch {batch}: {comparison}");
        }
        return string.Join("; ", report);
    }

    public static int Count(Graph graph, string opType) => graph.Nodes.Count(n => n.OpType == opType);

    public static Node Single(Graph graph, string opType) => Assert.Single(graph.Nodes, n => n.OpType == opType);
}
