extern alias sourcegen;
using System.Runtime.Loader;
using Atc.Build.Tests.Infrastructure;
using Atc.Cli;
using Atc.Options.Manifest;
using Atc.Runtime;
using Atc.TestModels.Onnx;
using Microsoft.CodeAnalysis;
using AscendModelGenerator = sourcegen::Atc.SourceGen.AscendModelGenerator;

namespace Atc.Build.Tests;

/// <summary>An AIPP model through the build's pieces: atc with --insert_op_conf and --manifest, the generated wrapper
/// (its AIPP input takes bytes of the source image size), and a typed call equal to running the .om directly.</summary>
public class AippWrapperTests
{
    private const string ResourceName = "AscendModels/Models/tiny.om";

    [Fact]
    public void WrapperTakesTheUint8SourceImage()
    {
        var dir = Directory.CreateTempSubdirectory("atc-aipp-");
        try
        {
            var modelPath = Path.Combine(dir.FullName, "tiny.onnx");
            File.WriteAllBytes(modelPath, OnnxModels.TinyCnn());
            var config = Path.Combine(dir.FullName, "aipp.cfg");
            File.WriteAllText(config, "aipp_op { input_format: RGB888_U8 src_image_size_w: 34 src_image_size_h: 33 crop: true load_start_pos_w: 2 load_start_pos_h: 1 mean_chn_0: 100 var_reci_chn_0: 0.01 }");
            var manifestPath = Path.Combine(dir.FullName, "tiny.atcmanifest");
            var output = new StringWriter();
            int code = AtcCli.Run(["--model=" + modelPath, "--framework=5", "--output=" + Path.Combine(dir.FullName, "tiny"), "--soc_version=Ascend310",
                "--input_shape=input:-1,3,32,32", "--dynamic_batch_size=1,2", "--insert_op_conf=" + config, "--manifest=" + manifestPath], output, TextWriter.Null);
            Assert.True(code == 0, output.ToString());
            var manifestText = File.ReadAllText(manifestPath);
            var input = Assert.Single(ManifestFormat.Parse(manifestText).Inputs);
            Assert.Equal("uint8", input.DataType);
            var omBytes = File.ReadAllBytes(Path.Combine(dir.FullName, "tiny.om"));

            var image = Enumerable.Range(0, 2 * 33 * 34 * 3).Select(i => (byte)(i * 31 % 251)).ToArray();
            var probe = """
                namespace App;
                public static class Probe
                {
                    public static float[] Run(byte[] image)
                    {
                        using var model = TinyModel.Load();
                        System.ReadOnlySpan<byte> span = image;
                        return model.Run(new TinyModel.Batch2Input(span)).Output.ToArray();
                    }
                }
                """;
            var item = new ModelItem("/proj/obj/atc/Models_tiny.atcmanifest", manifestText, "Models/tiny.onnx",
                new Dictionary<string, string> { ["ResourceName"] = ResourceName });
            var (files, options) = RoslynHarness.Inputs([item]);
            var runtime = MetadataReference.CreateFromFile(typeof(InferenceModel).Assembly.Location);
            var compilation = RoslynHarness.Compilation(probe).AddReferences(runtime);
            RoslynHarness.Driver(new AscendModelGenerator(), files, options).RunGeneratorsAndUpdateCompilation(compilation, out var compiled, out _);
            Assert.Empty(RoslynHarness.Errors(compiled));

            using var stream = new MemoryStream();
            var emit = compiled.Emit(stream, manifestResources: [new ResourceDescription(ResourceName, () => new MemoryStream(omBytes), isPublic: true)]);
            Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
            stream.Position = 0;
            var context = new AssemblyLoadContext("aipp-wrapper", isCollectible: true);
            context.Resolving += (_, name) => name.Name == "Atc.Runtime" ? typeof(InferenceModel).Assembly : null;
            var typed = (float[])context.LoadFromStream(stream).GetType("App.Probe")!.GetMethod("Run")!.Invoke(null, [image])!;

            var direct = InferenceModel.Load(omBytes).Run(TensorData.FromArray(DataType.UInt8, [2, 33, 34, 3], image))[0].ToFloatArray();
            Assert.Equal(direct, typed);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
