using System.Diagnostics;
using Atc.Benchmarks.Models;
using Atc.Benchmarks.Runners;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// --check: can each model run, and do both runtimes agree? Compiles (cached), runs batch 1 and 4 in both, and
/// compares outputs. The preflight of a benchmark run uses the compile part to say up front which models cannot run.
/// </summary>
public static class CheckMode
{
    /// <summary>Tolerance on the largest output difference, relative to the largest |output| (at least 1).</summary>
    private const double Tolerance = 1e-3;

    public static int Run(IEnumerable<string> models)
    {
        Console.WriteLine("| model | compile gears 1,4 (0 s if cached) | batch | max abs diff vs ORT | max abs output | verdict |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        int failures = 0;
        foreach (var model in models)
        {
            long start = Stopwatch.GetTimestamp();
            string? problem = TryCompile(model);
            string compile = problem is null ? $"{Stopwatch.GetElapsedTime(start).TotalSeconds:F2} s" : "failed";
            if (problem is not null)
            {
                failures++;
                Console.WriteLine($"| {model} | {compile} | - | - | - | {problem.Replace("|", "/")} |");
                continue;
            }
            foreach (int batch in ModelCache.InferenceGears)
            {
                try
                {
                    using var atc = AtcRunner.Create(model, batch, 1);
                    using var ort = OrtRunner.Create(model, batch, 1);
                    atc.Run();
                    ort.Run();
                    var (diff, scale) = Compare(atc.Output, ort.Output);
                    bool ok = diff <= Tolerance * Math.Max(1, scale);
                    if (!ok) failures++;
                    Console.WriteLine($"| {model} | {compile} | {batch} | {diff:G3} | {scale:G3} | {(ok ? "ok" : "OUTPUTS DIFFER")} |");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    failures++;
                    Console.WriteLine($"| {model} | {compile} | {batch} | - | - | {OmCompiler.OneLine(e.Message).Replace("|", "/")} |");
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Builds and compiles the model into the cache; null if it worked, else why not.</summary>
    public static string? TryCompile(string model)
    {
        try
        {
            ModelCache.OmPath(model);
            return null;
        }
        catch (BenchmarkSetupException e)
        {
            return e.Message;
        }
    }

    private static (double Diff, double Scale) Compare(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        if (actual.Length != expected.Length) return (double.PositiveInfinity, 0);
        double diff = 0, scale = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs((double)actual[i] - expected[i]));
            if (double.IsNaN(actual[i])) diff = double.PositiveInfinity;
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }
        return (diff, scale);
    }
}
