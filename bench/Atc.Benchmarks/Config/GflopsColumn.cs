using Atc.Benchmarks.Benchmarks;
using Atc.Benchmarks.Models;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Atc.Benchmarks.Config;

/// <summary>
/// GFLOP/s from the mean time: for the FMA probe, its exact work; for the models, their nominal work × batch. Set
/// against the probe's figure it says how much of the machine a model run uses.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Achieved GFLOP/s: FMA probe exact; models nominal (2 x MACs of Conv/Gemm per image x batch) / mean time";

    public bool IsAvailable(Summary summary)
        => summary.BenchmarksCases.Any(c => Flops(c) is not null);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? flops = Flops(benchmarkCase);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (flops is not > 0 || meanNs is not > 0) return "-";
        double gflops = flops.Value / meanNs.Value; // flop per ns = GFLOP/s
        return gflops >= 0.1 ? gflops.ToString("F1") : gflops.ToString("G2");
    }

    private static double? Flops(BenchmarkCase c)
    {
        var type = c.Descriptor.Type;
        if (type == typeof(FmaThroughputBenchmarks))
            return Parameter<int>(c, nameof(FmaThroughputBenchmarks.Threads)) * FmaProbe.FlopsPerThread(Parameter<int>(c, nameof(FmaThroughputBenchmarks.Width)));
        if (type == typeof(InferenceBenchmarks))
        {
            var model = BenchModels.Get(Parameter<string>(c, nameof(InferenceBenchmarks.Model)));
            return model.GflopPerImage * 1e9 * Parameter<int>(c, nameof(InferenceBenchmarks.Batch));
        }
        return null;
    }

    private static T Parameter<T>(BenchmarkCase c, string name) => (T)c.Parameters[name]!;

    public override string ToString() => ColumnName;
}
