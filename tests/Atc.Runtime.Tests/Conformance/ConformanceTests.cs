using Xunit.Abstractions;

namespace Atc.Tests.Conformance;

/// <summary>
/// Correctness against references this project did not write: the ONNX backend-test data and TensorFlow GraphDefs
/// under ../shared/conformance, each folder held to the committed floor in baseline.txt (regressions fail; when the
/// figures improve, the message says so and the baseline should be tightened).
/// </summary>
public class ConformanceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Folders => [.. ConformanceRuns.Folders];

    [Theory]
    [MemberData(nameof(Folders))]
    public void Folder_meets_its_baseline(string folder)
    {
        if (Report(folder) is not { } outcomes) return;

        var baseline = ConformanceBaseline.For(folder, outcomes.Count);
        int passed = outcomes.Count(o => o.Passed), bad = outcomes.Count(o => o.IsFailureOrError);
        var failing = string.Join("\n", outcomes.Where(o => o.IsFailureOrError).Select(o => "  " + o));
        Assert.True(bad <= baseline.MaxFailedOrError,
            $"{folder}: {bad} cases fail or error, the baseline allows {baseline.MaxFailedOrError}:\n{failing}");
        Assert.True(passed >= baseline.MinPassed, $"{folder}: {passed} of {outcomes.Count} cases pass, the baseline requires {baseline.MinPassed}");
        if (bad < baseline.MaxFailedOrError || passed > baseline.MinPassed)
            output.WriteLine($"improved: tighten {ConformanceBaseline.FilePath} to '{folder} {passed} {bad}'");
    }

    /// <summary>The TensorFlow references, the light/ CNNs and the PyTorch exports use only ops the runtime targets:
    /// every case must pass.</summary>
    [Theory]
    [InlineData("tf")]
    [InlineData("light")]
    [InlineData("pytorch-converted")]
    [InlineData("pytorch-operator")]
    public void Every_case_passes(string folder)
    {
        if (Report(folder) is not { } outcomes) return;
        Assert.All(outcomes, o => Assert.True(o.Passed, o.ToString()));
    }

    /// <summary>Issue 13: at least 95% of the node suite's runnable cases pass. A case is not runnable when it is
    /// unsupported only for ops baseline.txt lists as out of scope (data-dependent shapes, control flow, sequences,
    /// strings, training and random ops), each with its reason.</summary>
    [Fact]
    public void Runnable_node_cases_meet_the_pass_rate()
    {
        if (ConformanceRuns.Get("node") is not { } outcomes) return;
        var outOfScope = ConformanceBaseline.OutOfScope("node");
        bool Runnable(CaseOutcome o) => !(o.Status == CaseStatus.Unsupported && o.Ops.Length > 0 && o.Ops.All(outOfScope.ContainsKey));
        var runnable = outcomes.Where(Runnable).ToList();
        int passed = runnable.Count(o => o.Passed);
        output.WriteLine($"node: {passed} of {runnable.Count} runnable cases pass ({100.0 * passed / runnable.Count:0.0}%); "
            + $"{outcomes.Count - runnable.Count} of {outcomes.Count} out of scope");
        foreach (var o in runnable.Where(o => !o.Passed)) output.WriteLine("  not passing: " + o);
        Assert.True(passed >= 0.95 * runnable.Count, $"node: {passed} of {runnable.Count} runnable cases pass, below 95%");
    }

    /// <summary>One table over every folder (each runs once per process, so this costs nothing extra).</summary>
    [Fact]
    public void Summary_table_accounts_for_every_case()
    {
        var rows = ConformanceRuns.Folders.Select(f => (Folder: f, Outcomes: ConformanceRuns.Get(f))).Where(r => r.Outcomes is not null).ToList();
        if (rows.Count == 0)
        {
            output.WriteLine("skipped: ../shared/conformance is absent");
            return;
        }
        var text = new System.Text.StringBuilder().AppendLine(ConformanceReport.Header);
        foreach (var (folder, outcomes) in rows) text.AppendLine(ConformanceReport.Row(folder, outcomes!));
        output.WriteLine(text.ToString());
        foreach (var (folder, outcomes) in rows)
        {
            Assert.NotEmpty(outcomes!);
            Assert.Equal(outcomes!.Count, outcomes.Select(o => o.Case).Distinct().Count());
            Assert.All(outcomes!, o => Assert.Equal(folder, o.Folder));
        }
    }

    private IReadOnlyList<CaseOutcome>? Report(string folder)
    {
        var outcomes = ConformanceRuns.Get(folder);
        if (outcomes is null)
        {
            output.WriteLine($"skipped: no conformance data for '{folder}' (../shared is absent)");
            return null;
        }
        string text = ConformanceReport.Format(folder, outcomes);
        output.WriteLine(text);
        // Also kept next to the test binaries, for reading the whole report after a run.
        string dir = Path.Combine(AppContext.BaseDirectory, "conformance-reports");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, folder + ".txt"), text);
        return outcomes;
    }
}
