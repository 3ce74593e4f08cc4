using System.Globalization;
using System.Text;
using Atc.Fuzz.Oracle;

namespace Atc.Fuzz.Engine;

/// <summary>The figures of one format's run: cases, coded errors by code, findings by signature, peak memory.</summary>
public sealed class FuzzReport(FuzzFormat format, int seed)
{
    public FuzzFormat Format { get; } = format;
    public int Seed { get; } = seed;
    public long Cases { get; private set; }
    public long Passed { get; private set; }
    public SortedDictionary<string, long> CodedByCode { get; } = new(StringComparer.Ordinal);
    /// <summary>Crash and hang signatures: how often, and the first case index (to regenerate it).</summary>
    public SortedDictionary<string, (long Count, long FirstIndex, OutcomeKind Kind)> Findings { get; } = new(StringComparer.Ordinal);
    public long Crashes => Findings.Values.Where(f => f.Kind == OutcomeKind.Crash).Sum(f => f.Count);
    public long Hangs => Findings.Values.Where(f => f.Kind == OutcomeKind.Hang).Sum(f => f.Count);
    public long PeakGcBytes { get; set; }
    public long PeakRssBytes { get; set; }
    public int WorkerStarts { get; set; }
    public TimeSpan Elapsed { get; set; }

    public void Add(long index, Outcome outcome)
    {
        Cases++;
        switch (outcome.Kind)
        {
            case OutcomeKind.Passed: Passed++; break;
            case OutcomeKind.Coded: CodedByCode[outcome.Detail] = CodedByCode.GetValueOrDefault(outcome.Detail) + 1; break;
            default:
                var known = Findings.GetValueOrDefault(outcome.Detail, (0, index, outcome.Kind));
                Findings[outcome.Detail] = (known.Count + 1, Math.Min(known.FirstIndex, index), outcome.Kind);
                break;
        }
    }

    public override string ToString()
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"format {Format.Name()} (seed {Seed}): {Cases} cases in {Elapsed.TotalSeconds:0} s, {Passed} passed, "
            + $"{CodedByCode.Values.Sum()} coded errors, {Crashes} crashes, {Hangs} hangs; {WorkerStarts} worker process(es); "
            + $"peak GC heap {PeakGcBytes / (1 << 20)} MiB, peak RSS {PeakRssBytes / (1 << 20)} MiB");
        s.AppendLine("  coded: " + string.Join(", ", CodedByCode.Select(p => p.Key + " x" + p.Value)));
        foreach (var (signature, f) in Findings)
            s.AppendLine(inv, $"  {f.Kind} x{f.Count} (first case {f.FirstIndex}): {signature}");
        return s.ToString();
    }
}
