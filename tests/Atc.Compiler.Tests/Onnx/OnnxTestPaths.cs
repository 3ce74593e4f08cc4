namespace Atc.Tests.Onnx;

/// <summary>Locates the shared conformance data (../shared next to the repository root), when present.</summary>
internal static class OnnxTestPaths
{
    /// <summary>The repository root: the folder holding Atc.sln above the test binaries.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Atc.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Atc.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>../shared/conformance/onnx, or null (with a message) when the shared data is absent. A git worktree
    /// sits one level deeper than the main checkout, so the parents of ../ are tried too.</summary>
    public static string? ConformanceOnnx()
    {
        string root = RepoRoot();
        for (var dir = Directory.GetParent(root); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "shared", "conformance", "onnx");
            if (Directory.Exists(path)) return path;
        }
        Console.WriteLine($"skipped: ONNX conformance data not found at {Path.GetFullPath(Path.Combine(root, "..", "shared", "conformance", "onnx"))}");
        return null;
    }
}
