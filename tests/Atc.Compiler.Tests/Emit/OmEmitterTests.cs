using System.Text.Json;
using Atc.Compiler.Emit;
using Atc.Compiler.Ir;
using Atc.Compiler.Shapes;
using Atc.Compiler.Tooling;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Format;

namespace Atc.Tests.Emit;

public class OmEmitterTests
{
    private static readonly EmitOptions Options = new("tiny", "Ascend310", "onnx");

    /// <summary>x:[-1,4] (NCHW-less ND input) → y = reshape(x + c, [-1]); z = identity(x); a dead node on the side.</summary>
    private static Graph TinyGraph(long limit = long.MaxValue)
    {
        var g = new Graph { Name = "tiny", SourceFramework = "onnx" };
        var x = new Value("x", DataType.Float32, [-1, 4]);
        g.Inputs.Add(x);
        var c = Value.FromConstant("c", TensorData.Float([4], 1, 2, 3, 4));
        var flat = Value.FromConstant("flat", TensorData.Int64([1], -1));
        var limited = g.AddNode(new Node("limit", "Limit", [x], new OpAttributes().Set("max", limit))).AddOutput("limited", DataType.Undefined);
        var sum = g.AddNode(new Node("add", "Add", [limited, c], sourceOpType: "AddV2")).AddOutput("sum", DataType.Undefined);
        var y = g.AddNode(new Node("reshape", "Reshape", [sum, flat])).AddOutput("y", DataType.Undefined);
        var z = g.AddNode(new Node("copy", "Identity", [x])).AddOutput("z", DataType.Float32);
        g.AddNode(new Node("dead", "Identity", [z])).AddOutput("unused", DataType.Float32);
        g.Outputs.Add(y);
        g.Outputs.Add(z);
        return g;
    }

    private static GearSet BatchGears(params int[] batches) => new(GearKind.Batch,
        [.. batches.Select(b => new Gear(new Dictionary<string, int[]> { ["x"] = [b, 4] }, [b]))], []);

    private static byte[] Emit(Graph graph, GearSet gears) => OmEmitter.Emit(graph, gears, Options, EmitTestOperators.Resolver);

    [Fact]
    public void EmittedModelRunsEveryGear()
    {
        var model = InferenceModel.Load(Emit(TinyGraph(), BatchGears(1, 2)), EmitTestOperators.Resolver);
        Assert.Equal("tiny", model.Name);
        Assert.Equal("Ascend310", model.SocVersion);
        Assert.Equal("cpu-portable", model.Target);
        Assert.StartsWith("atc.net ", model.ProducerVersion);
        Assert.Equal(ModelGearKind.Batch, model.Signature.GearKind);
        Assert.Equal([-1L, 4], model.Signature.Inputs[0].Dims);
        Assert.Equal(DataType.Float32, model.Signature.Outputs[0].Type);   // inferred: the IR left it undefined
        Assert.Equal([-1L], model.Signature.Outputs[0].Dims);
        Assert.Equal([[4], [8]], model.Signature.Gears.Select(g => g.OutputShapes[0]));

        using var session = model.CreateSession();
        var outputs = session.Run(TensorData.Float([2, 4], 0, 0, 0, 0, 10, 10, 10, 10));
        Assert.Equal(new float[] { 1, 2, 3, 4, 11, 12, 13, 14 }, outputs[0].ToFloatArray());
        Assert.Equal([2, 4], outputs[1].Dims);
        Assert.Equal(1, session.LastGearIndex);
    }

    [Fact]
    public void SameGraphGivesSameBytes()
    {
        var first = Emit(TinyGraph(), BatchGears(1, 2, 4));
        Assert.Equal(first, Emit(TinyGraph(), BatchGears(1, 2, 4)));
        Assert.NotEqual(first, Emit(TinyGraph(), BatchGears(1, 2)));
    }

    [Fact]
    public void NodesThatFeedNoOutputAreDropped()
    {
        var json = JsonDocument.Parse(OmJsonConverter.ToJson(Emit(TinyGraph(), BatchGears(1, 2)), "tiny.om"));
        var names = json.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()).ToList();
        Assert.Equal(["limit", "add", "reshape", "copy"], names);
    }

    [Fact]
    public void InputFormatAndRangesAreRecorded()
    {
        var graph = TinyGraph();
        graph.InputFormats["x"] = TensorFormat.NCHW;
        var gears = new GearSet(GearKind.Range,
            [new Gear(new Dictionary<string, int[]> { ["x"] = [1, 4] }, []), new Gear(new Dictionary<string, int[]> { ["x"] = [10, 4] }, [])],
            [new InputRange("x", [1, 4], [10, 4])]);
        var model = InferenceModel.Load(Emit(graph, gears), EmitTestOperators.Resolver);
        Assert.Equal("NCHW", model.Signature.Inputs[0].Format);
        Assert.Equal(ModelGearKind.Range, model.Signature.GearKind);
        Assert.Equal("x:[1~10,4]", model.Signature.Ranges[0].ToString());
        using var session = model.CreateSession();
        var y = session.Run(TensorData.Float([3, 4], new float[12]))[0];
        Assert.Equal([12], y.Dims);   // planned on first use
    }

    [Fact]
    public void GearThatBreaksANodeIsAtc1203NamingNodeOpAndGear()
    {
        var e = Assert.Throws<AtcException>(() => Emit(TinyGraph(limit: 2), BatchGears(1, 2, 4)));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("ATC1203", d.Code);
        Assert.Contains("Node [limit] (op [Limit])", d.Message);
        Assert.Contains("[Batch 4: x:[4,4]]", d.Message);
        Assert.Contains("dimension 0 is 4, above the limit", d.Message);
        Assert.NotNull(d.Solution);
    }

    [Fact]
    public void MalformedGraphsAreAtc1202()
    {
        var dangling = TinyGraph();
        dangling.Nodes[1].Inputs[1] = new Value("ghost", DataType.Float32, [4]);
        Assert.Contains("reads 'ghost', which no earlier node computes", Assert.Throws<AtcException>(() => Emit(dangling, BatchGears(1, 2))).Message);

        var noShape = new GearSet(GearKind.Static, [new Gear(new Dictionary<string, int[]>(), [])], []);
        var e = Assert.Throws<AtcException>(() => Emit(TinyGraph(), noShape));
        Assert.Equal("ATC1202", e.Diagnostics[0].Code);
        Assert.Contains("gives no shape for input 'x'", e.Message);

        var twice = TinyGraph();
        twice.Outputs.Add(twice.Outputs[0]);
        Assert.Contains("output 'y' is listed 2 times", Assert.Throws<AtcException>(() => Emit(twice, BatchGears(1, 2))).Message);

        var unknown = TinyGraph();
        unknown.Nodes[0].OpType = "Frobnicate";
        Assert.Equal("ATC1203", Assert.Throws<AtcException>(() => Emit(unknown, BatchGears(1, 2))).Diagnostics[0].Code);
    }

    [Fact]
    public void JsonDumpDescribesHeaderSignatureNodesWeightsAndPlans()
    {
        var om = Emit(TinyGraph(), BatchGears(1, 2));
        var root = JsonDocument.Parse(OmJsonConverter.ToJson(om, "tiny.om")).RootElement;
        var header = root.GetProperty("header");
        Assert.Equal("0x444F4D49", header.GetProperty("magic").GetString());
        Assert.Equal(256, header.GetProperty("headsize").GetInt32());
        Assert.Equal("0x10000000", header.GetProperty("version").GetString());
        Assert.Equal(om.Length - 256, header.GetProperty("length").GetInt64());
        Assert.Equal("tiny", header.GetProperty("name").GetString());
        Assert.Equal(["MODEL_DEF", "WEIGHTS_DATA", "TASK_INFO"], header.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("type").GetString()));

        var signature = root.GetProperty("signature");
        Assert.Equal("Batch", signature.GetProperty("gear_kind").GetString());
        Assert.Equal(2, signature.GetProperty("gears").GetArrayLength());
        Assert.Equal("[-1,4]", signature.GetProperty("inputs")[0].GetProperty("dims").GetRawText().Replace(" ", "").Replace("\n", "").Replace("\r", ""));

        var add = root.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == "add");
        Assert.Equal("AddV2", add.GetProperty("source_op_type").GetString());
        var shapes = add.GetProperty("outputs")[0].GetProperty("shape_per_gear");
        Assert.Equal([[1, 4], [2, 4]], shapes.EnumerateArray().Select(s => s.EnumerateArray().Select(d => d.GetInt32()).ToArray()));
        Assert.Equal(2, root.GetProperty("weights").GetProperty("count").GetInt32());
        Assert.Equal(24, root.GetProperty("weights").GetProperty("bytes").GetInt32());
        Assert.All(root.GetProperty("plans").EnumerateArray(), p => Assert.True(p.GetProperty("arena_bytes").GetInt64() > 0));
        Assert.Equal(long.MaxValue, root.GetProperty("nodes")[0].GetProperty("attributes").GetProperty("max").GetInt64());
    }

    [Fact]
    public void DumpOfACorruptFileIsAtc2000WithThePath()
    {
        var om = Emit(TinyGraph(), BatchGears(1, 2));
        om[^1] ^= 1;
        var e = Assert.Throws<AtcException>(() => OmJsonConverter.ToJson(om, "broken.om"));
        Assert.Equal("ATC2000", e.Diagnostics[0].Code);
        Assert.Contains("[broken.om]", e.Message);
        Assert.Contains("checksum", e.Message);
        Assert.Equal("ATC2000", Assert.Throws<AtcException>(() => OmJsonConverter.ToJson([1, 2, 3], "tiny.om")).Diagnostics[0].Code);
    }
}
