using Atc.Cli.Tests.Support;

namespace Atc.Cli.Tests;

public class CliBehaviourTests
{
    private static string[] Fix1(string model, string output) => SeedCases.Args(model, output, "Ascend310", "--input_shape=Inputs:1,224,224,3");

    [Fact]
    public void Help_lists_every_parameter_and_the_target()
    {
        var run = CliHarness.Run(new FakePipeline().Services, "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var name in Atc.Options.AtcOptionNames.All)
            Assert.Contains("--" + name + " ", run.Stdout);
        Assert.Contains("portable CPU runtime", run.Stdout);
        Assert.Contains("run", run.Stdout);
    }

    [Fact]
    public void Space_separated_values_parse_like_equals_syntax()
    {
        using var temp = new TempFolder();
        var model = temp.Touch("m.pb");
        var pipeline = new FakePipeline();
        var run = CliHarness.Run(pipeline.Services, "--model", model, "--framework", "3", "--output", temp.File("m"),
            "--soc_version", "Ascend310", "--input_shape", "Inputs:-1,224,224,3", "--dynamic_batch_size", "1,2");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, pipeline.Emitted[0].Gears.Gears.Count);
    }

    [Fact]
    public void Unknown_option_is_an_ATC_error_with_a_suggestion_and_other_problems_are_reported_too()
    {
        var run = CliHarness.Run(new FakePipeline().Services, "--modle=x.pb", "--framework=3", "--output=o",
            "--soc_version=Ascend310", "--dynamic_batch_size=2");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(SeedCases.Banner, run.Lines[0]);
        Assert.Contains("E10053: There is an error in the command line. Reason: unknown option [--modle]", run.Lines);
        Assert.Contains("Fix: Did you mean --model? Run atc --help for the options this compiler supports.", run.Lines);
        Assert.Contains(run.Lines, l => l.StartsWith("E10054: The required parameter [--model]", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.StartsWith("E10035:", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_in_one_run()
    {
        using var temp = new TempFolder();
        var run = CliHarness.Run(new FakePipeline().Services, "--model=" + temp.File("missing.pb"), "--framework=0",
            "--output=" + temp.Path + "/", "--soc_version=Ascend999", "--log=verbose", "--mode=2",
            "--input_shape=x:0;y:1,a", "--dynamic_batch_size=1", "--dynamic_dims=1;2", "--out_nodes=node");

        Assert.Equal(1, run.ExitCode);
        var codes = run.Lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^E[0-9A-Z]{5}: ")).Select(l => l[..6]).ToList();
        Assert.True(codes.SequenceEqual(["E10001", "E10010", "E10001", "E10022", "E10001", "E10011", "E10002", "E10009", "E10035", "E10054", "E13000"]), string.Join(",", codes));
    }

    [Fact]
    public void Missing_model_file_is_a_coded_error()
    {
        using var temp = new TempFolder();
        var run = CliHarness.Run(new FakePipeline().Services, Fix1(temp.File("nope.pb"), temp.File("o")));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("E13000: Path [" + temp.File("nope.pb") + "] is empty. Reason: No such file or directory.", run.Lines[1]);
        Assert.Equal("Possible Cause: The file does not exist.", run.Lines[2]);
    }

    [Fact]
    public void MindSpore_is_reported_as_not_supported_and_Caffe_needs_weight()
    {
        using var temp = new TempFolder();
        var run = CliHarness.Run(new FakePipeline().Services, "--model=" + temp.Touch("m.air"), "--framework=1",
            "--output=" + temp.File("o"), "--soc_version=Ascend310");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("E10055: The operation is not supported. Reason: --framework=1", run.Lines[1]);

        var caffe = CliHarness.Run(new FakePipeline().Services, "--model=" + temp.Touch("m.prototxt"), "--framework=0",
            "--output=" + temp.File("o"), "--soc_version=Ascend310");
        Assert.Equal(1, caffe.ExitCode);
        Assert.StartsWith("E10054: The required parameter [--weight] for ATC is empty.", caffe.Lines[1]);

        var missing = CliHarness.Run(new FakePipeline().Services, "--model=" + temp.Touch("m.prototxt"), "--framework=0",
            "--weight=" + temp.File("m.caffemodel"), "--output=" + temp.File("o"), "--soc_version=Ascend310");
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("E13000: Path [" + temp.File("m.caffemodel") + "] is empty.", missing.Lines[1]);
    }

    [Fact]
    public void Internal_errors_are_coded_without_a_stack_trace()
    {
        using var temp = new TempFolder();
        var pipeline = new FakePipeline { EmitOverride = () => throw new InvalidOperationException("boom") };
        var run = CliHarness.Run(pipeline.Services, Fix1(temp.Touch("m.pb"), temp.File("o")));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("ATC9999: Internal error: InvalidOperationException: boom.", run.Lines[1]);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
    }

    [Fact]
    public void Log_level_controls_stderr()
    {
        using var temp = new TempFolder();
        var quiet = CliHarness.Run(new FakePipeline().Services, Fix1(temp.Touch("m.pb"), temp.File("o")));
        var info = CliHarness.Run(new FakePipeline().Services, [.. Fix1(temp.Touch("m.pb"), temp.File("o")), "--log=info"]);
        var debug = CliHarness.Run(new FakePipeline().Services, [.. Fix1(temp.Touch("m.pb"), temp.File("o")), "--log=debug"]);

        Assert.Equal("", quiet.Stderr);
        Assert.Contains("[INFO] Importing TensorFlow model", info.Stderr);
        Assert.DoesNotContain("[DEBUG]", info.Stderr);
        Assert.Contains("[DEBUG]   gear [] Inputs:0:1,224,224,3", debug.Stderr);
    }

    [Fact]
    public void Mode_3_checks_everything_and_writes_nothing()
    {
        using var temp = new TempFolder();
        var pipeline = new FakePipeline();
        var run = CliHarness.Run(pipeline.Services, "--mode=3", "--model=" + temp.Touch("m.pb"), "--framework=3",
            "--soc_version=Ascend310", "--input_shape=Inputs:-1,224,224,3", "--dynamic_batch_size=1,2", "--output=" + temp.File("o"));

        Assert.Equal(0, run.ExitCode);
        Assert.Single(pipeline.Emitted); // every gear was planned
        Assert.Contains("nothing written (--mode=3)", run.Stdout);
        Assert.Equal(["m.pb"], Directory.GetFiles(temp.Path).Select(f => Path.GetFileName(f)).ToArray());
    }

    [Fact]
    public void Mode_3_reports_model_dependent_errors()
    {
        using var temp = new TempFolder();
        var run = CliHarness.Run(new FakePipeline().Services, "--mode=3", "--model=" + temp.Touch("m.pb"), "--framework=3", "--soc_version=Ascend310");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("E10001: Value [-1] for parameter [Inputs]", run.Lines[1]);
    }

    [Fact]
    public void Mode_1_dumps_an_om_as_json()
    {
        using var temp = new TempFolder();
        var om = temp.Touch("m.om", "IMOD bytes");
        var run = CliHarness.Run(new FakePipeline().Services, "--mode=1", "--om=" + om, "--json=" + temp.File("m.json"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\"fake\": \"IMOD bytes\"}", File.ReadAllText(temp.File("m.json")));
    }

    [Fact]
    public void Mode_1_with_a_framework_dumps_the_original_model_without_compiling_it()
    {
        using var temp = new TempFolder();
        var pipeline = new FakePipeline();
        var model = temp.File("m.pb");
        TinyTensorFlowModel.Write(model, "Inputs", [-1, 224, 224, 3]);
        var run = CliHarness.Run(pipeline.Services, "--mode=1", "--framework=3", "--om=" + model, "--json=" + temp.File("m.json"));

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(pipeline.Emitted);
        Assert.Contains("\"Placeholder\"", File.ReadAllText(temp.File("m.json")));
    }

    [Fact]
    public void Mode_1_requires_om_and_json()
    {
        var run = CliHarness.Run(new FakePipeline().Services, "--mode=1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.Lines, l => l.StartsWith("E10054: The required parameter [--om]", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.StartsWith("E10054: The required parameter [--json]", StringComparison.Ordinal));
    }

    [Fact]
    public void No_arguments_prints_the_help()
    {
        var run = CliHarness.Run(new FakePipeline().Services);
        Assert.Contains("--input_shape", run.Stdout);
    }
}

public class CliQuotingTests
{
    [Fact]
    public void Quotes_left_in_values_are_removed()
    {
        using var temp = new TempFolder();
        var pipeline = new FakePipeline();
        var run = CliHarness.Run(pipeline.Services, SeedCases.Args(temp.Touch("m.pb"), temp.File("m"), "Ascend310",
            "--input_shape=\"Inputs:-1,224,224,3\"", "--dynamic_batch_size='1,2'"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, pipeline.Emitted[0].Gears.Gears.Count);
    }
}

public class CliSubcommandTests
{
    [Fact]
    public void Run_subcommand_is_wired_in()
    {
        var run = CliHarness.Run(new FakePipeline().Services, "run", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("run", run.Stdout);
        Assert.DoesNotContain("ATC run failed", run.Stdout);
    }
}
