using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace Atc.Benchmarks.Config;

/// <summary>The suite's BenchmarkDotNet configuration: the default job or, with --quick, a short one; managed
/// allocations (MemoryDiagnoser); the GFLOP/s column; ratios against the baseline (ONNX Runtime).</summary>
public static class SuiteConfig
{
    public static IConfig Create(bool quick)
    {
        var job = quick
            // ResNet-50 takes ~100 ms an inference: a few short iterations in one process are enough for ratios.
            ? Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5)
                .WithIterationTime(TimeInterval.FromMilliseconds(250)).WithId("Quick")
            : Job.Default.WithId("Default");
        return ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job.AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new GflopsColumn())
            .HideColumns(Column.Job)
            .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));
    }
}
