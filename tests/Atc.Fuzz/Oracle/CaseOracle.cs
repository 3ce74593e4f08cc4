using System.Diagnostics;
using Atc.Fuzz.Targets;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Fuzz.Oracle;

/// <summary>
/// Runs one case and judges it: success or a coded exception of the target passes; anything else is a crash named by
/// a stable signature (exception type and the first frame in Atc code, no line numbers, no values). A case that
/// outlives its time budget is a hang: its thread cannot be stopped, so the caller (a worker) must exit.
/// </summary>
public static class CaseOracle
{
    /// <summary>The main thread's stack size on Linux, so recursion depth matches what `atc` itself survives.</summary>
    private const int CaseStackBytes = 8 << 20;

    public static Outcome Run(IFuzzTarget target, byte[] input, TimeSpan budget)
    {
        Outcome? outcome = null;
        var thread = new Thread(() => outcome = Judge(target, input), CaseStackBytes) { IsBackground = true, Name = "fuzz case" };
        thread.Start();
        if (!thread.Join(budget)) return new Outcome(OutcomeKind.Hang, $"Hang: no result within {budget.TotalSeconds:0.#} s");
        return outcome!;
    }

    public static Outcome Judge(IFuzzTarget target, byte[] input)
    {
        try
        {
            target.Execute(input);
            return Outcome.Passed;
        }
        catch (Exception e)
        {
            return Classify(target, e);
        }
    }

    public static Outcome Classify(IFuzzTarget target, Exception e)
    {
        if (target.CodeOf(e) is { } code) return new Outcome(OutcomeKind.Coded, code);
        if (e is OutOfMemoryException or InsufficientExecutionStackException)
            return new Outcome(OutcomeKind.Crash, $"Memory: {e.GetType().Name} at {FirstAtcFrame(e)}");
        if (e is AtcException atc)
        {
            var internalError = atc.Diagnostics.First(d => d.Code == AtcErrorCatalog.ATC9999.Code);
            return new Outcome(OutcomeKind.Crash, "ATC9999: " + Shape(internalError.Message));
        }
        return new Outcome(OutcomeKind.Crash, $"{e.GetType().Name} at {FirstAtcFrame(e)}");
    }

    /// <summary>The first stack frame in the project's own code (not the fuzzer's), e.g. "Atc.Runtime.Format.OmReader.Read".</summary>
    public static string FirstAtcFrame(Exception e)
    {
        for (var inner = e; inner != null; inner = inner.InnerException)
        {
            foreach (var frame in new StackTrace(inner, false).GetFrames())
            {
                var method = frame.GetMethod();
                var type = method?.DeclaringType;
                while (type?.DeclaringType != null && type.Name.StartsWith('<')) type = type.DeclaringType;
                var name = type?.FullName ?? "";
                if (name.StartsWith("Atc.", StringComparison.Ordinal) && !name.StartsWith("Atc.Fuzz.", StringComparison.Ordinal))
                    return name + "." + method!.Name;
            }
        }
        return "(no Atc frame)";
    }

    /// <summary>A message with its numbers and quoted names blanked, so one bug gives one signature.</summary>
    private static string Shape(string message)
    {
        var shaped = System.Text.RegularExpressions.Regex.Replace(message, @"'[^']*'|\[[^\]]*\]|-?\d+", "_");
        return shaped.Length > 120 ? shaped[..120] : shaped;
    }
}
