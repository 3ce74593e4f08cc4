using Atc.Benchmarks.Models;
using Atc.Benchmarks.Runners;
using Atc.Runtime;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Atc.Benchmarks.Benchmarks;

/// <summary>
/// "Load": <see cref="InferenceModel.Load(byte[])"/> against ONNX Runtime's session creation from the same model's
/// bytes (graph optimisation included, 1 thread). This runtime creates a gear's kernels on first use, so
/// "FirstResult" adds the first inference at batch 1 to both, the time from bytes to an answer.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LoadBenchmarks
{
    private byte[] _onnx = [];
    private byte[] _om = [];
    private float[] _input = [];
    private int[] _shape = [];

    public static IEnumerable<string> Models => BenchModels.Selected();

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = BenchModels.ResNet50;

    [GlobalSetup]
    public void SetUp()
    {
        _onnx = ModelCache.OnnxBytes(Model);
        _om = ModelCache.OmBytes(Model);
        _shape = BenchModels.Get(Model).InputShape(1);
        _input = BenchModels.InputData(_shape);
        // Fail here, once and clearly, if the runtime cannot load or run the model.
        using var runner = new AtcRunner(InferenceModel.Load(_om), _shape, _input, 1);
        runner.Run();
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime session")]
    [BenchmarkCategory("Load")]
    public void OrtCreateSession()
    {
        using var options = OrtRunner.Options(1);
        using var session = new Ort.InferenceSession(_onnx, options);
    }

    [Benchmark(Description = "Atc InferenceModel.Load")]
    [BenchmarkCategory("Load")]
    public InferenceModel AtcLoad() => InferenceModel.Load(_om);

    [Benchmark(Baseline = true, Description = "ONNX Runtime session + 1st run")]
    [BenchmarkCategory("FirstResult")]
    public float OrtFirstResult()
    {
        using var options = OrtRunner.Options(1);
        using var runner = new OrtRunner(new Ort.InferenceSession(_onnx, options), _shape, _input);
        runner.Run();
        return runner.Output[0];
    }

    [Benchmark(Description = "Atc Load + session + 1st run")]
    [BenchmarkCategory("FirstResult")]
    public float AtcFirstResult()
    {
        using var runner = new AtcRunner(InferenceModel.Load(_om), _shape, _input, 1);
        runner.Run();
        return runner.Output[0];
    }
}
