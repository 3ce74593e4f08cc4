extern alias msbuildtask;
using System.Collections;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using CommandLine = msbuildtask::Atc.MSBuild.CommandLine;
using CompileAscendModels = msbuildtask::Atc.MSBuild.CompileAscendModels;
using CompilerOutputParser = msbuildtask::Atc.MSBuild.CompilerOutputParser;

namespace Atc.Build.Tests;

public class TaskTests
{
    [Fact]
    public void ParsesAtcsOutputIntoCodedDiagnosticsWithSolutionAndFix()
    {
        var output = new[]
        {
            "ATC run failed, Please check the detail log, Try 'atc --help' for more information",
            "E10018: Value [-1] for shape [1] is invalid. When [--dynamic_batch_size] is included, only batch size N can be –1 in [--input_shape].",
            "Possible Cause: When [--dynamic_batch_size] is included, only batch size N can be –1 in the shape.",
            "Solution: Try again with a valid [--input_shape] argument.",
            "Fix: --input_shape=\"Placeholder:-1,224,224,3\"",
            "W11002: something to know",
        };
        var diagnostics = CompilerOutputParser.Parse(output);
        Assert.Equal(2, diagnostics.Count);
        Assert.Equal("E10018", diagnostics[0].Code);
        Assert.False(diagnostics[0].IsWarning);
        Assert.Equal("Value [-1] for shape [1] is invalid. When [--dynamic_batch_size] is included, only batch size N can be –1 in [--input_shape]. Solution: Try again with a valid [--input_shape] argument. Fix: --input_shape=\"Placeholder:-1,224,224,3\"", diagnostics[0].Message);
        Assert.True(diagnostics[1].IsWarning);
        Assert.Equal("dynamic_batch_size", CompilerOutputParser.OptionNamed(diagnostics[0].Message));
        Assert.Equal("input_shape", CompilerOutputParser.OptionNamed("Value [-1] for parameter [Inputs] is invalid. Reason: maybe you should set input_shape to specify its shape"));
        Assert.Null(CompilerOutputParser.OptionNamed("Failed to parse file [x.pb]"));
    }

    [Fact]
    public void ProjectOwnAtcCodesAreDiagnosticsToo()
    {
        var diagnostics = CompilerOutputParser.Parse(
        [
            "ATC run failed, Please check the detail log, Try 'atc --help' for more information",
            "ATC3101: AIPP configuration [aipp.cfg] line 3, column 3: [crop_sise_w] is not a field of aipp_op.",
            "Solution: Correct or remove the field.",
            "Fix: Did you mean [crop_size_w]?",
        ]);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("ATC3101", diagnostic.Code);
        Assert.False(diagnostic.IsWarning);
        Assert.EndsWith("Fix: Did you mean [crop_size_w]?", diagnostic.Message);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("with space", "\"with space\"")]
    [InlineData("--input_shape=a:1;b:2", "--input_shape=a:1;b:2")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("C:\\dir with space\\", "\"C:\\dir with space\\\\\"")]
    [InlineData("", "\"\"")]
    public void QuotesArgumentsForTheProcessCommandLine(string argument, string expected) =>
        Assert.Equal(expected, CommandLine.Quote(argument));

    [Fact]
    public void OptionMistakesAreReportedAtTheAttributeWithoutRunningTheCompiler()
    {
        var dir = Directory.CreateTempSubdirectory("atc-task-");
        try
        {
            var project = Path.Combine(dir.FullName, "app.csproj");
            File.WriteAllText(project, """
                <Project Sdk="Microsoft.NET.Sdk">
                  <ItemGroup>
                    <AscendModel Include="Models/tiny.pb" InputShape="Placeholder:-1,224,224,3" DynamicBatchSize="2" />
                  </ItemGroup>
                </Project>
                """);
            var model = TinyItem(dir.FullName, project, "tiny", new()
            {
                ["InputShape"] = "Placeholder:-1,224,224,3",
                ["DynamicBatchSize"] = "2",
            });
            var engine = new RecordingEngine();
            var task = new CompileAscendModels
            {
                BuildEngine = engine,
                Models = [model],
                CompilerPath = project, // exists; never started because the options are rejected first
                DotNetHostPath = "/nonexistent/dotnet",
                ProjectPath = project,
            };
            Assert.False(task.Execute());
            var error = Assert.Single(engine.Errors);
            Assert.Equal("E10035", error.Code);
            Assert.Equal(project, error.File);
            Assert.Equal((3, 81), (error.LineNumber, error.ColumnNumber));
            Assert.Contains("e.g. DynamicBatchSize=\"2,4\"", error.Message);
            Assert.False(File.Exists(Path.Combine(dir.FullName, "obj", "tiny.om")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The compiler words its fixes for the command line; the task reports them in the attribute form the user edits,
    /// at that attribute, with an absolute help link to the code's anchor. A stand-in compiler (a shell script) prints
    /// what atc prints for E10016.
    /// </summary>
    [Fact]
    public void CompilerFixesAreReportedInAttributeFormWithAHelpLink()
    {
        if (OperatingSystem.IsWindows()) return; // the stand-in compiler is a POSIX shell script
        var dir = Directory.CreateTempSubdirectory("atc-task-");
        try
        {
            var project = Path.Combine(dir.FullName, "app.csproj");
            File.WriteAllText(project, """
                <Project Sdk="Microsoft.NET.Sdk">
                  <ItemGroup>
                    <AscendModel Include="Models/tiny.pb" InputShape="Inputs:1,4" />
                  </ItemGroup>
                </Project>
                """);
            Directory.CreateDirectory(Path.Combine(dir.FullName, "Models"));
            File.WriteAllText(Path.Combine(dir.FullName, "Models", "tiny.pb"), "not read: the stand-in compiler fails first");
            var compiler = Path.Combine(dir.FullName, "fake-atc.sh");
            File.WriteAllText(compiler, """
                echo 'ATC run failed, Please check the detail log, Try '"'"'atc --help'"'"' for more information'
                echo 'E10016: Input parameter [--input_shape]'"'"'s opname [Inputs] is not found in model.'
                echo 'Solution: Check the input node names of the model.'
                echo 'Fix: --input_shape="input:1,4" --dynamic_batch_size="1,2"'
                exit 1
                """);
            var model = TinyItem(dir.FullName, project, "Models_tiny", new() { ["InputShape"] = "Inputs:1,4" });
            var engine = new RecordingEngine();
            var task = new CompileAscendModels { BuildEngine = engine, Models = [model], CompilerPath = compiler, DotNetHostPath = "/bin/sh", ProjectPath = project };
            Assert.False(task.Execute());
            var error = Assert.Single(engine.Errors);
            Assert.Equal("E10016", error.Code);
            Assert.Contains("Fix: InputShape=\"input:1,4\" DynamicBatchSize=\"1,2\"", error.Message);
            Assert.DoesNotContain("--input_shape=", error.Message);
            var line = File.ReadAllLines(project)[2];
            Assert.Equal((3, line.IndexOf("InputShape=", StringComparison.Ordinal) + 1), (error.LineNumber, error.ColumnNumber));
            Assert.EndsWith("/docs/errors.md#e10016", error.HelpLink);
            Assert.StartsWith("https://", error.HelpLink);
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(dir.FullName, "obj"), "*atcpart*")); // the temporary folder is gone
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void CompilerWarningsAndProjectOwnCodesAreParsedWithTheirSeverity()
    {
        var diagnostics = CompilerOutputParser.Parse(
        [
            "[WARNING] ATC3000: [--buffer_optimize=l2_optimize] is accepted and ignored: on Atc's CPU target L1/L2 buffers are NPU on-chip memories.",
            "Fix: remove it",
            "Generated [x.om] for Atc's portable CPU runtime.",
            "ATC run failed, Please check the detail log, Try 'atc --help' for more information",
            "ATC1104: Shape profile [8] needs an arena of 9 GB for its intermediate tensors, above the limit of 1 GB.",
        ]);
        Assert.Equal(2, diagnostics.Count);
        Assert.Equal(("ATC3000", true), (diagnostics[0].Code, diagnostics[0].IsWarning));
        Assert.EndsWith("Fix: remove it", diagnostics[0].Message);
        Assert.Equal(("ATC1104", false), (diagnostics[1].Code, diagnostics[1].IsWarning));
    }

    [Fact]
    public void UnknownMetadataIsAWarningAtItsAttributeWithADidYouMean()
    {
        var dir = Directory.CreateTempSubdirectory("atc-task-");
        try
        {
            var project = Path.Combine(dir.FullName, "app.csproj");
            File.WriteAllText(project, """
                <Project Sdk="Microsoft.NET.Sdk">
                  <ItemGroup>
                    <AscendModel Include="Models/tiny.pb" InputShape="Placeholder:-1,224,224,3" DynamicBatchSize="2"
                                 DynamicBatchSizes="1,2,4" Visible="false" />
                  </ItemGroup>
                </Project>
                """);
            var model = TinyItem(dir.FullName, project, "tiny", new()
            {
                ["InputShape"] = "Placeholder:-1,224,224,3",
                ["DynamicBatchSize"] = "2",
                ["DynamicBatchSizes"] = "1,2,4",
                ["Visible"] = "false",
            });
            var engine = new RecordingEngine();
            var task = new CompileAscendModels
            {
                BuildEngine = engine,
                Models = [model],
                CompilerPath = project, // never started: DynamicBatchSize="2" is rejected first
                DotNetHostPath = "/nonexistent/dotnet",
                ProjectPath = project,
            };
            Assert.False(task.Execute());
            var warning = Assert.Single(engine.Warnings);
            Assert.Equal("ATC3006", warning.Code);
            Assert.Equal(project, warning.File);
            Assert.Equal((4, 18), (warning.LineNumber, warning.ColumnNumber));
            Assert.Contains("[DynamicBatchSizes]", warning.Message);
            Assert.Contains("Did you mean DynamicBatchSize?", warning.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void DeploymentMetadataPassesToTheCompiler()
    {
        var metadata = new Dictionary<string, string>
        {
            ["PrecisionMode"] = "force_fp32",
            ["OutputType"] = "FP32",
            ["InputFp16Nodes"] = "x",
            ["KeepDtype"] = "keep.cfg",
            ["FusionSwitchFile"] = "fusion.cfg",
            ["CheckReport"] = "report.json",
            ["ArenaLimitMB"] = "512",
        };
        var options = new msbuildtask::Atc.Options.ItemRules.AscendModelOptions("m.pb", name => metadata.GetValueOrDefault(name));
        var arguments = options.ToArguments().ToList();
        Assert.Contains("--precision_mode=force_fp32", arguments);
        Assert.Contains("--output_type=FP32", arguments);
        Assert.Contains("--input_fp16_nodes=x", arguments);
        Assert.Contains("--keep_dtype=keep.cfg", arguments);
        Assert.Contains("--fusion_switch_file=fusion.cfg", arguments);
        Assert.Contains("--check_report=report.json", arguments);
        Assert.Contains("--arena_limit_mb=512", arguments);
    }

    [Fact]
    public void AMissingCompilerIsAClearError()
    {
        var engine = new RecordingEngine();
        var task = new CompileAscendModels { BuildEngine = engine, Models = [], CompilerPath = "/nowhere/atc.dll", ProjectPath = "app.csproj" };
        Assert.False(task.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal("ATC0002", error.Code);
        Assert.Contains("/nowhere/atc.dll", error.Message);
    }

    /// <summary>The AscendModel item of Models/tiny.pb in <paramref name="dir"/> as the targets hand it to the task,
    /// with the user's metadata.</summary>
    private static TaskItem TinyItem(string dir, string project, string outputStem, Dictionary<string, string> metadata)
    {
        var all = new Hashtable
        {
            ["ModelFullPath"] = Path.Combine(dir, "Models", "tiny.pb"),
            ["AtcModel"] = "Models/tiny.pb",
            ["AtcDefiningProject"] = project,
            ["OmPath"] = Path.Combine(dir, "obj", outputStem + ".om"),
            ["ManifestPath"] = Path.Combine(dir, "obj", outputStem + ".atcmanifest"),
        };
        foreach (var pair in metadata) all[pair.Key] = pair.Value;
        return new TaskItem("Models/tiny.pb", all);
    }

    private sealed class RecordingEngine : IBuildEngine
    {
        public List<BuildErrorEventArgs> Errors { get; } = [];
        public List<BuildWarningEventArgs> Warnings { get; } = [];
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "app.csproj";
        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;
        public void LogCustomEvent(CustomBuildEventArgs e) { }
        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);
        public void LogMessageEvent(BuildMessageEventArgs e) { }
        public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);
    }
}
