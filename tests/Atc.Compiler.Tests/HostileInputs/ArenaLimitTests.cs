using Atc.Compiler.Emit;
using Atc.Cli.Tests.Support;
using Atc.TestModels.Onnx;

namespace Atc.Compiler.Tests.HostileInputs;

/// <summary>Issue 10: a gear whose arena is beyond the limit fails at compile time with ATC1104, naming the gear, the
/// size and the way out; --arena_limit_mb overrides the default (0 = no limit).</summary>
public sealed class ArenaLimitTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CliRun Compile(byte[] model, params string[] extra)
    {
        string path = _folder.File("model.onnx");
        File.WriteAllBytes(path, model);
        return CliHarness.RunReal([$"--model={path}", "--framework=5", $"--output={_folder.File("out")}", "--soc_version=Ascend310", .. extra]);
    }

    [Fact]
    public void A_resnet_with_a_batch_of_10000_fails_with_the_default_limit()
    {
        var run = Compile(OnnxModels.ResNet18(), $"--input_shape={OnnxModels.InputName}:-1,3,224,224", "--dynamic_batch_size=1,10000");
        Assert.Equal(1, run.ExitCode);
        var line = run.Lines.FirstOrDefault(l => l.StartsWith("ATC1104: ", StringComparison.Ordinal));
        Assert.True(line is not null, run.Stdout);
        Assert.Contains("Shape profile [Batch 10000: " + OnnxModels.InputName + "[10000,3,224,224]]", line);
        Assert.Contains("--arena_limit_mb=N", run.Stdout);
        HostileCli.AssertNoStackTrace(run);
        Assert.False(File.Exists(_folder.File("out.om")));
    }

    [Fact]
    public void The_limit_option_overrides_the_default_both_ways()
    {
        string[] gears = [$"--input_shape={OnnxModels.InputName}:-1,64", "--dynamic_batch_size=1,100000"];
        var tight = Compile(OnnxModels.Mlp(), [.. gears, "--arena_limit_mb=1"]);
        Assert.Equal(1, tight.ExitCode);
        var line = Assert.Single(tight.Lines, l => l.StartsWith("ATC1104: ", StringComparison.Ordinal));
        Assert.Contains("above the limit of 1 MB", line);

        Assert.Equal(0, Compile(OnnxModels.Mlp(), [.. gears, "--arena_limit_mb=0"]).ExitCode);
        Assert.Equal(0, Compile(OnnxModels.Mlp(), [.. gears, "--arena_limit_mb=1024"]).ExitCode);
    }

    [Fact]
    public void A_bad_limit_is_a_command_line_error()
    {
        var run = Compile(OnnxModels.Mlp(), "--arena_limit_mb=lots");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("E10001: Value [lots] for parameter [--arena_limit_mb] is invalid.", run.Stdout);
    }

    [Fact]
    public void The_default_is_a_quarter_of_the_available_memory()
    {
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4, ArenaLimit.DefaultBytes());
        Assert.Equal(0, ArenaLimit.FromOption(0));
        Assert.Equal(3L << 20, ArenaLimit.FromOption(3));
        Assert.Equal(ArenaLimit.DefaultBytes(), ArenaLimit.FromOption(null));
    }
}
