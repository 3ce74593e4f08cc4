using Atc.Cli.Tests.Support;

namespace Atc.Cli.Tests;

/// <summary>The seed's four failures, verbatim, and its six fixes, through the CLI with a model of input
/// [-1,224,224,3] (hand-built graph; the real front end is exercised in <see cref="EndToEndSeedTests"/>).</summary>
public class SeedCaseTests
{
    [Theory]
    [MemberData(nameof(SeedCases.FailureCases), MemberType = typeof(SeedCases))]
    public void Failure_is_reported_exactly_as_ATC_does(int n)
    {
        var (input, options, lines) = SeedCases.Failure(n);
        using var temp = new TempFolder();
        var pipeline = new FakePipeline(input);
        var run = CliHarness.Run(pipeline.Services,
            SeedCases.Args(temp.Touch("resnet_shape.pb"), temp.File("out/resnet_shape"), "Ascend310", options));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(lines, run.Lines);
        Assert.Empty(pipeline.Emitted);
        Assert.False(File.Exists(temp.File("out/resnet_shape.om")));
    }

    [Theory]
    [MemberData(nameof(SeedCases.FixCases), MemberType = typeof(SeedCases))]
    public void Fix_succeeds_with_the_expected_gears(int n)
    {
        var (input, soc, options, kind, gears) = SeedCases.Fixes[n];
        using var temp = new TempFolder();
        var pipeline = new FakePipeline(input);
        var run = CliHarness.Run(pipeline.Services,
            SeedCases.Args(temp.Touch("model.pb"), temp.File("out/model"), soc, options));

        Assert.True(run.ExitCode == 0, run.Stdout);
        Assert.Equal("ATC run success, welcome to the next use.", run.Lines[^1]);
        Assert.Contains("portable CPU runtime", run.Stdout);
        Assert.Contains("--soc_version=" + soc + " recorded for compatibility", run.Stdout);
        Assert.True(File.Exists(temp.File("out/model.om")));

        var (graph, gearSet, emitOptions) = Assert.Single(pipeline.Emitted);
        Assert.Equal(kind, gearSet.Kind.ToString());
        Assert.Equal(gears, gearSet.Gears.Select(g => string.Join(",", g.InputShapes[input + ":0"])).ToArray());
        Assert.Equal(soc, emitOptions.SocVersion);
        Assert.Equal("model", emitOptions.ModelName);
    }

    [Fact]
    public void Range_fix_records_the_bounds()
    {
        using var temp = new TempFolder();
        var pipeline = new FakePipeline("Inputs");
        var run = CliHarness.Run(pipeline.Services,
            SeedCases.Args(temp.Touch("model.pb"), temp.File("model"), "Ascend910", "--input_shape=Inputs:1~10,224,224,3"));

        Assert.Equal(0, run.ExitCode);
        var range = Assert.Single(pipeline.Emitted[0].Gears.Ranges);
        Assert.Equal("Inputs:0", range.InputName);
        Assert.Equal([1, 224, 224, 3], range.Min);
        Assert.Equal([10, 224, 224, 3], range.Max);
        Assert.Equal([-1, 224, 224, 3], pipeline.Emitted[0].Graph.Inputs[0].Shape!);
    }

    [Fact]
    public void Batch_gears_carry_their_batch_size_as_selector()
    {
        using var temp = new TempFolder();
        var pipeline = new FakePipeline("Inputs");
        CliHarness.Run(pipeline.Services, SeedCases.Args(temp.Touch("m.pb"), temp.File("m"), "Ascend310",
            "--input_shape=Inputs:-1,224,224,3", "--dynamic_batch_size=1,2,4,8"));

        Assert.Equal([[1], [2], [4], [8]], pipeline.Emitted[0].Gears.Gears.Select(g => g.Selector).ToArray());
    }
}
