using Atc.Benchmarks.Models;
using Atc.TestModels.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Atc.Benchmarks.Runners;

/// <summary>
/// ONNX Runtime on the CPU execution provider, called the cheapest way its C# API allows: input and output
/// OrtValues created once over pinned managed arrays, then Run(RunOptions, names, values, names, values), which
/// neither allocates result objects nor copies the input.
/// </summary>
public sealed class OrtRunner : IModelRunner
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _output;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;

    public OrtRunner(InferenceSession session, int[] inputShape, float[] input)
        : this(session, [new BenchFeed(OnnxModels.InputName, inputShape, input)]) { }

    /// <param name="feeds">One per model input. Every output of the model is requested (as this runtime computes
    /// them all); <see cref="Output"/> is the first.</param>
    public OrtRunner(InferenceSession session, BenchFeed[] feeds)
    {
        _session = session;
        _inputNames = [.. feeds.Select(f => f.Name)];
        _inputs = [.. feeds.Select(f => OrtValue.CreateTensorValueFromMemory(f.Data, Array.ConvertAll(f.Shape, d => (long)d)))];
        _outputNames = [.. session.OutputMetadata.Keys];
        var outputs = _outputNames.Select(name =>
        {
            var shape = OutputShape(session, name, feeds[0].Shape[0]);
            var data = new float[shape.Aggregate(1L, (a, d) => a * d)];
            return (Data: data, Value: OrtValue.CreateTensorValueFromMemory(data, shape));
        }).ToArray();
        _output = outputs[0].Data;
        _outputs = [.. outputs.Select(o => o.Value)];
    }

    /// <summary>Session options of the comparison: CPU, <paramref name="threads"/> intra-op threads, one inter-op
    /// thread, sequential execution, all graph optimisations (ONNX Runtime's default level).</summary>
    public static SessionOptions Options(int threads, string? profilePrefix = null)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (profilePrefix is not null)
        {
            // The prefix must be set first: enabling profiling takes the prefix current at that moment.
            options.ProfileOutputPathPrefix = profilePrefix;
            options.EnableProfiling = true;
        }
        return options;
    }

    public static OrtRunner Create(string modelName, int batch, int threads)
    {
        using var options = Options(threads);
        var session = new InferenceSession(ModelCache.OnnxPath(modelName), options);
        return new OrtRunner(session, BenchModels.Get(modelName).Feeds(batch));
    }

    public InferenceSession Session => _session;
    public string RuntimeName => "ort";

    public void Run() => _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);

    public ReadOnlySpan<float> Output => _output;

    /// <summary>An output's declared shape with the symbolic batch set to <paramref name="batch"/>.</summary>
    private static long[] OutputShape(InferenceSession session, string output, int batch)
    {
        var dims = session.OutputMetadata[output].Dimensions;
        return [.. dims.Select((d, i) => i == 0 ? batch : (long)d)];
    }

    public void Dispose()
    {
        foreach (var value in _inputs) value.Dispose();
        foreach (var value in _outputs) value.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
