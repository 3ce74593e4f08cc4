using Atc.Tests.TestSupport;

namespace Atc.Tests.Conformance;

/// <summary>
/// The committed floor per folder (baseline.txt next to this file): the fewest cases that must pass and the most
/// that may fail or error. A regression breaks the test; an improvement is reported so the figure can be tightened.
/// </summary>
internal sealed record ConformanceBaseline(string Folder, int MinPassed, int MaxFailedOrError)
{
    public static string FilePath => Path.Combine(SharedData.RepoRoot(), "tests", "Atc.Runtime.Tests", "Conformance", "baseline.txt");

    /// <summary>Lines "folder min_passed max_failed_or_error"; "all" as min_passed means every case; '#' starts a comment.</summary>
    public static ConformanceBaseline For(string folder, int caseCount)
    {
        foreach (var raw in File.ReadAllLines(FilePath))
        {
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0 || line.StartsWith(OutOfScopePrefix, StringComparison.Ordinal)) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3) throw new FormatException($"{FilePath}: expected 'folder min_passed max_failed_or_error', got '{raw}'");
            if (parts[0] != folder) continue;
            int minPassed = parts[1] == "all" ? caseCount : int.Parse(parts[1]);
            return new ConformanceBaseline(folder, minPassed, int.Parse(parts[2]));
        }
        throw new KeyNotFoundException($"{FilePath} has no line for folder '{folder}'");
    }

    private const string OutOfScopePrefix = "out-of-scope";

    /// <summary>Lines "out-of-scope | folder | op | reason": the ops whose unsupported cases do not count as runnable.</summary>
    public static IReadOnlyDictionary<string, string> OutOfScope(string folder)
    {
        var ops = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(FilePath))
        {
            var line = raw.Split('#')[0].Trim();
            if (!line.StartsWith(OutOfScopePrefix, StringComparison.Ordinal)) continue;
            var parts = line.Split('|', StringSplitOptions.TrimEntries);
            if (parts.Length != 4 || parts[0] != OutOfScopePrefix) throw new FormatException($"{FilePath}: expected 'out-of-scope | folder | op | reason', got '{raw}'");
            if (parts[1] == folder) ops[parts[2]] = parts[3];
        }
        return ops;
    }
}
