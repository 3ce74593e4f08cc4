using System.Text.RegularExpressions;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Tests.Conformance;

/// <summary>Runs one case and turns whatever it throws into a <see cref="CaseOutcome"/>, so one bad case never hides the rest.</summary>
internal static partial class CaseClassifier
{
    /// <summary>Generous: the largest case (vgg19) runs in seconds. A case past it is reported, its thread abandoned.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static CaseOutcome Run(string folder, string name, Func<CaseOutcome> run) => Run(folder, [name], () => [run()])[0];

    /// <summary>For cases that share one compiled model (TensorFlow b1/b4): a failure before running applies to all.</summary>
    public static CaseOutcome[] Run(string folder, string[] names, Func<CaseOutcome[]> run)
    {
        var task = Task.Factory.StartNew(run, TaskCreationOptions.LongRunning);
        try
        {
            if (task.Wait(Timeout)) return task.Result;
            return [.. names.Select(n => new CaseOutcome(folder, n, CaseStatus.Error, $"timeout: no result after {Timeout.TotalSeconds:0} s", [], double.NaN))];
        }
        catch (AggregateException e)
        {
            var inner = e.InnerExceptions.Count == 1 ? e.InnerException! : e;
            return [.. names.Select(n => FromException(folder, n, inner))];
        }
    }

    public static CaseOutcome FromException(string folder, string name, Exception e)
    {
        if (e is AtcException atc && atc.Diagnostics.Count > 0 && atc.Diagnostics.All(d => d.Code == "ATC1200"))
        {
            string[] ops = [.. atc.Diagnostics.SelectMany(d => UnsupportedEntry().Matches(d.Message)).Select(m => m.Groups[1].Value).Distinct()];
            return new CaseOutcome(folder, name, CaseStatus.Unsupported, "unsupported: " + string.Join(", ", ops), ops, double.NaN);
        }
        return new CaseOutcome(folder, name, CaseStatus.Error, e.GetType().Name + ": " + FirstLine(e.Message), [], double.NaN);
    }

    private static string FirstLine(string text)
    {
        int end = text.IndexOf('\n');
        return (end < 0 ? text : text[..end]).TrimEnd('\r');
    }

    // AtcErrors.UnsupportedOps lists "[OpType] (node [name])".
    [GeneratedRegex(@"\[([^\]]+)\] \(node \[")]
    private static partial Regex UnsupportedEntry();
}
