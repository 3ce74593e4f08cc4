using System.Diagnostics;
using Atc.Benchmarks.Benchmarks;
using Atc.Benchmarks.Runners;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// --scaling: 2-thread scaling on a VM whose second core comes and goes. Runs 1 and 2 threads of both runtimes and
/// of the FMA probe interleaved, round after round in one process, and reports the best (least disturbed) and the
/// median time of each; best 1-thread / best 2-thread is the scaling when the host gave both cores, the probe's
/// ratio says whether it ever did.
/// </summary>
public static class ScalingMode
{
    public static int Run(string modelName, int batch, int rounds)
    {
        Console.WriteLine($"## 2-thread scaling: {modelName}, batch {batch}, {rounds} interleaved rounds");
        Console.WriteLine();
        var subjects = new List<(string Name, int Threads, Action Run, IDisposable? Owner)>();
        foreach (int threads in new[] { 1, 2 })
        {
            var atc = AtcRunner.Create(modelName, batch, threads);
            subjects.Add(("Atc", threads, atc.Run, atc));
        }
        foreach (int threads in new[] { 1, 2 })
        {
            var ort = OrtRunner.Create(modelName, batch, threads);
            subjects.Add(("ONNX Runtime", threads, ort.Run, ort));
        }
        foreach (int threads in new[] { 1, 2 })
            subjects.Add(($"FMA probe ({FmaProbe.Widths.Max()}-bit, per thread same work)", threads, () => FmaProbe.Run(threads, FmaProbe.Widths.Max()), null));

        var times = subjects.Select(_ => new List<double>()).ToArray();
        for (int i = 0; i < subjects.Count; i++)
            for (int w = 0; w < 3; w++) subjects[i].Run(); // warm-up: kernels, JIT tiers, thread pools
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < subjects.Count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                subjects[i].Run();
                times[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

        Console.WriteLine("| subject | threads | best ms | median ms | scaling (best) | scaling (median) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (int i = 0; i < subjects.Count; i++)
        {
            var (name, threads, _, _) = subjects[i];
            double best = times[i].Min(), median = Median(times[i]);
            bool isFma = name.StartsWith("FMA", StringComparison.Ordinal);
            // The probe does the same work per thread, so 2 threads doing twice the work in the same time is 2x.
            string scaling = "", scalingMedian = "";
            if (threads == 2)
            {
                double factor = isFma ? 2 : 1;
                scaling = (factor * times[i - 1].Min() / best).ToString("F2") + "x";
                scalingMedian = (factor * Median(times[i - 1]) / median).ToString("F2") + "x";
            }
            Console.WriteLine($"| {name} | {threads} | {best:F2} | {median:F2} | {scaling} | {scalingMedian} |");
        }
        Console.WriteLine();
        foreach (var s in subjects) s.Owner?.Dispose();
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
