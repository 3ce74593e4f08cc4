using Atc.Fuzz.Engine;
using Xunit.Abstractions;

namespace Atc.Fuzz.Tests;

/// <summary>
/// The CI budget: a few hundred seeded cases per format, each in a worker process with a time budget, and no
/// crashes or hangs allowed. Deterministic: a failure names its case, which
/// `dotnet run -c Release --project tests/Atc.Fuzz -- --format F --seed 1 --case N` regenerates.
/// </summary>
public sealed class FuzzBudgetTests(ITestOutputHelper output)
{
    private const int Seed = 1;
    private const int CasesPerFormat = 300;

    public static TheoryData<string> Formats => new(FuzzFormats.All.Select(f => f.Name()));

    [Theory]
    [MemberData(nameof(Formats))]
    public void Seeded_cases_neither_crash_nor_hang(string formatName)
    {
        var format = FuzzFormats.Parse(formatName)!.Value;
        var work = Path.Combine(Path.GetTempPath(), "atc-fuzz-ci-" + Environment.ProcessId + "-" + formatName);
        FuzzReport report;
        try
        {
            report = new Supervisor(format, Seed, TimeSpan.FromSeconds(10), work).Run(CasesPerFormat, deadlineUtc: null, output.WriteLine);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
        output.WriteLine(report.ToString());

        Assert.Equal(CasesPerFormat, report.Cases);
        Assert.True(report.Findings.Count == 0, "findings (regenerate with --case N, see docs/fuzzing.md):\n" + report);
    }
}
