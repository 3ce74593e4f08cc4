using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Atc.Benchmarks.Config;
using Atc.Benchmarks.Models;
using Atc.Benchmarks.Runners;
using Atc.Runtime;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// --first-run: the time to the first result as a user's process sees it. Each measurement is a fresh process (no
/// code compiled yet, no pool started): the model's bytes are read untimed, then Load (Atc) or session creation (ONNX
/// Runtime), the first Run at batch 1, and then steady runs. Wall and process CPU time are both reported, so a busy
/// machine shows as CPU/wall and the CPU figures still compare; "first / steady" is the first Run over the median
/// of the steady runs, the issue's "the first Run costs at most 3 steady Runs".
/// </summary>
public static class FirstRunMode
{
    private const string ChildSwitch = "--first-run-child";
    public const string BreakdownSwitch = "--breakdown";

    /// <summary>One runtime's figures in one fresh process (milliseconds).</summary>
    public sealed record FirstRun(double LoadMs, double FirstMs, double SteadyMs, double LoadCpuMs, double FirstCpuMs, double LoadJitMethods,
        double FirstJitMethods, double LateSteadyMs, double FirstJitMs, double FirstThreadCpuMs, double LateSteadyThreadCpuMs)
    {
        /// <summary>--breakdown: the runtime's Load phases in this process (Atc only), then "first Run".</summary>
        public IReadOnlyList<LoadPhaseListener.Phase> Phases { get; init; } = [];

        public double ToResultMs => LoadMs + FirstMs;
        public double ToResultCpuMs => LoadCpuMs + FirstCpuMs;
        public double FirstOverSteady => FirstMs / Math.Max(SteadyMs, 1e-6);
        /// <summary>The first Run over a properly steady run: the median of <see cref="LateRuns"/> runs taken after
        /// <see cref="RunsBeforeLate"/> (the first ten after the first may still run code at the JIT's quick tier).</summary>
        public double FirstOverLateSteady => FirstMs / Math.Max(LateSteadyMs, 1e-6);
        /// <summary>As <see cref="FirstOverLateSteady"/> in the calling thread's CPU time: what compares on a loaded machine.</summary>
        public double FirstOverLateSteadyCpu => FirstThreadCpuMs / Math.Max(LateSteadyThreadCpuMs, 1e-6);
    }

    /// <summary>Runs after the first before the late steady runs are timed, and the least time they take: the JIT
    /// promotes a method after 30 calls, but only once 100 ms passed without new quick-tier code, and compiles it on
    /// a background thread; a small model's 50 runs take a few milliseconds, so the time bound is what matters.</summary>
    private const int RunsBeforeLate = 50;
    private static readonly TimeSpan TimeBeforeLate = TimeSpan.FromSeconds(2);
    private const int LateRuns = 10;

    /// <summary>Measures every model (each runtime in its own fresh process, best of <paramref name="repeats"/>
    /// processes by CPU time to the result), printing a markdown table as it goes.</summary>
    /// <param name="breakdown">Also time the runtime's Load phases (<see cref="LoadPhaseListener"/>) and print them
    /// per model after the table. The listener's own reads cost a little: the main table's figures are the same
    /// processes', so compare ratios from runs without it.</param>
    public static int Run(IEnumerable<string> models, int threads, int steadyRuns, int repeats, bool breakdown = false)
    {
        Console.WriteLine($"## Time to first result: fresh process, bytes -> Load/session -> first Run (batch 1, {threads} thread(s)), "
            + $"then {steadyRuns} steady runs (median); best of {repeats} process(es) per runtime; {MachineInfo.Describe()}; "
            + $"{ReadyToRunCheck.Describe(typeof(InferenceModel).Assembly)}; load average {LoadAverage()}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();
        Console.WriteLine("| model | ORT create ms | ORT 1st run ms | ORT steady ms | ORT 1st/steady | ORT 1st/late steady | Atc Load ms | Atc 1st run ms | Atc steady ms "
            + "| Atc late steady ms | Atc 1st/steady | Atc 1st/late steady | Atc / ORT to result (wall) | Atc / ORT to result (CPU) | ORT CPU ms to result | Atc CPU ms to result | Atc Load JIT methods | Atc 1st run JIT methods | Atc 1st run JIT ms | ORT 1st/late steady (thread CPU) | Atc 1st run thread CPU ms | Atc late steady thread CPU ms | Atc 1st/late steady (thread CPU) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        int failures = 0;
        var breakdowns = new List<(string Model, FirstRun Atc)>();
        foreach (var model in models)
        {
            try
            {
                string shape = string.Join(",", BenchModels.Get(model).InputShape(1));
                var ort = Best(repeats, () => Child("ort", ModelCache.OnnxPath(model), model, threads, steadyRuns, false));
                var atc = Best(repeats, () => Child("atc", ModelCache.OmPath(model), model, threads, steadyRuns, breakdown));
                Console.WriteLine($"| {model} | {F(ort.LoadMs)} | {F(ort.FirstMs)} | {F(ort.SteadyMs)} | {ort.FirstOverSteady:F1} | {ort.FirstOverLateSteady:F1} | {F(atc.LoadMs)} | "
                    + $"{F(atc.FirstMs)} | {F(atc.SteadyMs)} | {F(atc.LateSteadyMs)} | {atc.FirstOverSteady:F1} | {atc.FirstOverLateSteady:F1} | {atc.ToResultMs / ort.ToResultMs:F2} | "
                    + $"{atc.ToResultCpuMs / ort.ToResultCpuMs:F2} | {F(ort.ToResultCpuMs)} | {F(atc.ToResultCpuMs)} | {atc.LoadJitMethods:F0} | {atc.FirstJitMethods:F0} | {F(atc.FirstJitMs)} | "
                    + $"{ort.FirstOverLateSteadyCpu:F1} | {F(atc.FirstThreadCpuMs)} | {F(atc.LateSteadyThreadCpuMs)} | {atc.FirstOverLateSteadyCpu:F1} |");
                breakdowns.Add((model, atc));
            }
            catch (Exception e) when (e is BenchmarkSetupException or InvalidOperationException)
            {
                failures++;
                Console.WriteLine($"| {model} | {OmCompiler.OneLine(e.Message).Replace("|", "/")} | | | | | | | | | | | | | | | | | | | |");
            }
        }
        Console.WriteLine();
        if (breakdown) PrintBreakdown(breakdowns);
        return failures == 0 ? 0 : 1;
    }

    /// <summary>One row per model: each phase's process CPU milliseconds and the methods the JIT compiled in it.</summary>
    private static void PrintBreakdown(List<(string Model, FirstRun Atc)> runs)
    {
        var names = runs.SelectMany(r => r.Atc.Phases.Select(p => p.Name)).Distinct().ToList();
        Console.WriteLine("### Atc Load + CreateSession + first Run by phase: process CPU ms / methods JIT-compiled (best process by CPU to result)");
        Console.WriteLine();
        Console.WriteLine($"| model | {string.Join(" | ", names)} | Load, other | total to result |");
        Console.WriteLine($"|---|{string.Concat(names.Select(_ => "---:|"))}---:|---:|");
        foreach (var (model, atc) in runs)
        {
            var cells = names.Select(n => atc.Phases.FirstOrDefault(p => p.Name == n) is { } p ? $"{F(p.CpuMs)} / {p.JitMethods}" : "");
            // Load's own phases (not CreateSession, not the first Run) against Load's total: what no phase covers.
            var inLoad = atc.Phases.Where(p => p.Name is not (SessionPhase or FirstRunPhase)).ToList();
            string other = $"{F(atc.LoadCpuMs - inLoad.Sum(p => p.CpuMs))} / {atc.LoadJitMethods - inLoad.Sum(p => p.JitMethods):F0}";
            Console.WriteLine($"| {model} | {string.Join(" | ", cells)} | {other} | {F(atc.ToResultCpuMs)} |");
        }
        Console.WriteLine();
    }

    /// <summary>The runtime's name of the CreateSession phase (its AtcRunner creates the session inside the timed Load).</summary>
    private const string SessionPhase = "CreateSession";
    private const string FirstRunPhase = "first Run";

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static FirstRun Best(int repeats, Func<FirstRun> measure)
    {
        FirstRun? best = null;
        for (int i = 0; i < Math.Max(1, repeats); i++)
        {
            var run = measure();
            if (best is null || run.ToResultCpuMs < best.ToResultCpuMs) best = run;
        }
        return best!;
    }

    /// <summary>The child: one runtime, one model, timed from its bytes in memory to the first output.</summary>
    public static int RunChild(string[] args)
    {
        if (args.Length is not (6 or 7))
        {
            Console.Error.WriteLine($"usage: {ChildSwitch} ort|atc <model file> <bench model name> <threads> <steady runs> [--breakdown]");
            return 2;
        }
        // Attached before the clock starts: the listener's own start-up is not the runtime's.
        using var listener = args.Length == 7 && args[6] == BreakdownSwitch ? new LoadPhaseListener() : null;
        string runtime = args[1], file = args[2];
        var feeds = BenchModels.Get(args[3]).Feeds(1);
        int threads = int.Parse(args[4], CultureInfo.InvariantCulture), steadyRuns = int.Parse(args[5], CultureInfo.InvariantCulture);
        byte[] bytes = File.ReadAllBytes(file);
        using var self = Process.GetCurrentProcess();

        using var jitLog = JitLog.FromEnvironment($"{runtime}-{args[3]}");
        jitLog?.Mark("load");
        var clock = Stopwatch.StartNew();
        var cpu0 = CpuMs(self);
        long jit0 = JitInfo.GetCompiledMethodCount();
        IModelRunner runner = runtime switch
        {
            "atc" => new AtcRunner(InferenceModel.Load(bytes), feeds, threads),
            "ort" => NewOrt(bytes, feeds, threads),
            _ => throw new ArgumentException($"unknown runtime '{runtime}': use ort or atc"),
        };
        double loadMs = clock.Elapsed.TotalMilliseconds, loadCpu = CpuMs(self) - cpu0;
        // Methods the JIT compiled during Load/session creation (all threads): the runtime's own start-up cost.
        long loadJitMethods = JitInfo.GetCompiledMethodCount() - jit0;

        jitLog?.Mark("first run");
        long jitFirst0 = JitInfo.GetCompiledMethodCount();
        var jitTime0 = JitInfo.GetCompilationTime();
        double thread0 = ThreadCpuClock.Milliseconds();   // also compiles the clock before the timed run
        clock.Restart();
        cpu0 = CpuMs(self);
        runner.Run();
        double firstThreadCpu = ThreadCpuClock.Milliseconds() - thread0;
        double firstMs = clock.Elapsed.TotalMilliseconds, firstCpu = CpuMs(self) - cpu0;
        // Methods the JIT compiled during the first Run (all threads, including tier-1 recompiles in the background).
        long firstJitMethods = JitInfo.GetCompiledMethodCount() - jitFirst0;
        double firstJitMs = (JitInfo.GetCompilationTime() - jitTime0).TotalMilliseconds;
        float checksum = runner.Output[0];

        jitLog?.Mark("steady runs");
        double steadyMs = MedianOfRuns(runner, clock, Math.Max(1, steadyRuns), out _);
        var sinceFirst = Stopwatch.StartNew();
        for (int i = 1 + Math.Max(1, steadyRuns); i < RunsBeforeLate || sinceFirst.Elapsed < TimeBeforeLate; i++) runner.Run();
        jitLog?.Mark("late steady runs");
        double lateSteadyMs = MedianOfRuns(runner, clock, LateRuns, out double lateThreadCpu);
        jitLog?.Mark("end");
        runner.Dispose();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FIRST_RUN {loadMs} {firstMs} {steadyMs} {loadCpu} {firstCpu} {loadJitMethods} {firstJitMethods} {lateSteadyMs} {firstJitMs} {firstThreadCpu} {lateThreadCpu} {checksum}"));
        if (listener is not null)
        {
            foreach (var p in listener.Phases)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PHASE {p.WallMs} {p.CpuMs} {p.JitMethods} {p.Name}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PHASE {firstMs} {firstCpu} {firstJitMethods} {FirstRunPhase}"));
        }
        return 0;
    }

    /// <summary>The median wall time of <paramref name="runs"/> runs, and the median of their thread CPU times.</summary>
    private static double MedianOfRuns(IModelRunner runner, Stopwatch clock, int runs, out double threadCpuMedian)
    {
        var times = new double[runs];
        var cpu = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            double thread0 = ThreadCpuClock.Milliseconds();
            clock.Restart();
            runner.Run();
            times[i] = clock.Elapsed.TotalMilliseconds;
            cpu[i] = ThreadCpuClock.Milliseconds() - thread0;
        }
        Array.Sort(times);
        Array.Sort(cpu);
        threadCpuMedian = cpu[runs / 2];
        return times[runs / 2];
    }

    private static OrtRunner NewOrt(byte[] bytes, BenchFeed[] feeds, int threads)
    {
        using var options = OrtRunner.Options(threads);
        return new OrtRunner(new Ort.InferenceSession(bytes, options), feeds);
    }

    private static double CpuMs(Process self)
    {
        self.Refresh();
        return self.TotalProcessorTime.TotalMilliseconds;
    }

    private static FirstRun Child(string runtime, string file, string model, int threads, int steadyRuns, bool breakdown)
    {
        var start = RssMode.SelfStartInfo();
        foreach (var a in new[] { ChildSwitch, runtime, file, model, threads.ToString(CultureInfo.InvariantCulture), steadyRuns.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        if (breakdown) start.ArgumentList.Add(BreakdownSwitch);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the --first-run child process");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("FIRST_RUN ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"{runtime} child failed (exit {process.ExitCode}): {OmCompiler.OneLine((stderr.Result + stdout).Trim())}");
        double[] v = [.. line.Split(' ').Skip(1).Take(11).Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
        var phases = stdout.Split('\n').Where(l => l.StartsWith("PHASE ", StringComparison.Ordinal)).Select(l =>
        {
            var parts = l.TrimEnd('\r').Split(' ', 5);
            return new LoadPhaseListener.Phase(parts[4], double.Parse(parts[1], CultureInfo.InvariantCulture),
                double.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture));
        }).ToList();
        return new FirstRun(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]) { Phases = phases };
    }

    private static string F(double ms) => ms.ToString(ms < 10 ? "F3" : "F1", CultureInfo.InvariantCulture);

    internal static bool IsChild(string[] args) => args.Length > 0 && args[0] == ChildSwitch;
}
