using System.Globalization;
using Atc.Benchmarks.Config;
using Atc.Benchmarks.Models;
using Atc.Benchmarks.Modes;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Atc.Benchmarks;

/// <summary>
/// dotnet run -c Release --project bench/Atc.Benchmarks -- [suite options] [BenchmarkDotNet options, e.g. --filter '*']
///
/// Suite options (the rest goes to BenchmarkDotNet):
///   --quick                 short job (1 launch, 2 warm-ups, 5 iterations of ~250 ms) for a run on a dev machine
///   --models a,b            models of the inference/load benchmarks (default: resnet50,resnet18,mobilenet_v2,squeezenet1_1,mlp)
///   --check                 compile every model, run batch 1 and 4 in both runtimes, compare outputs; no timing
///   --with-rss              after the benchmarks, the --rss measurement too (batch 1, 1 thread), for the targets table
///   --rss                   peak RSS of load + runs, each runtime in a fresh process  [--batch N] [--threads N] [--runs N]
///   --first-run             time to the first result: fresh process per runtime, bytes -> Load/session -> first Run,
///                           vs steady runs (batch 1)                              [--threads N] [--runs N] [--repeats N]
///                           [--breakdown: the runtime's Load phases, CPU ms and JIT-compiled methods each]
///   --profile &lt;model&gt;       per-op-type time in both runtimes                       [--batch N] [--threads N] [--runs N]
///                           [--shape text] [--isa avx2|portable] [--cold]
///   --scaling               1 vs 2 threads of both runtimes and the FMA probe, interleaved; ResNet-50 batch 4
///                           unless --models/--batch say otherwise                   [--runs N rounds]
///   --step-scaling &lt;model&gt;  this runtime's per-step minimum at 1 vs 2 threads in one process, with the FMA
///                           probe's scaling and the load average                   [--batch N] [--runs N]
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (RssMode.IsChild(args)) return RssMode.RunChild(args);
        if (FirstRunMode.IsChild(args)) return FirstRunMode.RunChild(args);
        try
        {
            var rest = new List<string>(args);
            bool quick = Flag(rest, "--quick"), check = Flag(rest, "--check"), rss = Flag(rest, "--rss"), withRss = Flag(rest, "--with-rss");
            bool scaling = Flag(rest, "--scaling"), firstRun = Flag(rest, "--first-run");
            if (Value(rest, "--models") is { } models) Environment.SetEnvironmentVariable(BenchModels.ModelsVariable, models);
            string? profile = Value(rest, "--profile"), stepScaling = Value(rest, "--step-scaling");
            int batch = Int(rest, "--batch", scaling ? 4 : 1), threads = Int(rest, "--threads", 1);
            int? runs = Value(rest, "--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : null;
            var selected = BenchModels.Selected().ToList();

            if (check) return CheckMode.Run(selected);
            if (firstRun) return FirstRunMode.Run(selected, threads, runs ?? 10, Int(rest, "--repeats", 3), Flag(rest, FirstRunMode.BreakdownSwitch));
            if (rss) return RssMode.RunAll(selected, batch, threads, runs ?? 5).All(r => r.Problem is null) ? 0 : 1;
            if (scaling) return ScalingMode.Run(selected[0], batch, runs ?? 15); // the default list starts with ResNet-50
            if (stepScaling is not null) return StepScalingMode.Run(BenchModels.Get(stepScaling).Name, batch, runs ?? 30);
            if (profile is not null) return ProfileMode.Run(BenchModels.Get(profile).Name, batch, threads, runs ?? 20);
            return RunBenchmarks(rest.ToArray(), selected, quick, withRss);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or BenchmarkSetupException or InvalidOperationException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }

    private static int RunBenchmarks(string[] args, List<string> models, bool quick, bool withRss)
    {
        // Preflight: compile every model once into the shared cache (the benchmark processes then only load it) and
        // say up front which cannot run. Their cases still run and fail with the same message, so nothing is hidden.
        string machine = MachineInfo.Describe();
        Console.WriteLine($"// Atc.Benchmarks: {machine}; {(quick ? "quick job" : "default job")}; model cache {ModelCache.Folder}");
        var problems = models.Select(m => (Model: m, Problem: CheckMode.TryCompile(m))).Where(p => p.Problem is not null).ToList();
        foreach (var (model, problem) in problems) Console.WriteLine($"// CANNOT RUN {model}: {problem}");

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, SuiteConfig.Create(quick)).ToList();

        if (summaries.Count > 0)
        {
            var rss = withRss ? RssMode.RunAll(models, 1, 1, 5) : null;
            string targets = TargetReport.Build(summaries, rss);
            Console.WriteLine("## Targets");
            Console.WriteLine();
            Console.WriteLine(targets);
            WriteResult("targets.md", $"## Targets\n\n{machine}\n\n{targets}");
        }

        var failed = summaries.SelectMany(s => s.Reports.Where(r => !r.Success).Select(r => r.BenchmarkCase.DisplayInfo)).ToList();
        foreach (var (model, problem) in problems) Console.WriteLine($"// CANNOT RUN {model}: {problem}");
        if (failed.Count > 0)
        {
            Console.WriteLine($"// {failed.Count} benchmark case(s) failed:");
            foreach (var name in failed) Console.WriteLine("//   " + name);
        }
        return failed.Count > 0 || summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }

    /// <summary>Next to BenchmarkDotNet's own reports (BenchmarkDotNet.Artifacts/results).</summary>
    private static void WriteResult(string name, string text)
    {
        var folder = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", "results");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name), text);
        Console.WriteLine($"// targets written to {Path.Combine(folder, name)}");
    }

    private static bool Flag(List<string> args, string name) => args.Remove(name);

    private static string? Value(List<string> args, string name)
    {
        int i = args.IndexOf(name);
        if (i < 0) return null;
        if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value");
        string value = args[i + 1];
        args.RemoveRange(i, 2);
        return value;
    }

    private static int Int(List<string> args, string name, int fallback)
        => Value(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
