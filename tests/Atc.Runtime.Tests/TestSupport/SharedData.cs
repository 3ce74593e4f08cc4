namespace Atc.Tests.TestSupport;

/// <summary>Locates the repository root and the read-only shared data (../shared next to the repository).</summary>
internal static class SharedData
{
    /// <summary>The folder holding Atc.sln above the test binaries.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Atc.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Atc.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// shared/<paramref name="relative"/> in the nearest ancestor of the repository root (../shared for the main
    /// checkout; a git worktree sits one level deeper), or null after printing why the caller skips.
    /// </summary>
    public static string? Find(string relative)
    {
        string root = RepoRoot();
        for (var dir = Directory.GetParent(root); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "shared", relative);
            if (Directory.Exists(path)) return path;
        }
        Console.WriteLine($"skipped: shared data '{relative}' not found (looked for {Path.GetFullPath(Path.Combine(root, "..", "shared", relative))} and shared/ in every ancestor)");
        return null;
    }
}
