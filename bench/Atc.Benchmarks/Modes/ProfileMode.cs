using System.Diagnostics;
using Atc.Benchmarks.Models;
using Atc.Benchmarks.Runners;
using Atc.Runtime;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// --profile: where the time goes in both runtimes on one model/batch/thread count. This runtime is timed per step
/// (<see cref="StepTimer"/>), ONNX Runtime through its own profiler; both are grouped by <see cref="OpClass"/> and set
/// side by side, with achieved GFLOP/s of the convolutions to hold against the FMA probe.
/// </summary>
public static class ProfileMode
{
    private sealed record ClassTime(int Count, double Ms, double Gflop)
    {
        /// <summary>Sum of each step's fastest run (Atc only; NaN for ONNX Runtime, whose profile gives means).</summary>
        public double MinMs { get; init; } = double.NaN;
    }

    public static int Run(string modelName, int batch, int threads, int runs)
    {
        Console.WriteLine($"## Profile: {modelName}, batch {batch}, {threads} thread(s), {runs} timed runs");
        Console.WriteLine();
        Dictionary<string, ClassTime>? atc = null;
        try
        {
            atc = ProfileAtc(modelName, batch, threads, runs);
        }
        catch (BenchmarkSetupException e)
        {
            Console.WriteLine($"Atc: cannot run: {e.Message}");
            Console.WriteLine();
        }
        var ort = ProfileOrt(modelName, batch, threads, runs);

        double atcTotal = atc?.Values.Sum(c => c.Ms) ?? 0, ortTotal = ort.Values.Sum(c => c.Ms);
        Console.WriteLine("| op class | Atc steps | Atc ms | Atc min ms | Atc share | Atc GFLOP/s | ORT nodes | ORT ms | ORT share | ORT GFLOP/s | Atc / ORT |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var classes = (atc is null ? ort.Keys : atc.Keys.Union(ort.Keys)).OrderByDescending(k => Math.Max(atc?.GetValueOrDefault(k)?.Ms ?? 0, ort.GetValueOrDefault(k)?.Ms ?? 0));
        foreach (var key in classes)
        {
            var a = atc?.GetValueOrDefault(key);
            var o = ort.GetValueOrDefault(key);
            Console.WriteLine($"| {key} | {a?.Count.ToString() ?? "-"} | {Ms(a)} | {(a is null ? "-" : Fmt(a.MinMs))} | {Share(a, atcTotal)} | {Gflops(a)} | {o?.Count.ToString() ?? "-"} | {Ms(o)} | {Share(o, ortTotal)} | {Gflops(o)} | "
                + $"{(a is not null && o is not null && o.Ms > 0 ? (a.Ms / o.Ms).ToString("F2") : "-")} |");
        }
        Console.WriteLine($"| **total** | | **{Fmt(atcTotal)}** | | | | | **{Fmt(ortTotal)}** | | | **{(atc is null || ortTotal == 0 ? "-" : (atcTotal / ortTotal).ToString("F2"))}** |");
        Console.WriteLine();
        return atc is null ? 1 : 0;
    }

    private static Dictionary<string, ClassTime> ProfileAtc(string modelName, int batch, int threads, int runs)
    {
        using var runner = AtcRunner.Create(modelName, batch, threads);
        WarmUp(runner);
        var (wallMs, cpuPerWall) = TimeRuns(runner, runs);
        using var timer = StepTimer.Attach(runner.Session);
        runner.Run();
        timer.Reset();
        var (profiledMs, _) = TimeRuns(runner, runs);

        double StepMs(StepInfo s) => s.Ticks * 1000.0 / Stopwatch.Frequency / runs;
        double StepMinMs(StepInfo s) => s.MinTicks * 1000.0 / Stopwatch.Frequency;
        string ClassOf(StepInfo s) => OpClass.Of(s.OpType, s.InputDims, s.OutputDims, s.Layout ?? "NCHW");
        double FlopsOf(StepInfo s) => OpClass.Flops(s.OpType, s.InputDims, s.OutputDims);
        Console.WriteLine($"Atc: {Fmt(wallMs)} ms/run (CPU/wall {cpuPerWall:F2}); with per-step timing {Fmt(profiledMs)} ms/run, "
            + $"steps sum {Fmt(timer.Steps.Sum(StepMs))} ms/run over {timer.Steps.Count} steps. Slowest steps:");
        Console.WriteLine();
        Console.WriteLine("| step | node | class | input → output | ms/run | min ms | GFLOP/s at min |");
        Console.WriteLine("|---:|---|---|---|---:|---:|---:|");
        foreach (var s in timer.Steps.OrderByDescending(s => s.Ticks).Take(10))
        {
            string shapes = string.Join(" ", s.InputDims.Select(d => ShapeText.Format(d))) + " → " + string.Join(" ", s.OutputDims.Select(d => ShapeText.Format(d)));
            Console.WriteLine($"| {s.Index} | {s.NodeName} | {ClassOf(s)} | {shapes} | {Fmt(StepMs(s))} | {Fmt(StepMinMs(s))} | {Gflops(new ClassTime(1, StepMinMs(s), FlopsOf(s) / 1e9))} |");
        }
        Console.WriteLine();
        return timer.Steps.GroupBy(ClassOf).ToDictionary(g => g.Key, g => new ClassTime(g.Count(), g.Sum(StepMs), g.Sum(FlopsOf) / 1e9) { MinMs = g.Sum(StepMinMs) });
    }

    private static Dictionary<string, ClassTime> ProfileOrt(string modelName, int batch, int threads, int runs)
    {
        string prefix = Path.Combine(ModelCache.Folder, $"ort-profile-{modelName}-b{batch}-t{threads}");
        // Keep only the latest profile of each case: a ResNet-50 profile is tens of MB.
        foreach (var old in Directory.EnumerateFiles(ModelCache.Folder, Path.GetFileName(prefix) + "_*.json")) File.Delete(old);
        var feeds = BenchModels.Get(modelName).Feeds(batch);
        string file;
        double wallMs, cpuPerWall;
        // ONNX Runtime's profiler stops recording at a million events: cap the runs (matters for the MLP only).
        runs = Math.Min(runs, 2000);
        using (var options = OrtRunner.Options(threads, prefix))
        using (var runner = new OrtRunner(new Ort.InferenceSession(ModelCache.OnnxPath(modelName), options), feeds))
        {
            WarmUp(runner, maxRuns: 200);
            (wallMs, cpuPerWall) = TimeRuns(runner, runs);
            file = runner.Session.EndProfiling();
        }
        var (calls, profiledRuns) = OrtProfile.Read(file, runs);
        int perRun = Math.Max(1, profiledRuns);
        Console.WriteLine($"ONNX Runtime: {Fmt(wallMs)} ms/run with its profiler on (CPU/wall {cpuPerWall:F2}); kernels sum "
            + $"{Fmt(calls.Sum(c => c.Microseconds) / perRun / 1e3)} ms/run ({file}).");
        Console.WriteLine();
        return calls.GroupBy(c => OpClass.Of(c.OpType, c.Inputs, c.Outputs)).ToDictionary(g => g.Key, g => new ClassTime(
            g.Select(c => c.Node).Distinct().Count(), g.Sum(c => c.Microseconds) / perRun / 1e3,
            g.Sum(c => OpClass.Flops(c.OpType, c.Inputs, c.Outputs)) / perRun / 1e9));
    }

    /// <summary>Runs until tiered JIT has settled (≥ 1.5 s and ≥ 3 runs), so the timed runs see optimised code;
    /// at most <paramref name="maxRuns"/> (ONNX Runtime's profiler records the warm-up too).</summary>
    private static void WarmUp(IModelRunner runner, int maxRuns = int.MaxValue)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < maxRuns && (i < 3 || Stopwatch.GetElapsedTime(start).TotalSeconds < 1.5); i++) runner.Run();
    }

    /// <summary>Mean wall ms per run, and process CPU time / wall time (the cores actually kept busy; below 1 when
    /// the VM took the core away).</summary>
    private static (double Ms, double CpuPerWall) TimeRuns(IModelRunner runner, int runs)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < runs; i++) runner.Run();
        double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        self.Refresh();
        return (wall / runs, (self.TotalProcessorTime - cpu).TotalMilliseconds / wall);
    }

    private static string Ms(ClassTime? c) => c is null ? "-" : Fmt(c.Ms);

    /// <summary>Milliseconds with at least three significant digits (the MLP runs in microseconds).</summary>
    private static string Fmt(double ms) => ms >= 1 ? ms.ToString("F2") : ms.ToString("G3");
    private static string Share(ClassTime? c, double total) => c is null || total == 0 ? "-" : (100 * c.Ms / total).ToString("F1") + "%";
    private static string Gflops(ClassTime? c) => c is null || c.Gflop <= 0 || c.Ms <= 0 ? "-" : (c.Gflop / c.Ms * 1e3).ToString("F1");
}
