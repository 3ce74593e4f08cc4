using Atc.Fuzz.Oracle;
using Atc.Fuzz.Shrinking;
using Atc.Fuzz.Targets;

namespace Atc.Fuzz.Engine;

/// <summary>
/// The child process side: runs cases [from, to) of one format in order and reports each on stdout
/// (<see cref="WorkerProtocol"/>). On a hang it reports and exits, since the stuck thread cannot be stopped; a stack
/// overflow ends the process by itself and the supervisor blames the case it last saw start.
/// </summary>
public static class Worker
{
    public static int RunCases(FuzzFormat format, int seed, long from, long to, TimeSpan budget, DateTime? deadlineUtc, string workDirectory, TextWriter output)
    {
        var target = FuzzTargets.Create(format, workDirectory);
        var memory = new MemoryProbe();
        for (long i = from; i < to && (deadlineUtc is null || DateTime.UtcNow < deadlineUtc); i++)
        {
            var fuzzCase = FuzzCase.Generate(target, seed, i);
            output.WriteLine(WorkerProtocol.Started(i));
            output.Flush();
            var outcome = CaseOracle.Run(target, fuzzCase.Bytes, budget);
            memory.Sample();
            output.WriteLine(WorkerProtocol.Result(i, outcome));
            output.Flush();
            if (outcome.Kind == OutcomeKind.Hang)
            {
                output.WriteLine(WorkerProtocol.Memory(memory.PeakGcBytes, MemoryProbe.PeakRssBytes()));
                output.Flush();
                return WorkerProtocol.HangExitCode;
            }
        }
        output.WriteLine(WorkerProtocol.Memory(memory.PeakGcBytes, MemoryProbe.PeakRssBytes()));
        output.Flush();
        return 0;
    }

    /// <summary>One file through the target: "S 0" then "R 0 ..." (the regression replay and the shrinker's child-process check).</summary>
    public static int Replay(FuzzFormat format, string file, TimeSpan budget, string workDirectory, TextWriter output)
    {
        var target = FuzzTargets.Create(format, workDirectory);
        output.WriteLine(WorkerProtocol.Started(0));
        output.Flush();
        var outcome = CaseOracle.Run(target, target.Normalize(File.ReadAllBytes(file)), budget);
        output.WriteLine(WorkerProtocol.Result(0, outcome));
        output.Flush();
        return outcome.Kind == OutcomeKind.Hang ? WorkerProtocol.HangExitCode : 0;
    }

    /// <summary>
    /// Shrinks a crashing file in this process, writing every smaller input that still gives <paramref name="signature"/>
    /// to <paramref name="outFile"/>: if a candidate kills the process, the best so far is already on disk.
    /// </summary>
    public static int Shrink(FuzzFormat format, string file, string signature, TimeSpan budget, string workDirectory, string outFile)
    {
        var target = FuzzTargets.Create(format, workDirectory);
        var input = target.Normalize(File.ReadAllBytes(file));
        File.WriteAllBytes(outFile, input);
        bool StillFails(byte[] candidate)
        {
            var outcome = CaseOracle.Run(target, target.Normalize(candidate), budget);
            if (outcome.Kind == OutcomeKind.Hang) Environment.Exit(WorkerProtocol.HangExitCode);
            return outcome.IsFinding && outcome.Detail == signature;
        }
        void Improved(byte[] smaller) => File.WriteAllBytes(outFile, target.Normalize(smaller));
        Shrinker.Shrink(input, target, StillFails, Improved, maxChecks: 4000);
        return 0;
    }
}
