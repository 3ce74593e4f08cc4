extern alias sourcegen;
using System.Reflection;
using System.Runtime.Loader;
using Atc.Build.Tests.Infrastructure;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using AscendModelGenerator = sourcegen::Atc.SourceGen.AscendModelGenerator;

namespace Atc.Build.Tests;

public class GeneratorTests
{
    private static (Compilation Output, GeneratorDriverRunResult Result) Generate(string runtime, params ModelItem[] models)
    {
        var (files, options) = RoslynHarness.Inputs(models);
        var driver = RoslynHarness.Driver(new AscendModelGenerator(), files, options);
        driver = (Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver)driver.RunGeneratorsAndUpdateCompilation(RoslynHarness.Compilation(runtime), out var output, out _);
        return (output, driver.GetRunResult());
    }

    private static string GeneratedText(GeneratorDriverRunResult result, string hint) =>
        result.Results.Single().GeneratedSources.Single(s => s.HintName.StartsWith(hint + ".", StringComparison.Ordinal)).SourceText.ToString();

    [Theory]
    [InlineData("TinyModel", "batch")]
    [InlineData("NetModel", "image")]
    [InlineData("PairModel", "static")]
    [InlineData("RangedModel", "range")]
    public void GeneratedWrapperMatchesSnapshotAndCompiles(string className, string kind)
    {
        var manifest = kind switch
        {
            "batch" => Manifests.TinyBatch(),
            "image" => Manifests.ImageGears(),
            "static" => Manifests.StaticTwoInputs(),
            _ => Manifests.Range(),
        };
        var model = "Models/" + manifest.ModelName + (kind == "static" ? ".onnx" : ".pb");
        var (output, result) = Generate(RuntimeStubs.SpanShapes, Manifests.Item(manifest, model));
        Assert.Empty(result.Diagnostics);
        var text = GeneratedText(result, className);
        Assert.Empty(RoslynHarness.Errors(output));
        Snapshot.Match(className + ".g.cs", text);

        // The same code compiles against a runtime whose shapes are arrays and whose types are not IDisposable.
        var (other, _) = Generate(RuntimeStubs.ArrayShapesNotDisposable, Manifests.Item(manifest, model));
        Assert.Empty(RoslynHarness.Errors(other));
    }

    [Fact]
    public void BatchGearsGetOneRunOverloadEachAndTypedInputs()
    {
        var (output, result) = Generate(RuntimeStubs.SpanShapes, Manifests.Item(Manifests.TinyBatch(), "Models/tiny.pb"));
        var type = output.GetTypeByMetadataName("App.TinyModel")!;
        Assert.Equal(["Batch1Input", "Batch2Input", "Batch4Input", "Batch8Input"],
            type.GetTypeMembers().Select(t => t.Name).Where(n => n.EndsWith("Input")).OrderBy(n => n.Length).ThenBy(n => n));
        var runs = type.GetMembers("Run").OfType<IMethodSymbol>().Select(m => m.Parameters.Single().Type.Name).OrderBy(n => n);
        Assert.Equal(["Batch1Input", "Batch2Input", "Batch4Input", "Batch8Input"], runs);
        Assert.True(type.IsSealed);
        Assert.Contains(type.AllInterfaces, i => i.Name == "IDisposable");
        Assert.Contains("Placeholder", GeneratedText(result, "TinyModel"));
    }

    [Fact]
    public void ADynamicBatchOutputNamedOutputIsDotOutputAndTheServingMembersCompile()
    {
        var manifest = new ModelManifest("tiny", "Ascend310", GearKind.Batch,
            [new ManifestTensor("input", "float32", [-1, 4])],
            [new ManifestTensor("output", "float32", [-1, 2])],
            [new ManifestGear([1], [new ManifestShape("input", [1, 4])], [new ManifestShape("output", [1, 2])], 64)],
            [],
            [new ManifestTensor("input", "float32", [-1, 4])],
            40);
        var user = """
            namespace App;
            public static class Use
            {
                public static float First(TinyModel.Batch1Input x, System.Threading.CancellationToken token)
                {
                    using var model = TinyModel.Load(new Atc.Runtime.SessionOptions { ThreadCount = 1 });
                    var shared = TinyModel.RunShared(x, token);
                    return model.Run(x).Output[0] + shared.Output[0] + x.Input[0];
                }
            }
            """;
        var (files, options) = RoslynHarness.Inputs([Manifests.Item(manifest, "Models/tiny.pb")]);
        RoslynHarness.Driver(new AscendModelGenerator(), files, options)
            .RunGeneratorsAndUpdateCompilation(RoslynHarness.Compilation(RuntimeStubs.SpanShapes, user), out var output, out var diagnostics);
        Assert.Empty(RoslynHarness.Errors(output));
        var type = output.GetTypeByMetadataName("App.TinyModel")!;
        Assert.Empty(type.GetTypeMembers("Batch1Output").Single().GetMembers("OutputTensor"));
        var outputDoc = type.GetTypeMembers("Batch1Output").Single().GetDocumentationCommentXml();
        Assert.Contains("output float32 [1,2]", outputDoc);
        Assert.Contains("input float32 [1,4]", type.GetTypeMembers("Batch1Input").Single().GetDocumentationCommentXml());
    }

    [Fact]
    public void ACallToAGearThatWasNotCompiledDoesNotCompile()
    {
        var user = """
            namespace App;
            public static class Use
            {
                public static void Call(TinyModel model) => model.Run(new TinyModel.Batch3Input(new float[12]));
            }
            """;
        var (files, options) = RoslynHarness.Inputs([Manifests.Item(Manifests.TinyBatch(), "Models/tiny.pb")]);
        RoslynHarness.Driver(new AscendModelGenerator(), files, options)
            .RunGeneratorsAndUpdateCompilation(RoslynHarness.Compilation(RuntimeStubs.SpanShapes, user), out var output, out _);
        var error = Assert.Single(RoslynHarness.Errors(output));
        Assert.Equal("CS0426", error.Id); // The type name 'Batch3Input' does not exist in the type 'TinyModel'
        Assert.Contains("Batch3Input", error.GetMessage());
    }

    [Fact]
    public void RunNearestPadsToTheNextGearAndTrimsTheOutputs()
    {
        var probe = """
            namespace App;
            public static class Probe
            {
                public static float[] Three()
                {
                    using var model = TinyModel.Load();
                    var output = model.RunNearest(3, new float[] { 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3 });
                    return output.Probs.ToArray();
                }
                public static int[] LastShape() => Atc.Runtime.InferenceSession.LastInputShape;
                public static float[] Exact()
                {
                    using var model = TinyModel.Load();
                    return model.Run(new TinyModel.Batch2Input(new float[] { 1, 2, 3, 4, 0, 0, 0, 1 })).Probs.ToArray();
                }
                public static string WrongLength()
                {
                    try { _ = new TinyModel.Batch2Input(new float[7]); return "no error"; }
                    catch (System.ArgumentException error) { return error.Message; }
                }
            }
            """;
        var (files, options) = RoslynHarness.Inputs([Manifests.Item(Manifests.TinyBatch(), "Models/tiny.pb")]);
        RoslynHarness.Driver(new AscendModelGenerator(), files, options)
            .RunGeneratorsAndUpdateCompilation(RoslynHarness.Compilation(RuntimeStubs.SpanShapes, probe), out var output, out _);
        var assembly = Load(output);
        var probeType = assembly.GetType("App.Probe")!;
        object? Call(string name) => probeType.GetMethod(name)!.Invoke(null, null);

        // The fake runtime writes row sum + j into each of the 2 outputs of a row.
        Assert.Equal(new float[] { 4, 5, 8, 9, 12, 13 }, (float[])Call("Three")!);
        Assert.Equal(new[] { 4, 4 }, (int[])Call("LastShape")!); // padded to gear 4
        Assert.Equal(new float[] { 10, 11, 1, 2 }, (float[])Call("Exact")!);
        Assert.Equal("TinyModel: 'placeholder' must hold 8 values (shape [2,4]), but has 7. (Parameter 'placeholder')", (string)Call("WrongLength")!);
    }

    [Fact]
    public void UnchangedManifestReusesCachedOutputs()
    {
        var (files, options) = RoslynHarness.Inputs([Manifests.Item(Manifests.TinyBatch(), "Models/tiny.pb")]);
        var compilation = RoslynHarness.Compilation(RuntimeStubs.SpanShapes);
        GeneratorDriver driver = RoslynHarness.Driver(new AscendModelGenerator(), files, options);
        driver = driver.RunGenerators(compilation);

        // An edit to C# code (not to the model) must not re-read or re-emit the model.
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Edited { }")));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        Assert.All(steps[AscendModelGenerator.ModelsStep].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs);
        Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void ChangedGearsRegenerate()
    {
        var (files, options) = RoslynHarness.Inputs([Manifests.Item(Manifests.TinyBatch(), "Models/tiny.pb")]);
        var compilation = RoslynHarness.Compilation(RuntimeStubs.SpanShapes);
        GeneratorDriver driver = RoslynHarness.Driver(new AscendModelGenerator(), files, options).RunGenerators(compilation);

        var (changedFiles, _) = RoslynHarness.Inputs([Manifests.Item(Manifests.TinyBatch(1, 16), "Models/tiny.pb")]);
        driver = driver.ReplaceAdditionalText(files[0], changedFiles[0]).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        Assert.Contains(result.TrackedSteps[AscendModelGenerator.ModelsStep].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Batch16Input", result.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void DimsGearsAreNamedByTheirValuesAndStaticModelsWithoutGearLinesStillRun()
    {
        var dims = new Atc.Options.Manifest.ModelManifest("seq", "Ascend310", Atc.Options.GearKind.Dims,
            [new("tokens", "int64", [1, -1]), new("mask", "int64", [1, -1])], [new("scores", "float32", [1, -1])],
            [
                new([4, 4], [new("tokens", [1, 4]), new("mask", [1, 4])], [new("scores", [1, 4])], 64),
                new([128, 128], [new("tokens", [1, 128]), new("mask", [1, 128])], [new("scores", [1, 128])], 2048),
            ], [], [], 0);
        var noGears = new Atc.Options.Manifest.ModelManifest("plain", "", Atc.Options.GearKind.Static,
            [new("x", "float32", [2, 2])], [new("y", "float32", [2])], [], [], [], 0);
        var (output, result) = Generate(RuntimeStubs.SpanShapes, Manifests.Item(dims, "Models/seq.onnx"), Manifests.Item(noGears, "Models/plain.onnx"));
        Assert.Empty(RoslynHarness.Errors(output));
        var seq = output.GetTypeByMetadataName("App.SeqModel")!;
        Assert.NotNull(seq.GetTypeMembers("Dims4x4Input").SingleOrDefault());
        var ctor = seq.GetTypeMembers("Dims128x128Input").Single().InstanceConstructors.First(c => c.Parameters[0].Type is IArrayTypeSymbol);
        Assert.Equal(["tokens", "mask"], ctor.Parameters.Select(p => p.Name));
        Assert.Equal("long", ((IArrayTypeSymbol)ctor.Parameters[0].Type).ElementType.ToDisplayString());
        var plain = output.GetTypeByMetadataName("App.PlainModel")!;
        Assert.Single(plain.GetMembers("Run"));
        Assert.NotNull(plain.GetTypeMembers("Input").SingleOrDefault());
    }

    [Fact]
    public void MetadataNamesTheClassAndNamespace()
    {
        var item = Manifests.Item(Manifests.TinyBatch(), "Models/tiny.pb", new Dictionary<string, string> { ["ClassName"] = "Classifier", ["Namespace"] = "My.Models" });
        var (output, _) = Generate(RuntimeStubs.SpanShapes, item);
        Assert.NotNull(output.GetTypeByMetadataName("My.Models.Classifier"));
    }

    [Fact]
    public void ProblemsAreReportedWithoutBlockingOtherModels()
    {
        var broken = new ModelItem("/proj/obj/atc/broken.atcmanifest", "atc-manifest 1\nmodel x\nkind sideways\n", "Models/broken.pb", new Dictionary<string, string>());
        var badName = Manifests.Item(Manifests.Range(), "Models/ranged.pb", new Dictionary<string, string> { ["ClassName"] = "class" });
        var notYet = new ModelItem("/proj/obj/atc/later.atcmanifest", null, "Models/later.pb", new Dictionary<string, string>());
        var (output, result) = Generate(RuntimeStubs.SpanShapes, broken, badName, notYet, Manifests.Item(Manifests.TinyBatch(), "Models/tiny.pb"));
        Assert.Equal(["ATC9001", "ATC9002"], result.Diagnostics.Select(d => d.Id).OrderBy(id => id));
        Assert.Contains("unknown kind 'sideways'", result.Diagnostics.Single(d => d.Id == "ATC9001").GetMessage());
        Assert.Equal("/proj/obj/atc/broken.atcmanifest", result.Diagnostics.Single(d => d.Id == "ATC9001").Location.GetLineSpan().Path);
        Assert.NotNull(output.GetTypeByMetadataName("App.TinyModel"));
    }

    [Fact]
    public void TwoModelsWithOneClassNameAreReported()
    {
        var a = Manifests.Item(Manifests.TinyBatch(), "A/tiny.pb");
        var b = Manifests.Item(Manifests.TinyBatch(), "B/tiny.pb") with { ManifestPath = "/proj/obj/atc/B_tiny.atcmanifest" };
        var (_, result) = Generate(RuntimeStubs.SpanShapes, a, b);
        Assert.Contains(result.Diagnostics, d => d.Id == "ATC9003" && d.GetMessage().Contains("'TinyModel'"));
    }

    private static Assembly Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        return new AssemblyLoadContext("generated", isCollectible: true).LoadFromStream(stream);
    }
}
