using Atc.Benchmarks.Models;
using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Benchmarks.Runners;

/// <summary>This runtime: an <see cref="InferenceModel"/> loaded from .om bytes and one session. A run copies the
/// inputs in (the API's contract), runs the gear of the bound batch, and leaves the outputs in the session.</summary>
public sealed class AtcRunner : IModelRunner
{
    private readonly InferenceSession _session;
    private readonly BenchFeed[] _feeds;

    public AtcRunner(InferenceModel model, int[] inputShape, float[] input, int threads)
        : this(model, [new BenchFeed(Atc.TestModels.Onnx.OnnxModels.InputName, inputShape, input)], threads) { }

    /// <param name="feeds">One per model input, in the model's order.</param>
    public AtcRunner(InferenceModel model, BenchFeed[] feeds, int threads)
    {
        Model = model;
        _session = model.CreateSession(new SessionOptions { ThreadCount = threads });
        _feeds = feeds;
    }

    /// <summary>Loads the cached .om of <paramref name="modelName"/> (gears 1 and 4) and binds seeded input.</summary>
    /// <param name="precisionMode">--precision_mode of the .om (e.g. "allow_fp32_to_bf16"); null = float32.</param>
    public static AtcRunner Create(string modelName, int batch, int threads, string? precisionMode = null)
    {
        var model = BenchModels.Get(modelName);
        var om = ModelCache.OmBytes(modelName, null, precisionMode);
        InferenceModel loaded;
        try
        {
            loaded = InferenceModel.Load(om);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new BenchmarkSetupException($"model '{modelName}': the runtime cannot load its .om: {OmCompiler.OneLine(e.Message)}", e);
        }
        return new AtcRunner(loaded, model.Feeds(batch), threads);
    }

    public InferenceModel Model { get; }
    public InferenceSession Session => _session;
    public string RuntimeName => "atc";

    public void Run()
    {
        for (int k = 0; k < _feeds.Length; k++) _session.SetInput<float>(k, _feeds[k].Data, _feeds[k].Shape);
        _session.Run();
    }

    public ReadOnlySpan<float> Output => _session.GetOutput<float>(0);

    public void Dispose() => _session.Dispose();
}
