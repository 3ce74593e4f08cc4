using Atc.Benchmarks.Models;
using Atc.Benchmarks.Runners;
using BenchmarkDotNet.Attributes;

namespace Atc.Benchmarks.Benchmarks;

/// <summary>
/// --precision_mode=allow_fp32_to_bf16 (Conv/Gemm/MatMul weights stored as bfloat16, widened at load, float32
/// compute) against the float32 .om and ONNX Runtime, batch 1, one thread: Ratio = time / ONNX Runtime's. Select the
/// models with ATC_BENCH_MODELS (e.g. resnet18,bert_like) and run with --filter '*PrecisionBenchmarks*'.
/// </summary>
public class PrecisionBenchmarks
{
    private const string BFloat16Mode = "allow_fp32_to_bf16";
    private IModelRunner? _runner;

    public static IEnumerable<string> Models => BenchModels.Selected();

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = BenchModels.ResNet50;

    [GlobalSetup(Target = nameof(OnnxRuntime))]
    public void SetUpOnnxRuntime() => _runner = Warm(OrtRunner.Create(Model, 1, 1));

    [GlobalSetup(Target = nameof(AtcFloat32))]
    public void SetUpFloat32() => _runner = Warm(AtcRunner.Create(Model, 1, 1));

    [GlobalSetup(Target = nameof(AtcBFloat16))]
    public void SetUpBFloat16() => _runner = Warm(AtcRunner.Create(Model, 1, 1, BFloat16Mode));

    [Benchmark(Baseline = true, Description = "ONNX Runtime")]
    public void OnnxRuntime() => _runner!.Run();

    [Benchmark(Description = "Atc fp32")]
    public void AtcFloat32() => _runner!.Run();

    [Benchmark(Description = "Atc bf16")]
    public void AtcBFloat16() => _runner!.Run();

    [GlobalCleanup]
    public void CleanUp()
    {
        _runner?.Dispose();
        _runner = null;
    }

    private static IModelRunner Warm(IModelRunner runner)
    {
        runner.Run();
        return runner;
    }
}
