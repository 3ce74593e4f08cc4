using Atc.Fuzz.Engine;
using Atc.Fuzz.Seeds;

namespace Atc.Fuzz.Tests;

/// <summary>
/// Every minimised finding under Regressions/&lt;format&gt;/ replayed in a worker process: once its bug is fixed it must
/// pass or fail with a coded error, and stay that way.
/// </summary>
public sealed class RegressionReplayTests
{
    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        foreach (var format in FuzzFormats.All)
        {
            var folder = Path.Combine(RepositoryPaths.Regressions, format.Name());
            if (!Directory.Exists(folder)) continue;
            foreach (var file in Directory.EnumerateFiles(folder).Where(IsRegressionInput).Order(StringComparer.Ordinal))
                data.Add(format.Name(), Path.GetFileName(file));
        }
        return data;
    }

    /// <summary>Inputs only: not the .note beside each, not the unshrunk ".original." copy.</summary>
    private static bool IsRegressionInput(string path)
        => !path.EndsWith(".note", StringComparison.Ordinal) && !Path.GetFileName(path).Contains(".original.", StringComparison.Ordinal)
            && !Path.GetFileName(path).StartsWith('.');

    [Theory]
    [MemberData(nameof(Files))]
    public void Regression_input_neither_crashes_nor_hangs(string formatName, string fileName)
    {
        var format = FuzzFormats.Parse(formatName)!.Value;
        var file = Path.Combine(RepositoryPaths.Regressions, formatName, fileName);
        var note = Path.ChangeExtension(file, ".note");
        var work = Path.Combine(Path.GetTempPath(), "atc-fuzz-replay-" + Environment.ProcessId);

        var outcome = ChildReplay.Run(format, file, TimeSpan.FromSeconds(20), work);

        Assert.False(outcome.IsFinding, $"{fileName}: {outcome}\n{(File.Exists(note) ? File.ReadAllText(note) : "")}");
    }
}
