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
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly float[] _output;
    private readonly string[] _inputNames = [OnnxModels.InputName];
    private readonly string[] _outputNames = [OnnxModels.OutputName];
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;

    public OrtRunner(InferenceSession session, int[] inputShape, float[] input)
    {
        _session = session;
        _inputValue = OrtValue.CreateTensorValueFromMemory(input, Array.ConvertAll(inputShape, d => (long)d));
        var outputShape = OutputShape(session, inputShape[0]);
        _output = new float[outputShape.Aggregate(1L, (a, d) => a * d)];
        _outputValue = OrtValue.CreateTensorValueFromMemory(_output, outputShape);
        _inputs = [_inputValue];
        _outputs = [_outputValue];
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
        var shape = BenchModels.Get(modelName).InputShape(batch);
        using var options = Options(threads);
        var session = new InferenceSession(ModelCache.OnnxPath(modelName), options);
        return new OrtRunner(session, shape, BenchModels.InputData(shape));
    }

    public InferenceSession Session => _session;
    public string RuntimeName => "ort";

    public void Run() => _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);

    public ReadOnlySpan<float> Output => _output;

    /// <summary>The output's declared shape with the symbolic batch set to <paramref name="batch"/>.</summary>
    private static long[] OutputShape(InferenceSession session, int batch)
    {
        var dims = session.OutputMetadata[OnnxModels.OutputName].Dimensions;
        return [.. dims.Select((d, i) => i == 0 ? batch : (long)d)];
    }

    public void Dispose()
    {
        _inputValue.Dispose();
        _outputValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
