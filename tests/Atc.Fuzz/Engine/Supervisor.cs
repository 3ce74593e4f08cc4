using System.Diagnostics;
using System.Globalization;
using Atc.Fuzz.Oracle;

namespace Atc.Fuzz.Engine;

/// <summary>
/// Runs a format's cases in worker processes and survives them: a worker that dies (stack overflow, fail-fast) is
/// blamed on the case it last started, a worker that stops talking is killed and its case is a hang, and a new worker
/// continues with the next case. Cases are numbered, so the run is the same for the same seed whoever restarts.
/// </summary>
public sealed class Supervisor(FuzzFormat format, int seed, TimeSpan caseBudget, string workDirectory)
{
    /// <summary>How long past the case budget a silent worker is given (start-up, seed compilation) before it is killed.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    public FuzzReport Run(long caseCount, DateTime? deadlineUtc, Action<string>? progress = null)
    {
        var report = new FuzzReport(format, seed);
        var clock = Stopwatch.StartNew();
        long next = 0;
        while (next < caseCount && (deadlineUtc is null || DateTime.UtcNow < deadlineUtc))
        {
            var args = new List<string>
            {
                "--format", format.Name(), "--seed", seed.ToString(CultureInfo.InvariantCulture),
                "--from", next.ToString(CultureInfo.InvariantCulture), "--to", caseCount.ToString(CultureInfo.InvariantCulture),
                "--budget-seconds", caseBudget.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                "--work", Path.Combine(workDirectory, format.Name() + "-" + report.WorkerStarts),
            };
            if (deadlineUtc is { } d) args.AddRange(["--until", d.Ticks.ToString(CultureInfo.InvariantCulture)]);
            report.WorkerStarts++;
            next = RunWorker(args, next, report, progress);
        }
        report.Elapsed = clock.Elapsed;
        return report;
    }

    /// <summary>Returns the next case to run.</summary>
    private long RunWorker(List<string> args, long next, FuzzReport report, Action<string>? progress)
    {
        using var worker = WorkerProcess.Start(args);
        var stderr = new StderrTail();
        worker.ErrorDataReceived += (_, e) => stderr.Add(e.Data);
        worker.BeginErrorReadLine();
        long inFlight = -1, first = next;
        while (true)
        {
            var read = worker.StandardOutput.ReadLineAsync();
            if (!read.Wait(caseBudget + Grace))
            {
                worker.Kill(entireProcessTree: true);
                worker.WaitForExit();
                if (inFlight >= 0) report.Add(inFlight, new Outcome(OutcomeKind.Hang, $"Hang: worker silent for {(caseBudget + Grace).TotalSeconds:0} s"));
                return inFlight >= 0 ? inFlight + 1 : next + 1;
            }
            var line = read.Result;
            if (line is null) break;
            if (line.StartsWith("S ", StringComparison.Ordinal)) inFlight = long.Parse(line[2..], CultureInfo.InvariantCulture);
            else if (WorkerProtocol.TryParseResult(line, out long index, out var outcome))
            {
                report.Add(index, outcome);
                inFlight = -1;
                next = index + 1;
                if (outcome.IsFinding) progress?.Invoke($"[{format.Name()}] case {index}: {outcome}");
            }
            else if (line.StartsWith("M ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                report.PeakGcBytes = Math.Max(report.PeakGcBytes, long.Parse(parts[1], CultureInfo.InvariantCulture));
                report.PeakRssBytes = Math.Max(report.PeakRssBytes, long.Parse(parts[2], CultureInfo.InvariantCulture));
            }
        }
        worker.WaitForExit();
        if (inFlight >= 0)
        {
            var outcome = new Outcome(OutcomeKind.Crash, stderr.Signature(worker.ExitCode));
            report.Add(inFlight, outcome);
            progress?.Invoke($"[{format.Name()}] case {inFlight}: {outcome}");
            return inFlight + 1;
        }
        if (worker.ExitCode != 0 && worker.ExitCode != WorkerProtocol.HangExitCode && next == first)
            throw new InvalidOperationException($"the {format.Name()} fuzz worker failed outside any case at case {next} (exit {worker.ExitCode}): a fuzzer bug\n{stderr}");
        return next;
    }
}
