using System.Diagnostics;
using System.Globalization;

namespace Digits;

/// <summary>What the build compiled into this assembly, and how long one call of each gear takes.</summary>
internal static class CompiledModelInfo
{
    /// <summary>Prints the model, its gears and the size of the embedded .om (compiled by `dotnet build`, not at run time).</summary>
    public static void Print(DigitsModel model)
    {
        using var om = typeof(DigitsModel).Assembly.GetManifestResourceStream(DigitsModel.ResourceName);
        var signature = model.Model.Signature;
        Console.WriteLine($"Compiled at build time: Models/digits.onnx ({model.Model.SourceFramework}) -> "
            + $"embedded .om of {(om?.Length ?? 0) / 1024.0:0.0} KiB, for {model.Model.SocVersion} on the portable CPU runtime.");
        Console.WriteLine($"  inputs:  {string.Join("; ", signature.Inputs)}");
        Console.WriteLine($"  outputs: {string.Join("; ", signature.Outputs)}");
        Console.WriteLine($"  gears:   {string.Join(" | ", signature.Gears)}");
    }

    /// <summary>Median of <paramref name="calls"/> timed calls per gear, after a few untimed ones (kernels are made on first use).</summary>
    public static void PrintLatencies(DigitsModel model, IReadOnlyList<DigitSample> samples, int calls)
    {
        Console.WriteLine($"Per-call latency (median of {calls} calls, {Environment.ProcessorCount} processor(s)):");
        foreach (var batch in DigitsModel.BatchSizes)
        {
            var pixels = Enumerable.Range(0, batch).SelectMany(i => samples[i % samples.Count].Pixels).ToArray();
            for (var i = 0; i < 5; i++) model.RunNearest(batch, pixels);
            var times = new double[calls];
            for (var i = 0; i < calls; i++)
            {
                var start = Stopwatch.GetTimestamp();
                model.RunNearest(batch, pixels);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            Array.Sort(times);
            var median = times[calls / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  batch {batch,2}: {median,8:0.0} us per call, {median / batch,7:0.0} us per digit"));
        }
    }
}
