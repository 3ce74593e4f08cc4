extern alias sourcegen;
using System.Reflection;
using System.Runtime.Loader;
using Atc.Build.Tests.Infrastructure;
using Atc.Cli.Manifest;
using Atc.Compiler.Emit;
using Atc.Compiler.Frontends;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Shapes;
using Atc.Options;
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

    private static byte[] CompileTiny(params int[] batches)
    {
        var graph = new OnnxImporter().Import(TinyOnnx.Model(), "tiny.onnx");
        var gears = new GearSet(GearKind.Batch,
            batches.Select(b => new Gear(new Dictionary<string, int[]> { ["x"] = [b, 4] }, [b])).ToList(), []);
        return OmEmitter.Emit(graph, gears, new EmitOptions("tiny", "Ascend310", "onnx"));
    }

    [Fact]
    public void ManifestDescribesTheCompiledModel()
    {
        var om = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(om, CompileTiny(1, 2, 4, 8));
            var manifest = ManifestReader.Read(om);
            Assert.Equal(GearKind.Batch, manifest.Kind);
            Assert.Equal("Ascend310", manifest.SocVersion);
            Assert.Equal("x", Assert.Single(manifest.Inputs).Name);
            Assert.Equal("float32", manifest.Inputs[0].DataType);
            Assert.Equal("y", Assert.Single(manifest.Outputs).Name);
            Assert.Equal([1, 2, 4, 8], manifest.Gears.Select(g => g.Selector.Single()));
            Assert.Equal([4, 4], manifest.Gears[2].Outputs.Single().Shape);
            Assert.Equal((4 + 4) * 4, manifest.WeightBytes);
            Assert.Equal(manifest, ManifestFormat.Parse(manifest.ToText()));
        }
        finally
        {
            File.Delete(om);
        }
    }

    [Fact]
    public void GeneratedWrapperRunsTheRealModel()
    {
        var omBytes = CompileTiny(1, 2, 4, 8);
        var om = Path.GetTempFileName();
        ModelManifest manifest;
        try
        {
            File.WriteAllBytes(om, omBytes);
            manifest = ManifestReader.Read(om);
        }
        finally
        {
            File.Delete(om);
        }

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
            string[] seen = [];
            var output = new StringWriter();
            var modelPath = Path.Combine(dir.FullName, "tiny.onnx");
            File.WriteAllBytes(modelPath, TinyOnnx.Model());
            var exit = ManifestWriter.RunWithManifest(
                ["--model=" + modelPath, "--framework=5", "--output=" + Path.Combine(dir.FullName, "tiny"), "--manifest=" + manifestPath],
                args => { seen = args; File.WriteAllBytes(Path.Combine(dir.FullName, "tiny.om"), CompileTiny(1, 2)); return 0; },
                output);
            Assert.Equal(0, exit);
            Assert.DoesNotContain(seen, a => a.StartsWith("--manifest", StringComparison.Ordinal));
            Assert.Equal(3, seen.Length);
            var written = ManifestFormat.Parse(File.ReadAllText(manifestPath));
            Assert.Equal([1, 2], written.Gears.Select(g => g.Selector.Single()));
            var declared = Assert.Single(written.DeclaredInputs); // read from the ONNX file: N is symbolic
            Assert.Equal(("x", "float32"), (declared.Name, declared.DataType));
            Assert.Equal([-1, 4], declared.Shape);

            // A failed conversion writes no manifest; an unreadable .om is a coded failure, not a stack trace.
            File.Delete(manifestPath);
            Assert.Equal(1, ManifestWriter.RunWithManifest(["--output=" + Path.Combine(dir.FullName, "tiny"), "--manifest=" + manifestPath], _ => 1, output));
            Assert.False(File.Exists(manifestPath));
            File.WriteAllBytes(Path.Combine(dir.FullName, "bad.om"), [1, 2, 3]);
            Assert.Equal(1, ManifestWriter.RunWithManifest(["--output=" + Path.Combine(dir.FullName, "bad.om"), "--manifest=" + manifestPath], _ => 0, output));
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
