using Atc.Benchmarks.Models;
using Atc.Benchmarks.Runners;
using BenchmarkDotNet.Attributes;

namespace Atc.Benchmarks.Benchmarks;

/// <summary>
/// One inference per call on the same model, batch and thread count in both runtimes; ONNX Runtime is the baseline,
/// so Ratio = this runtime's time / ONNX Runtime's (below 1 = faster). This runtime runs the ONNX file compiled to
/// .om with batch gears 1 and 4; ONNX Runtime runs the ONNX file. Each case sets up only the runtime it measures.
/// </summary>
public class InferenceBenchmarks
{
    private IModelRunner? _runner;

    public static IEnumerable<string> Models => BenchModels.Selected();

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = BenchModels.ResNet50;

    [Params(1, 4)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup(Target = nameof(OnnxRuntime))]
    public void SetUpOnnxRuntime() => _runner = Warm(OrtRunner.Create(Model, Batch, Threads));

    [GlobalSetup(Target = nameof(AtcRuntime))]
    public void SetUpAtc() => _runner = Warm(AtcRunner.Create(Model, Batch, Threads));

    [Benchmark(Baseline = true, Description = "ONNX Runtime")]
    public void OnnxRuntime() => _runner!.Run();

    [Benchmark(Description = "Atc")]
    public void AtcRuntime() => _runner!.Run();

    [GlobalCleanup]
    public void CleanUp()
    {
        _runner?.Dispose();
        _runner = null;
    }

    /// <summary>One run before timing: compiles the kernels' code for the gear (Load made the kernels) and lets
    /// ONNX Runtime allocate its buffers, so neither shows up in the first iteration.</summary>
    private static IModelRunner Warm(IModelRunner runner)
    {
        runner.Run();
        return runner;
    }
}
