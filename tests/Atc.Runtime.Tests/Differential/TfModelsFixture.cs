using System.Collections.Concurrent;
using Atc.Runtime;
using Atc.TestModels.TensorFlow;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Differential;

/// <summary>A TensorFlow builder model compiled with batch gears 1 and 4 (or the runtime ops it still lacks).</summary>
public sealed record CompiledTfModel(TfModel Source, InferenceModel? Model, string[] MissingOperators)
{
    /// <summary>The input's dims after the batch axis.</summary>
    public int[] InputDims => [.. Source.InputShape.Skip(1).Select(d => (int)d)];
}

/// <summary>Compiles each TensorFlow builder model once per test class, on first use.</summary>
public sealed class TfModelsFixture
{
    public static readonly int[] Batches = [1, 4];

    public static readonly IReadOnlyDictionary<string, Func<TfModel>> Sources = new Dictionary<string, Func<TfModel>>
    {
        ["small_resnet"] = () => TfModels.SmallResNet(),
        ["mobilenet_v2"] = () => TfModels.MobileNetV2(),
        ["mlp"] = () => TfModels.Mlp(),
    };

    private readonly ConcurrentDictionary<string, Lazy<CompiledTfModel>> _models = new(StringComparer.Ordinal);

    public CompiledTfModel Get(string name) => _models.GetOrAdd(name, n => new Lazy<CompiledTfModel>(() => Compile(Sources[n]()))).Value;

    private static CompiledTfModel Compile(TfModel source)
    {
        var graph = ModelPipeline.ImportTensorFlow(source.Bytes, source.Name + ".pb");
        var gears = ModelPipeline.BatchGears(graph, Batches);
        Atc.Compiler.Passes.PassPipeline.Run(graph);
        var missing = ModelPipeline.MissingOperators(graph);
        return new CompiledTfModel(source, missing.Length == 0 ? ModelPipeline.Emit(graph, gears) : null, missing);
    }
}
