using System.Collections.Concurrent;
using Atc.TestModels.Onnx;

namespace Atc.Tests.Differential;

/// <summary>Compiles each builder model once per test class, on first use, at batch gears 1 and 4.</summary>
public sealed class OnnxModelsFixture : IDisposable
{
    public static readonly int[] Batches = [1, 4];

    private readonly ConcurrentDictionary<string, Lazy<CompiledOnnxModel>> _models = new(StringComparer.Ordinal);

    public CompiledOnnxModel Get(string name)
        => _models.GetOrAdd(name, n => new Lazy<CompiledOnnxModel>(() => new CompiledOnnxModel(n, OnnxModels.All[n](), Batches))).Value;

    public void Dispose()
    {
        foreach (var model in _models.Values)
            if (model.IsValueCreated) model.Value.Dispose();
    }
}
