using Atc.Benchmarks.Models;
using Atc.Compiler.Driver;
using Atc.Compiler.Frontends;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Passes;
using BenchmarkDotNet.Attributes;

namespace Atc.Benchmarks.Benchmarks;

/// <summary>
/// Compile time of ResNet-50 through the compiler's driver, ONNX file to .om file, for one static shape and for
/// ATC's --dynamic_batch_size=1,2,4,8 (the target: under 2 s). Import and import+optimise of the same bytes are
/// timed too, so a slow compile shows which stage it is (the rest is planning the gears and writing the .om).
/// </summary>
public class CompileBenchmarks
{
    private static readonly int[] OneGear = [1];
    private static readonly int[] FourGears = [1, 2, 4, 8];
    private readonly ModelCompiler _compiler = new();
    private string _onnxPath = "";
    private byte[] _onnx = [];
    private string _output = "";

    [GlobalSetup]
    public void SetUp()
    {
        _onnxPath = ModelCache.OnnxPath(BenchModels.ResNet50);
        _onnx = File.ReadAllBytes(_onnxPath);
        _output = Path.Combine(ModelCache.Folder, $"compile-bench-{Environment.ProcessId}.om");
        OmCompiler.Compile(BenchModels.ResNet50, _onnxPath, FourGears, _output); // fails here, clearly, if it cannot compile
    }

    [GlobalCleanup]
    public void CleanUp() => File.Delete(_output);

    [Benchmark(Description = "ResNet-50 import")]
    public object Import() => new OnnxImporter().Import(_onnx, _onnxPath);

    [Benchmark(Description = "ResNet-50 import + optimise")]
    public object ImportAndOptimise()
    {
        var graph = new OnnxImporter().Import(_onnx, _onnxPath);
        PassPipeline.Run(graph);
        return graph;
    }

    [Benchmark(Description = "ResNet-50 atc, static batch 1")]
    public object CompileOneGear() => _compiler.Compile(OmCompiler.Options(BenchModels.ResNet50, _onnxPath, OneGear, _output[..^3]));

    [Benchmark(Description = "ResNet-50 atc, dynamic_batch_size 1,2,4,8")]
    public object CompileFourGears() => _compiler.Compile(OmCompiler.Options(BenchModels.ResNet50, _onnxPath, FourGears, _output[..^3]));
}
