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
            var model = new TaskItem("Models/tiny.pb", new Hashtable
            {
                ["ModelFullPath"] = Path.Combine(dir.FullName, "Models", "tiny.pb"),
                ["AtcModel"] = "Models/tiny.pb",
                ["AtcDefiningProject"] = project,
                ["OmPath"] = Path.Combine(dir.FullName, "obj", "tiny.om"),
                ["ManifestPath"] = Path.Combine(dir.FullName, "obj", "tiny.atcmanifest"),
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

    private sealed class RecordingEngine : IBuildEngine
    {
        public List<BuildErrorEventArgs> Errors { get; } = [];
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "app.csproj";
        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;
        public void LogCustomEvent(CustomBuildEventArgs e) { }
        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);
        public void LogMessageEvent(BuildMessageEventArgs e) { }
        public void LogWarningEvent(BuildWarningEventArgs e) { }
    }
}
