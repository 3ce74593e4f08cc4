namespace Atc.Tests.Conformance;

/// <summary>Each folder runs once per test process, however many tests read its outcomes.</summary>
internal static class ConformanceRuns
{
    private static readonly Dictionary<string, Lazy<IReadOnlyList<CaseOutcome>?>> Runs = new(StringComparer.Ordinal)
    {
        ["tf"] = new(TfConformanceSuite.Run),
        ["light"] = new(() => OnnxConformanceSuite.RunFolder("light")),
        ["simple"] = new(() => OnnxConformanceSuite.RunFolder("simple")),
        ["pytorch-converted"] = new(() => OnnxConformanceSuite.RunFolder("pytorch-converted")),
        ["pytorch-operator"] = new(() => OnnxConformanceSuite.RunFolder("pytorch-operator")),
        ["node"] = new(() => OnnxConformanceSuite.RunFolder("node")),
    };

    public static IEnumerable<string> Folders => Runs.Keys;

    /// <summary>The folder's outcomes, or null when the shared data is absent (the caller skips).</summary>
    public static IReadOnlyList<CaseOutcome>? Get(string folder) => Runs[folder].Value;
}
