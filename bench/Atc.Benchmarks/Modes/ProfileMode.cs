using System.Diagnostics;
using Atc.Benchmarks.Models;
using Atc.Benchmarks.Runners;
using Atc.Runtime;
using Atc.Runtime.Operators;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// --profile: where the time goes, per op type, in both runtimes on one model/batch/thread count. This runtime is
/// timed per step (<see cref="StepTimer"/>), with the work (GFLOP) of convolutions and matrix products so the
/// achieved GFLOP/s can be set against the FMA probe; ONNX Runtime through its own profiler.
/// </summary>
public static class ProfileMode
{
    public static int Run(string modelName, int batch, int threads, int runs)
    {
        Console.WriteLine($"## Profile: {modelName}, batch {batch}, {threads} thread(s), {runs} timed runs");
        Console.WriteLine();
        int result = 0;
        try
        {
            ProfileAtc(modelName, batch, threads, runs);
        }
        catch (BenchmarkSetupException e)
        {
            Console.WriteLine($"### Atc: cannot run: {e.Message}");
            Console.WriteLine();
            result = 1;
        }
        ProfileOrt(modelName, batch, threads, runs);
        return result;
    }

    private static void ProfileAtc(string modelName, int batch, int threads, int runs)
    {
        using var runner = AtcRunner.Create(modelName, batch, threads);
        WarmUp(runner);
        double wallMs = TimeRuns(runner, runs);
        using var timer = StepTimer.Attach(runner.Model, runner.Session.LastGearIndex);
        runner.Run();
        timer.Reset();
        double cpuPerWall = LastCpuPerWall;
        double profiledMs = TimeRuns(runner, runs);

        double stepsMs = timer.Steps.Sum(s => Ms(s.Ticks)) / runs;
        Console.WriteLine($"### Atc: {wallMs:F2} ms/run unprofiled (CPU/wall {cpuPerWall:F2}), {profiledMs:F2} ms/run profiled, steps sum {stepsMs:F2} ms/run, {timer.Steps.Count} steps");
        Console.WriteLine();
        Console.WriteLine("| op (class) | steps | ms/run | share | GFLOP/run | GFLOP/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var group in timer.Steps.GroupBy(OpClass).OrderByDescending(g => g.Sum(s => s.Ticks)))
        {
            double ms = group.Sum(s => Ms(s.Ticks)) / runs, gflop = group.Sum(Flops) / 1e9;
            Console.WriteLine($"| {group.Key} | {group.Count()} | {ms:F3} | {100 * ms / stepsMs:F1}% | {Num(gflop)} | {(gflop > 0 ? (gflop / ms * 1e3).ToString("F1") : "-")} |");
        }
        Console.WriteLine();
        Console.WriteLine("Slowest steps:");
        Console.WriteLine();
        Console.WriteLine("| step | node | op | input → output | ms/run | GFLOP/s |");
        Console.WriteLine("|---:|---|---|---|---:|---:|");
        foreach (var s in timer.Steps.OrderByDescending(s => s.Ticks).Take(12))
        {
            double ms = Ms(s.Ticks) / runs, gflop = Flops(s) / 1e9;
            string shapes = string.Join(" ", s.InputDims.Select(d => Shape.Format(d))) + " → " + string.Join(" ", s.OutputDims.Select(d => Shape.Format(d)));
            Console.WriteLine($"| {s.Index} | {s.NodeName} | {OpClass(s)} | {shapes} | {ms:F3} | {(gflop > 0 ? (gflop / ms * 1e3).ToString("F1") : "-")} |");
        }
        Console.WriteLine();
    }

    private static void ProfileOrt(string modelName, int batch, int threads, int runs)
    {
        string prefix = Path.Combine(ModelCache.Folder, $"ort-profile-{modelName}-b{batch}-t{threads}");
        var shape = BenchModels.Get(modelName).InputShape(batch);
        string file;
        double wallMs;
        using (var options = OrtRunner.Options(threads, prefix))
        using (var runner = new OrtRunner(new Ort.InferenceSession(ModelCache.OnnxPath(modelName), options), shape, BenchModels.InputData(shape)))
        {
            WarmUp(runner);
            wallMs = TimeRuns(runner, runs);
            file = runner.Session.EndProfiling();
        }
        var (ops, profiledRuns) = OrtProfile.Read(file, runs);
        double totalUs = ops.Sum(o => o.Microseconds) / Math.Max(1, profiledRuns);
        Console.WriteLine($"### ONNX Runtime: {wallMs:F2} ms/run profiled (CPU/wall {LastCpuPerWall:F2}), kernels sum {totalUs / 1e3:F2} ms/run ({profiledRuns} runs in {Path.GetFileName(file)})");
        Console.WriteLine();
        Console.WriteLine("| op (after ORT fusion) | nodes | ms/run | share |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var op in ops)
        {
            double us = op.Microseconds / Math.Max(1, profiledRuns);
            Console.WriteLine($"| {op.OpType} | {op.Nodes} | {us / 1e3:F3} | {100 * us / totalUs:F1}% |");
        }
        Console.WriteLine();
    }

    /// <summary>Runs until tiered JIT has settled (≥ 1.5 s and ≥ 3 runs), so the timed runs see optimised code.</summary>
    private static void WarmUp(IModelRunner runner)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < 500 && (i < 3 || Stopwatch.GetElapsedTime(start).TotalSeconds < 1.5); i++) runner.Run();
    }

    private static double TimeRuns(IModelRunner runner, int runs)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < runs; i++) runner.Run();
        double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        self.Refresh();
        LastCpuPerWall = (self.TotalProcessorTime - cpu).TotalMilliseconds / wall;
        return wall / runs;
    }

    /// <summary>Process CPU time / wall time of the last timed runs: the cores a runtime actually kept busy.</summary>
    private static double LastCpuPerWall;

    /// <summary>Conv split by kernel size, stride and depthwise-ness (they are different kernels); other ops by type.</summary>
    private static string OpClass(StepInfo s)
    {
        if (s.OpType != OpTypes.Conv || s.InputDims.Length < 2 || s.InputDims[1].Length < 3) return s.OpType;
        var w = s.InputDims[1];
        string kernel = string.Join("x", w[2..]);
        long stride = s.Attributes.GetInts("strides", []).DefaultIfEmpty(1).Max();
        bool depthwise = s.Attributes.GetInt("group", 1) > 1 && w[1] == 1;
        return $"Conv {kernel}" + (stride > 1 ? $" s{stride}" : "") + (depthwise ? " depthwise" : "");
    }

    /// <summary>2 × multiply-accumulates of Conv (|Y| × I/group × k...), Gemm (M × |B|) and MatMul (|Y| × K).</summary>
    private static double Flops(StepInfo s)
    {
        if (s.OutputDims.Length == 0 || s.InputDims.Length < 2) return 0;
        double outputs = Shape.ElementCount(s.OutputDims[0]);
        var a = s.InputDims[0];
        var w = s.InputDims[1];
        return s.OpType switch
        {
            OpTypes.Conv when w.Length > 1 => 2 * outputs * (Shape.ElementCount(w) / (double)w[0]),
            OpTypes.Gemm when s.OutputDims[0].Length == 2 => 2.0 * s.OutputDims[0][0] * Shape.ElementCount(w),
            OpTypes.MatMul when a.Length > 0 => 2 * outputs * a[^1],
            _ => 0,
        };
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static string Num(double value) => value == 0 ? "-" : value >= 0.01 ? value.ToString("F2") : value.ToString("G2");
}
