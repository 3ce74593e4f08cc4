using Atc.Cli.Tests.Support;

namespace Atc.Cli.Tests;

/// <summary>The seed's command lines on a real TensorFlow GraphDef, through the real front end, passes and emitter.</summary>
public class EndToEndSeedTests
{
    [Theory]
    [MemberData(nameof(SeedCases.FailureCases), MemberType = typeof(SeedCases))]
    public void Failure_is_reported_exactly_as_ATC_does(int n)
    {
        var (input, options, lines) = SeedCases.Failure(n);
        using var temp = new TempFolder();
        var model = temp.File("resnet_shape.pb");
        TinyTensorFlowModel.Write(model, input, [-1, 224, 224, 3]);

        var run = CliHarness.RunReal(SeedCases.Args(model, temp.File("out/resnet_shape"), "Ascend310", options));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(lines, run.Lines);
        Assert.False(File.Exists(temp.File("out/resnet_shape.om")));
    }

    [Theory]
    [MemberData(nameof(SeedCases.FixCases), MemberType = typeof(SeedCases))]
    public void Fix_writes_an_om(int n)
    {
        var (input, soc, options, _, _) = SeedCases.Fixes[n];
        using var temp = new TempFolder();
        var model = temp.File("model.pb");
        TinyTensorFlowModel.Write(model, input, [-1, 224, 224, 3]);

        var run = CliHarness.RunReal(SeedCases.Args(model, temp.File("out/model"), soc, options));

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal("ATC run success, welcome to the next use.", run.Lines[^1]);
        var om = File.ReadAllBytes(temp.File("out/model.om"));
        Assert.Equal("IMOD"u8.ToArray(), om[..4]); // magic 0x444F4D49, little-endian
        Assert.Empty(Directory.GetFiles(temp.File("out"), "*.tmp"));
    }
}
