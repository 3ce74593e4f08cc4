using System.Diagnostics;
using Atc.Benchmarks.Benchmarks;
using Atc.Benchmarks.Runners;
using Atc.Runtime.Profiling;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// --step-scaling &lt;model&gt;: which steps of this runtime gain from a second thread. One session at 1 thread and one
/// at 2 threads run alternately in one process, each step timed; each step's fastest run at 1 and at 2 threads is
/// set side by side (the minimum survives a shared machine's neighbours, a mean does not). The FMA probe's
/// 2-thread ratio, measured in the same process, says whether the host gave both cores at all.
/// </summary>
public static class StepScalingMode
{
    private const int Shown = 15;

    public static int Run(string modelName, int batch, int runs)
    {
        Console.WriteLine($"## Step scaling: {modelName}, batch {batch}, {runs} alternating runs at 1 and 2 threads");
        Console.WriteLine();
        double probe = ProbeScaling();
        using var one = AtcRunner.Create(modelName, batch, 1);
        using var two = AtcRunner.Create(modelName, batch, 2);
        WarmUp(one);
        WarmUp(two);
        var timeOne = new MinTimer();
        var timeTwo = new MinTimer();
        one.Session.Profiler = timeOne;
        two.Session.Profiler = timeTwo;
        double wallOne = double.MaxValue, wallTwo = double.MaxValue;
        for (int r = 0; r < runs; r++)
        {
            wallOne = Math.Min(wallOne, Time(one));
            wallTwo = Math.Min(wallTwo, Time(two));
        }
        one.Session.Profiler = null;
        two.Session.Profiler = null;

        var rows = timeOne.Steps.Select(s => (Step: s, One: timeOne.MinMs(s), Two: timeTwo.MinMs(s))).ToList();
        double sumOne = rows.Sum(r => r.One), sumTwo = rows.Sum(r => r.Two);
        Console.WriteLine($"FMA probe 2-thread scaling {probe:F2}x (2.00x = both cores); load average {LoadAverage()}.");
        Console.WriteLine($"Sum of per-step minima: 1 thread {sumOne:F3} ms, 2 threads {sumTwo:F3} ms, 2t/1t {sumTwo / sumOne:F2}. "
            + $"Fastest profiled run: {wallOne:F3} ms / {wallTwo:F3} ms, 2t/1t {wallTwo / wallOne:F2}.");
        Console.WriteLine();
        Console.WriteLine($"Steps that lose most against an even split (2-thread min − 1-thread min / 2), top {Shown} of {rows.Count}:");
        Console.WriteLine();
        Console.WriteLine("| step | op | kernel | output | 1t min ms | 2t min ms | 2t/1t | lost ms |");
        Console.WriteLine("|---:|---|---|---|---:|---:|---:|---:|");
        foreach (var (s, o, t) in rows.OrderByDescending(r => r.Two - r.One / 2).Take(Shown))
            Console.WriteLine($"| {s.Index} | {s.OpType} | {s.KernelName} | {string.Join(" ", s.OutputShapes.Select(d => ShapeText.Format(d)))} | "
                + $"{o:F4} | {t:F4} | {t / o:F2} | {t - o / 2:F4} |");
        Console.WriteLine();
        Console.WriteLine("By kernel (sum of per-step minima):");
        Console.WriteLine();
        Console.WriteLine("| kernel | steps | 1t ms | 2t ms | 2t/1t |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var g in rows.GroupBy(r => r.Step.OpType + " " + r.Step.KernelName).OrderByDescending(g => g.Sum(r => r.Two - r.One / 2)))
            Console.WriteLine($"| {g.Key} | {g.Count()} | {g.Sum(r => r.One):F3} | {g.Sum(r => r.Two):F3} | {g.Sum(r => r.Two) / g.Sum(r => r.One):F2} |");
        Console.WriteLine();
        return 0;
    }

    /// <summary>Best 1-thread time x 2 / best 2-thread time of the FMA probe (same work per thread).</summary>
    private static double ProbeScaling()
    {
        int width = FmaProbe.Widths.Max();
        double best1 = double.MaxValue, best2 = double.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            long start = Stopwatch.GetTimestamp();
            FmaProbe.Run(1, width);
            best1 = Math.Min(best1, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            FmaProbe.Run(2, width);
            best2 = Math.Min(best2, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return 2 * best1 / best2;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static void WarmUp(AtcRunner runner)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < 3 || Stopwatch.GetElapsedTime(start).TotalSeconds < 1.0; i++) runner.Run();
    }

    private static double Time(AtcRunner runner)
    {
        long start = Stopwatch.GetTimestamp();
        runner.Run();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Each step's fastest run.</summary>
    private sealed class MinTimer : IRunProfiler
    {
        private readonly Dictionary<ProfiledStep, long> _min = [];

        public IEnumerable<ProfiledStep> Steps => _min.Keys.OrderBy(s => s.Index);

        public double MinMs(ProfiledStep step)
        {
            // The other session's step of the same index (the two sessions share the gear's steps' descriptions).
            var match = _min.FirstOrDefault(p => p.Key.Index == step.Index);
            return match.Key is null ? double.NaN : match.Value * 1000.0 / Stopwatch.Frequency;
        }

        public void StepCompleted(ProfiledStep step, long elapsedTicks)
            => _min[step] = _min.TryGetValue(step, out long m) ? Math.Min(m, elapsedTicks) : elapsedTicks;
    }
}
