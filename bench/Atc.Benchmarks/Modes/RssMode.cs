using System.Diagnostics;
using System.Globalization;
using Atc.Benchmarks.Models;
using Atc.Runtime;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// --rss: peak resident memory (Process.PeakWorkingSet64) of loading a model and running it, each runtime in a fresh
/// process so that neither sees the other's memory, the model builders or the compiler. "none" is the same process
/// doing nothing: the .NET floor both include. The parent prepares the files and starts one child per measurement.
/// </summary>
public static class RssMode
{
    private const string ChildSwitch = "--rss-child";
    private static readonly string[] Runtimes = ["none", "ort", "atc"];

    /// <summary>One model's peaks (bytes), or why it could not be measured.</summary>
    public sealed record RssResult(string Model, long Floor, long Ort, long Atc, string? Problem)
    {
        public double? Ratio => Problem is null ? (double)Atc / Ort : null;
    }

    /// <summary>Measures every model, printing a markdown table as it goes.</summary>
    public static IReadOnlyList<RssResult> RunAll(IEnumerable<string> models, int batch, int threads, int runs)
    {
        Console.WriteLine($"## Peak RSS (Process.PeakWorkingSet64): load + {runs} runs at batch {batch}, {threads} thread(s), fresh process each");
        Console.WriteLine();
        Console.WriteLine("| model | .NET floor | ONNX Runtime | Atc | Atc / ORT | Atc / ORT above the floor |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var results = new List<RssResult>();
        foreach (var model in models)
        {
            var result = Measure(model, batch, threads, runs);
            results.Add(result);
            Console.WriteLine(result.Problem is not null
                ? $"| {model} | {result.Problem.Replace("|", "/")} | | | | |"
                : $"| {model} | {Mb(result.Floor)} | {Mb(result.Ort)} | {Mb(result.Atc)} | {result.Ratio:F2} | "
                  + $"{(double)(result.Atc - result.Floor) / Math.Max(1, result.Ort - result.Floor):F2} |");
        }
        Console.WriteLine();
        return results;
    }

    private static RssResult Measure(string model, int batch, int threads, int runs)
    {
        try
        {
            string onnx = ModelCache.OnnxPath(model), om = ModelCache.OmPath(model);
            string shape = string.Join(",", BenchModels.Get(model).InputShape(batch));
            long Peak(string runtime) => Child(runtime, runtime == "atc" ? om : onnx, shape, threads, runs);
            return new RssResult(model, Peak("none"), Peak("ort"), Peak("atc"), null);
        }
        catch (Exception e) when (e is BenchmarkSetupException or InvalidOperationException)
        {
            return new RssResult(model, 0, 0, 0, e.Message);
        }
    }

    /// <summary>The child: load from the file, bind seeded input, run, print the peak. Touches only the runtime it measures.</summary>
    public static int RunChild(string[] args)
    {
        if (args.Length != 6)
        {
            Console.Error.WriteLine($"usage: {ChildSwitch} none|ort|atc <model file> <shape, e.g. 1,3,224,224> <threads> <runs>");
            return 2;
        }
        string runtime = args[1], file = args[2];
        int[] shape = [.. args[3].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        int threads = int.Parse(args[4], CultureInfo.InvariantCulture), runs = int.Parse(args[5], CultureInfo.InvariantCulture);
        float checksum = 0;
        switch (runtime)
        {
            case "none":
                break;
            case "atc":
            {
                var model = InferenceModel.Load(file);
                using var session = model.CreateSession(new SessionOptions { ThreadCount = threads });
                var input = BenchModels.InputData(shape);
                for (int i = 0; i < runs; i++)
                {
                    session.SetInput<float>(0, input, shape);
                    session.Run();
                }
                checksum = session.GetOutput<float>(0)[0];
                break;
            }
            case "ort":
            {
                using var options = Runners.OrtRunner.Options(threads);
                using var session = new Ort.InferenceSession(file, options);
                using var runner = new Runners.OrtRunner(session, shape, BenchModels.InputData(shape));
                for (int i = 0; i < runs; i++) runner.Run();
                checksum = runner.Output[0];
                break;
            }
            default:
                Console.Error.WriteLine($"unknown runtime '{runtime}': use none, ort or atc");
                return 2;
        }
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine($"PEAK_RSS {self.PeakWorkingSet64} {checksum.ToString(CultureInfo.InvariantCulture)}");
        return 0;
    }

    private static long Child(string runtime, string file, string shape, int threads, int runs)
    {
        var start = SelfStartInfo();
        foreach (var a in new[] { ChildSwitch, runtime, file, shape, threads.ToString(CultureInfo.InvariantCulture), runs.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the --rss child process");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("PEAK_RSS ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"{runtime} child failed (exit {process.ExitCode}): {OmCompiler.OneLine((stderr.Result + stdout).Trim())}");
        return long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>This program again: the apphost directly, or "dotnet Atc.Benchmarks.dll" when started through dotnet.</summary>
    internal static ProcessStartInfo SelfStartInfo()
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path to start a child");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(RssMode).Assembly.Location);
        return start;
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) + " MB";

    internal static bool IsChild(string[] args) => args.Length > 0 && args[0] == ChildSwitch;
}
