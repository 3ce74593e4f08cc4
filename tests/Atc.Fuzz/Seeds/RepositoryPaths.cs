namespace Atc.Fuzz.Seeds;

/// <summary>The repository root (found from the build output) and the read-only ../shared next to it.</summary>
public static class RepositoryPaths
{
    public static string? Root { get; } = FindRoot();

    /// <summary>../shared/conformance, or null in a clone without it (the fuzzers then use the builders' seeds only).</summary>
    public static string? Conformance => Root is null ? null : Existing(Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance")));

    /// <summary>tests/Atc.Fuzz/Regressions in the source tree (where new findings are written) or the copy next to the build.</summary>
    public static string Regressions => Root is null
        ? Path.Combine(AppContext.BaseDirectory, "Regressions")
        : Path.Combine(Root, "tests", "Atc.Fuzz", "Regressions");

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Atc.sln"))) return dir.FullName;
        return null;
    }

    private static string? Existing(string path) => Directory.Exists(path) ? path : null;
}
