using Atc.Benchmarks.Models;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Passes;
using BenchmarkDotNet.Attributes;

namespace Atc.Benchmarks.Benchmarks;

/// <summary>
/// Compile time of ResNet-50 from ONNX bytes to .om bytes, for one gear and for ATC's --dynamic_batch_size=1,2,4,8
/// (the target: under 2 s). Import and import+optimise are timed too, so a slow compile shows which stage it is.
/// </summary>
public class CompileBenchmarks
{
    private static readonly int[] OneGear = [1];
    private static readonly int[] FourGears = [1, 2, 4, 8];
    private byte[] _onnx = [];

    [GlobalSetup]
    public void SetUp()
    {
        _onnx = ModelCache.OnnxBytes(BenchModels.ResNet50);
        OmCompiler.Compile(BenchModels.ResNet50, _onnx, FourGears); // fails here, clearly, if it cannot compile
    }

    [Benchmark(Description = "ResNet-50 import")]
    public object Import() => new OnnxImporter().Import(_onnx, "resnet50.onnx");

    [Benchmark(Description = "ResNet-50 import + optimise")]
    public object ImportAndOptimise()
    {
        var graph = new OnnxImporter().Import(_onnx, "resnet50.onnx");
        PassPipeline.Run(graph);
        return graph;
    }

    [Benchmark(Description = "ResNet-50 compile, gear 1")]
    public byte[] CompileOneGear() => OmCompiler.Compile(BenchModels.ResNet50, _onnx, OneGear);

    [Benchmark(Description = "ResNet-50 compile, gears 1,2,4,8")]
    public byte[] CompileFourGears() => OmCompiler.Compile(BenchModels.ResNet50, _onnx, FourGears);
}
