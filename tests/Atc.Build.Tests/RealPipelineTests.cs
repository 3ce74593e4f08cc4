extern alias sourcegen;
using System.Reflection;
using System.Runtime.Loader;
using Atc.Build.Tests.Infrastructure;
using Atc.Cli;
using Atc.Cli.Manifest;
using Atc.Compiler.Driver;
using Atc.Compiler.Emit;
using Atc.Compiler.Frontends;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Shapes;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Manifest;
using Microsoft.CodeAnalysis;
using AscendModelGenerator = sourcegen::Atc.SourceGen.AscendModelGenerator;

namespace Atc.Build.Tests;

/// <summary>
/// The build's pieces on a real compiled model, in process: ONNX → compiler → .om → manifest (read back through the
/// runtime) → generated wrapper compiled against the real Atc.Runtime with the .om as a manifest resource → typed
/// calls whose numbers are checked.
/// </summary>
public class RealPipelineTests
{
    private const string ResourceName = "AscendModels/Models/tiny.om";

    private static CompiledModel CompileTiny(params int[] batches)
    {
        var graph = new OnnxImporter().Import(TinyOnnx.Model(), "tiny.onnx");
        var gears = new GearSet(GearKind.Batch,
            batches.Select(b => new Gear(new Dictionary<string, int[]> { ["x"] = [b, 4] }, [b])).ToList(), []);
        return OmEmitter.Compile(graph, gears, new EmitOptions("tiny", "Ascend310", "onnx"));
    }

    [Fact]
    public void ManifestDescribesTheCompiledModel()
    {
        var compiled = CompileTiny(1, 2, 4, 8);
        var manifest = ManifestBuilder.From(compiled, null);
        Assert.Equal(GearKind.Batch, manifest.Kind);
        Assert.Equal("Ascend310", manifest.SocVersion);
        Assert.Equal("x", Assert.Single(manifest.Inputs).Name);
        Assert.Equal("float32", manifest.Inputs[0].DataType);
        Assert.Equal("y", Assert.Single(manifest.Outputs).Name);
        Assert.Equal([1, 2, 4, 8], manifest.Gears.Select(g => g.Selector.Single()));
        Assert.Equal([4, 4], manifest.Gears[2].Outputs.Single().Shape);
        Assert.Equal((4 + 4) * 4, manifest.WeightBytes);
        Assert.Equal(manifest, ManifestFormat.Parse(manifest.ToText()));

        // The object describes what the runtime loads from its bytes: same signature, arena per gear from the plans.
        var loaded = Atc.Runtime.InferenceModel.Load(compiled.OmBytes);
        Assert.Equal(loaded.Signature.Gears.Select(g => g.ToString()), compiled.Signature.Gears.Select(g => g.ToString()));
        Assert.All(manifest.Gears, g => Assert.True(g.ArenaBytes > 0));
    }

    [Fact]
    public void GeneratedWrapperRunsTheRealModel()
    {
        var compiled = CompileTiny(1, 2, 4, 8);
        var omBytes = compiled.OmBytes;
        var manifest = ManifestBuilder.From(compiled, null);

        var probe = """
            namespace App;
            public static class Probe
            {
                public static float[] Exact()
                {
                    using var model = TinyModel.Load();
                    return model.Run(new TinyModel.Batch2Input(new float[] { 1, 2, 3, 4, -1, 0.5f, 2, 0 })).Y.ToArray();
                }
                public static float[] Nearest()
                {
                    using var model = TinyModel.Load();
                    return model.RunNearest(3, new float[] { 1, 2, 3, 4, -1, 0.5f, 2, 0, 0, 0, 0, 1 }).Y.ToArray();
                }
            }
            """;
        var item = new ModelItem("/proj/obj/atc/Models_tiny.atcmanifest", manifest.ToText(), "Models/tiny.onnx",
            new Dictionary<string, string> { ["ResourceName"] = ResourceName });
        var (files, options) = RoslynHarness.Inputs([item]);
        var runtime = MetadataReference.CreateFromFile(typeof(Atc.Runtime.InferenceModel).Assembly.Location);
        var compilation = RoslynHarness.Compilation(probe).AddReferences(runtime);
        RoslynHarness.Driver(new AscendModelGenerator(), files, options).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        Assert.Empty(RoslynHarness.Errors(output));

        using var stream = new MemoryStream();
        var emit = output.Emit(stream, manifestResources: [new ResourceDescription(ResourceName, () => new MemoryStream(omBytes), isPublic: true)]);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext("real-pipeline", isCollectible: true);
        context.Resolving += (_, name) => name.Name == "Atc.Runtime" ? typeof(Atc.Runtime.InferenceModel).Assembly : null;
        var assembly = context.LoadFromStream(stream);
        var probeType = assembly.GetType("App.Probe")!;
        float[] Call(string name) => (float[])probeType.GetMethod(name)!.Invoke(null, null)!;

        AssertClose(TinyOnnx.Expected([1, 2, 3, 4, -1, 0.5f, 2, 0]), Call("Exact"));
        AssertClose(TinyOnnx.Expected([1, 2, 3, 4, -1, 0.5f, 2, 0, 0, 0, 0, 1]), Call("Nearest"));
    }

    [Fact]
    public void ManifestFlagIsTakenOutAndWrittenAfterASuccessfulConversion()
    {
        var dir = Directory.CreateTempSubdirectory("atc-manifest-");
        try
        {
            var manifestPath = Path.Combine(dir.FullName, "tiny.atcmanifest");
            var output = new StringWriter();
            var modelPath = Path.Combine(dir.FullName, "tiny.onnx");
            File.WriteAllBytes(modelPath, TinyOnnx.Model());
            string[] Args(string batches = "1,2") => ["--model=" + modelPath, "--framework=5", "--output=" + Path.Combine(dir.FullName, "tiny"),
                "--soc_version=Ascend310", "--input_shape=x:-1,4", "--dynamic_batch_size=" + batches, "--manifest=" + manifestPath];
            Assert.Equal(0, AtcCli.Run(Args(), output, TextWriter.Null));
            Assert.True(File.Exists(Path.Combine(dir.FullName, "tiny.om")));
            var written = ManifestFormat.Parse(File.ReadAllText(manifestPath));
            Assert.Equal([1, 2], written.Gears.Select(g => g.Selector.Single()));
            var declared = Assert.Single(written.DeclaredInputs); // from the import of this run: N is symbolic
            Assert.Equal(("x", "float32"), (declared.Name, declared.DataType));
            Assert.Equal([-1, 4], declared.Shape);

            // A failed conversion writes no manifest; --manifest without a conversion is a coded failure, not a stack trace.
            File.Delete(manifestPath);
            Assert.Equal(1, AtcCli.Run(Args("0"), output, TextWriter.Null));
            Assert.False(File.Exists(manifestPath));
            Assert.Equal(1, AtcCli.Run([.. Args(), "--mode=3"], output, TextWriter.Null));
            Assert.Contains("E13004: Failed to write file [" + manifestPath + "]", output.ToString()); // a catalog code the task shows
            Assert.False(File.Exists(manifestPath));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.InRange(actual[i], expected[i] - 1e-4f, expected[i] + 1e-4f);
    }
}
