using System.Text;

namespace Atc.Tests.Conformance;

/// <summary>Formats a folder's outcomes: the count table, op types behind unsupported and no-kernel cases, and every case that did not pass.</summary>
internal static class ConformanceReport
{
    public static string Header => $"{"folder",-20} {"cases",5} {"passed",6} {"failed",6} {"unsupported",11} {"no-kernel",9} {"error",5} {"passed with frozen inputs",25}";

    public static string Row(string folder, IReadOnlyCollection<CaseOutcome> outcomes)
        => $"{folder,-20} {outcomes.Count,5} {Count(outcomes, CaseStatus.Passed),6} {Count(outcomes, CaseStatus.Failed),6} "
           + $"{Count(outcomes, CaseStatus.Unsupported),11} {Count(outcomes, CaseStatus.NoKernel),9} {Count(outcomes, CaseStatus.Error),5} {outcomes.Count(o => o.Passed && o.FrozenInputs.Length > 0),25}";

    public static int Count(IEnumerable<CaseOutcome> outcomes, CaseStatus status) => outcomes.Count(o => o.Status == status);

    public static string Format(string folder, IReadOnlyCollection<CaseOutcome> outcomes)
    {
        var text = new StringBuilder();
        text.AppendLine(Header).AppendLine(Row(folder, outcomes));
        AppendOpCounts(text, "unsupported op types (cases)", outcomes.Where(o => o.Status == CaseStatus.Unsupported));
        AppendOpCounts(text, "ops without a runtime operator (cases)", outcomes.Where(o => o.Status == CaseStatus.NoKernel));
        var notPassed = outcomes.Where(o => !o.Passed).OrderBy(o => o.Status).ThenBy(o => o.Case, StringComparer.Ordinal).ToList();
        if (notPassed.Count > 0)
        {
            text.AppendLine("not passing:");
            foreach (var o in notPassed) text.AppendLine($"  {o.Status,-11} {o.Case}: {o.Detail}");
        }
        return text.ToString();
    }

    private static void AppendOpCounts(StringBuilder text, string title, IEnumerable<CaseOutcome> outcomes)
    {
        var counts = outcomes.SelectMany(o => o.Ops).GroupBy(op => op, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        if (counts.Count > 0) text.AppendLine($"{title}: {string.Join(", ", counts)}");
    }
}
