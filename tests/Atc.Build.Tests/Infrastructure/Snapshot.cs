namespace Atc.Build.Tests.Infrastructure;

/// <summary>
/// Compares generated text with tests/Atc.Build.Tests/Snapshots/NAME. Set ATC_UPDATE_SNAPSHOTS=1 to (re)write the
/// snapshots in the source tree after a deliberate change, then review the diff.
/// </summary>
public static class Snapshot
{
    public static void Match(string name, string actual)
    {
        var sourcePath = Path.Combine(RepoRoot.Find(), "tests", "Atc.Build.Tests", "Snapshots", name);
        if (Environment.GetEnvironmentVariable("ATC_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(sourcePath, actual);
            return;
        }
        var expectedPath = File.Exists(sourcePath) ? sourcePath : Path.Combine(AppContext.BaseDirectory, "Snapshots", name);
        Assert.True(File.Exists(expectedPath), "No snapshot " + name + "; run with ATC_UPDATE_SNAPSHOTS=1 to create it.");
        Assert.Equal(File.ReadAllText(expectedPath).Replace("\r\n", "\n"), actual.Replace("\r\n", "\n"));
    }
}

public static class RepoRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Atc.sln"))) return dir.FullName;
        throw new InvalidOperationException("Atc.sln not found above " + AppContext.BaseDirectory);
    }
}
