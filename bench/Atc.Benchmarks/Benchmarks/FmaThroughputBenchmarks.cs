using BenchmarkDotNet.Attributes;

namespace Atc.Benchmarks.Benchmarks;

/// <summary>FP32 FMA throughput with 1 and 2 threads (GFLOP/s column): the reference for judging 2-thread scaling
/// of the model benchmarks in the same run, since this VM's second core is sometimes withheld.</summary>
public class FmaThroughputBenchmarks
{
    public static IEnumerable<int> Widths => FmaProbe.Widths;

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Vector width in bits: 256 (Vector256 + Fma.MultiplyAdd) and, with AVX-512, 512.</summary>
    [ParamsSource(nameof(Widths))]
    public int Width { get; set; } = 256;

    [Benchmark(Description = "FMA probe")]
    public float Fma() => FmaProbe.Run(Threads, Width);
}
