using BenchmarkDotNet.Attributes;

namespace Atc.Benchmarks.Benchmarks;

/// <summary>FP32 FMA throughput with 1 and 2 threads (GFLOP/s column): the reference for judging 2-thread scaling
/// of the model benchmarks in the same run, since this VM's second core is sometimes withheld.</summary>
public class FmaThroughputBenchmarks
{
    [Params(1, 2)]
    public int Threads { get; set; }

    [Benchmark(Description = "FMA probe")]
    public float Fma() => FmaProbe.Run(Threads);
}
