extern alias analyzers;
extern alias sourcegen;
using Atc.Build.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using AscendModelOptionsAnalyzer = analyzers::Atc.Analyzers.AscendModelOptionsAnalyzer;
using RunNearestBatchAnalyzer = analyzers::Atc.Analyzers.RunNearestBatchAnalyzer;
using AscendModelGenerator = sourcegen::Atc.SourceGen.AscendModelGenerator;

namespace Atc.Build.Tests;

public class AnalyzerTests
{
    private const string ProjectPath = "/proj/app.csproj";

    private static string Project(string attributes) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
          </PropertyGroup>
          <ItemGroup>
            <AscendModel Include="Models/tiny.pb" {attributes} />
          </ItemGroup>
        </Project>
        """;

    private static IReadOnlyList<Diagnostic> AnalyzeOptions(string attributes, Dictionary<string, string> metadata,
        string? manifestText = null, Dictionary<string, string>? global = null)
    {
        metadata["DefiningProject"] = ProjectPath;
        var item = new ModelItem("/proj/obj/atc/Models_tiny.atcmanifest", manifestText, "Models/tiny.pb", metadata);
        var (files, options) = RoslynHarness.Inputs([item], global, [(ProjectPath, Project(attributes))]);
        return RoslynHarness.Analyze(RoslynHarness.Compilation("class C { }"), new AscendModelOptionsAnalyzer(), files, options);
    }

    [Fact]
    public void OneGearIsE10035AtTheAttributeLineAndColumn()
    {
        var diagnostics = AnalyzeOptions("InputShape=\"Placeholder:-1,224,224,3\" DynamicBatchSize=\"2\"",
            new() { ["InputShape"] = "Placeholder:-1,224,224,3", ["DynamicBatchSize"] = "2" });
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("E10035", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(ProjectPath, span.Path);
        Assert.Equal((6, 81), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        Assert.Equal((6, 101), (span.EndLinePosition.Line + 1, span.EndLinePosition.Character + 1));
        Assert.StartsWith("[--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims] has [1] profiles, which is less than the minimum ([2]). Solution: Ensure", diagnostic.GetMessage());
        Assert.EndsWith("Fix: Give at least 2 profiles, e.g. DynamicBatchSize=\"2,4\".", diagnostic.GetMessage());
        Assert.Equal("DynamicBatchSize", diagnostic.Properties["Attribute"]);
        Assert.EndsWith("#e10035", diagnostic.Descriptor.HelpLinkUri);
    }

    [Fact]
    public void E10018PointsAtInputShapeAndUsesTheLastManifestForTheFix()
    {
        var manifest = Manifests.TinyBatch().ToText().Replace("declared Placeholder float32 -1,4", "declared Placeholder float32 -1,224,224,3");
        var diagnostics = AnalyzeOptions("InputShape=\"Placeholder:-1,-1,-1,3\" DynamicBatchSize=\"2,4,8\"",
            new() { ["InputShape"] = "Placeholder:-1,-1,-1,3", ["DynamicBatchSize"] = "2,4,8" }, manifest);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("E10018", diagnostic.Id);
        Assert.Equal(5, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal(43, diagnostic.Location.GetLineSpan().StartLinePosition.Character + 1);
        Assert.Contains("Value [-1] for shape [1] is invalid.", diagnostic.GetMessage());
        Assert.Contains("Fix: InputShape=\"Placeholder:-1,224,224,3\"", diagnostic.GetMessage());
    }

    [Fact]
    public void AMisspeltInputIsCheckedAgainstTheLastBuildsModel()
    {
        var manifest = Manifests.TinyBatch().ToText();
        var diagnostics = AnalyzeOptions("InputShape=\"Placholder:-1,4\" DynamicBatchSize=\"1,2\"",
            new() { ["InputShape"] = "Placholder:-1,4", ["DynamicBatchSize"] = "1,2" }, manifest);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("E10016", diagnostic.Id);
        Assert.Equal((6, 43), (diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1, diagnostic.Location.GetLineSpan().StartLinePosition.Character + 1));
        Assert.Contains("Placeholder", diagnostic.GetMessage());
    }

    [Fact]
    public void E10019ForImageGears()
    {
        var diagnostics = AnalyzeOptions("InputShape=\"Placeholder:-1,-1,-1,3\" DynamicImageSize=\"448,448;224,224\"",
            new() { ["InputShape"] = "Placeholder:-1,-1,-1,3", ["DynamicImageSize"] = "448,448;224,224" });
        Assert.Equal("E10019", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void QuietWhenTheTaskChecksTheOptions()
    {
        var diagnostics = AnalyzeOptions("DynamicBatchSize=\"2\"", new() { ["InputShape"] = "x:-1,4", ["DynamicBatchSize"] = "2" },
            global: new() { ["build_property.AtcOptionsCheckedBy"] = "task" });
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void ValidOptionsAreQuiet() =>
        Assert.Empty(AnalyzeOptions("", new() { ["InputShape"] = "x:-1,4", ["DynamicBatchSize"] = "1,2,4,8" }));

    [Fact]
    public void WithoutTheProjectTextTheProjectFileIsStillNamed()
    {
        var item = new ModelItem("/proj/obj/atc/m.atcmanifest", null, "Models/tiny.pb",
            new Dictionary<string, string> { ["InputShape"] = "x:-1,4", ["DynamicBatchSize"] = "3", ["DefiningProject"] = ProjectPath });
        var (files, options) = RoslynHarness.Inputs([item]);
        var diagnostic = Assert.Single(RoslynHarness.Analyze(RoslynHarness.Compilation("class C { }"), new AscendModelOptionsAnalyzer(), files, options));
        Assert.Equal(ProjectPath, diagnostic.Location.GetLineSpan().Path);
    }

    [Fact]
    public void RunNearestWithALiteralBatchAboveTheLargestGearIsFlagged()
    {
        var user = """
            namespace App;
            public static class Use
            {
                public static void Call(TinyModel model, float[] data)
                {
                    model.RunNearest(3, data);
                    model.RunNearest(12, data);
                    _ = TinyModel.NearestBatchSize(0);
                }
            }
            """;
        var (files, options) = RoslynHarness.Inputs([Manifests.Item(Manifests.TinyBatch(), "Models/tiny.pb")]);
        RoslynHarness.Driver(new AscendModelGenerator(), files, options)
            .RunGeneratorsAndUpdateCompilation(RoslynHarness.Compilation(RuntimeStubs.SpanShapes, user), out var output, out _);
        Assert.Empty(RoslynHarness.Errors(output));
        var diagnostics = RoslynHarness.Analyze(output, new RunNearestBatchAnalyzer(), files, options).OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(2, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.Equal("ATC0010", d.Id));
        var first = diagnostics[0].Location.GetLineSpan();
        Assert.Equal(("Source1.cs", 7, 26), (first.Path, first.StartLinePosition.Line + 1, first.StartLinePosition.Character + 1));
        Assert.StartsWith("Batch size 12 is outside the gears of TinyModel", diagnostics[0].GetMessage());
        Assert.StartsWith("Batch size 0 ", diagnostics[1].GetMessage());
    }
}
