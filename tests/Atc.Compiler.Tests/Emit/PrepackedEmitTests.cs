using System.Text.Json;
using Atc.Compiler.Driver;
using Atc.Compiler.Emit;
using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Compiler.Shapes;
using Atc.Compiler.Tooling;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Format;
using Atc.TestModels.Onnx;
using Atc.Tests.Onnx;

namespace Atc.Tests.Emit;

/// <summary>The emitter stores conv/gemm weights prepacked, deterministically, and --mode=1 lists them.</summary>
public class PrepackedEmitTests
{
    private static byte[] EmitTinyCnn(bool prepack = true)
    {
        var graph = OnnxTestSupport.Import(OnnxModels.TinyCnn(), "tiny_cnn.onnx");
        PassPipeline.Run(graph);
        var gears = new GearSet(GearKind.Batch, [.. new[] { 1, 2 }.Select(b => new Gear(
            graph.Inputs.ToDictionary(v => v.Name, v => (int[])[b, .. v.Shape!.Skip(1).Select(d => (int)d)], StringComparer.Ordinal), [b]))], []);
        return OmEmitter.Emit(graph, gears, new EmitOptions("tiny_cnn", "Ascend310", "onnx") { PrepackWeights = prepack });
    }

    [Fact]
    public void SameModelGivesSameBytesWithPrepackedWeights()
    {
        var first = EmitTinyCnn();
        Assert.Equal(first, EmitTinyCnn());
        Assert.NotEqual(first, EmitTinyCnn(prepack: false));
        Assert.NotEmpty(OmReader.Read(first).Prepacked);
        Assert.Empty(OmReader.Read(EmitTinyCnn(prepack: false)).Prepacked);
    }

    [Fact]
    public void CompiledModelDescribesItsBytesWithoutReadingThemBack()
    {
        var graph = OnnxTestSupport.Import(OnnxModels.TinyCnn(), "tiny_cnn.onnx");
        PassPipeline.Run(graph);
        var gears = new GearSet(GearKind.Batch, [.. new[] { 1, 2 }.Select(b => new Gear(
            graph.Inputs.ToDictionary(v => v.Name, v => (int[])[b, .. v.Shape!.Skip(1).Select(d => (int)d)], StringComparer.Ordinal), [b]))], []);
        var compiled = OmEmitter.Compile(graph, gears, new EmitOptions("tiny_cnn", "Ascend310", "onnx"));

        Assert.Equal(EmitTinyCnn(), compiled.OmBytes);
        var read = OmReader.Read(compiled.OmBytes);
        Assert.Equal(read.Plans.Select(p => p.ArenaSize), compiled.ArenaBytes);
        Assert.Equal(read.Prepacked.Length, compiled.PrepackedBlobCount);
        Assert.Equal(read.Graph.Constants.Sum(c => (long)(c?.Bytes.Length ?? 0)), compiled.WeightBytes);
        Assert.Equal(read.Signature.DescribeAccepted(), compiled.Signature.DescribeAccepted());
        // --mode=1 from the object (no read-back) prints what dumping the written file prints.
        Assert.Equal(OmJsonConverter.ToJson(compiled.OmBytes, "tiny_cnn.om"), OmJsonConverter.ToJson(compiled));
    }

    [Fact]
    public void JsonDumpListsPrepackedBlobsPerNode()
    {
        var om = EmitTinyCnn();
        using var json = JsonDocument.Parse(OmJsonConverter.ToJson(om, "tiny_cnn.om"));
        var prepacked = json.RootElement.GetProperty("prepacked");
        var blobs = prepacked.GetProperty("blobs").EnumerateArray().ToList();
        Assert.Equal(prepacked.GetProperty("count").GetInt32(), blobs.Count);
        Assert.NotEmpty(blobs);
        var nodes = json.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()).ToHashSet();
        Assert.All(blobs, b => Assert.Contains(b.GetProperty("node").GetString(), nodes));
        Assert.All(blobs, b => Assert.Contains("/v1;", b.GetProperty("key").GetString()));
        Assert.True(json.RootElement.GetProperty("weights").GetProperty("prepacked_only_count").GetInt32() > 0);
    }

    [Fact]
    public void PrepackedModelRunsLikeTheRawOne()
    {
        var packed = InferenceModel.Load(EmitTinyCnn());
        var raw = InferenceModel.Load(EmitTinyCnn(prepack: false));
        var dims = packed.Signature.Gears[1].InputShapes[0];
        var random = new Random(3);
        var input = TensorData.Float(dims, [.. Enumerable.Range(0, dims.Aggregate(1, (a, d) => a * d)).Select(_ => (float)random.NextDouble())]);
        using var a = packed.CreateSession();
        using var b = raw.CreateSession();
        Assert.Equal(b.Run(input)[0].Bytes.ToArray(), a.Run(input)[0].Bytes.ToArray());
    }
}
