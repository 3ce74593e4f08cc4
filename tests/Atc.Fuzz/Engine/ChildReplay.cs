using System.Globalization;
using Atc.Fuzz.Oracle;

namespace Atc.Fuzz.Engine;

/// <summary>Runs one file in a fresh worker process and judges it, including the ways a process can die.</summary>
public static class ChildReplay
{
    public static Outcome Run(FuzzFormat format, string file, TimeSpan budget, string workDirectory)
    {
        using var worker = WorkerProcess.Start(["--format", format.Name(), "--replay", file,
            "--budget-seconds", budget.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--work", workDirectory]);
        var stderr = new StderrTail();
        worker.ErrorDataReceived += (_, e) => stderr.Add(e.Data);
        worker.BeginErrorReadLine();
        var output = worker.StandardOutput.ReadToEndAsync();
        if (!output.Wait(budget + TimeSpan.FromSeconds(60)))
        {
            worker.Kill(entireProcessTree: true);
            return new Outcome(OutcomeKind.Hang, "Hang: worker silent");
        }
        worker.WaitForExit();
        foreach (var line in output.Result.Split('\n'))
            if (WorkerProtocol.TryParseResult(line.TrimEnd('\r'), out _, out var outcome)) return outcome;
        return output.Result.Contains("S 0", StringComparison.Ordinal)
            ? new Outcome(OutcomeKind.Crash, stderr.Signature(worker.ExitCode))
            : throw new InvalidOperationException($"the {format.Name()} replay worker failed to start (exit {worker.ExitCode}):\n{stderr}");
    }
}
