using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Tests.TestSupport;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Atc.Tests.Differential;

/// <summary>One builder model compiled by this project (batch gears 1 and 4) next to ONNX Runtime's session for the same bytes.</summary>
public sealed class CompiledOnnxModel : IDisposable
{
    public CompiledOnnxModel(string name, byte[] onnx, params int[] batches)
    {
        Name = name;
        var graph = ModelPipeline.ImportOnnx(onnx, name + ".onnx");
        var gears = ModelPipeline.BatchGears(graph, batches);
        InputDims = [.. graph.Inputs.Single().Shape!.Skip(1).Select(d => (int)d)];
        Atc.Compiler.Passes.PassPipeline.Run(graph);
        MissingOperators = ModelPipeline.MissingOperators(graph);
        if (MissingOperators.Length == 0) Model = ModelPipeline.Emit(graph, gears);

        var options = new Ort.SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        Reference = new Ort.InferenceSession(onnx, options);
    }

    public string Name { get; }
    /// <summary>The input's dims after the batch axis.</summary>
    public int[] InputDims { get; }
    public string[] MissingOperators { get; }
    public InferenceModel? Model { get; }
    public Ort.InferenceSession Reference { get; }

    public void Dispose() => Reference.Dispose();
}
