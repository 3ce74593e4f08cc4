using System.Text.Json;
using Atc.Compiler.Frontends;
using Atc.Compiler.Frontends.TensorFlow;
using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using static Atc.Compiler.Tests.TensorFlow.TfTestSupport;

namespace Atc.Compiler.Tests.TensorFlow;

/// <summary>Every frozen GraphDef under ../shared/conformance/tf imports with the inputs and outputs its meta.json names.</summary>
public class TensorFlowConformanceImportTests
{
    public static TheoryData<string> Cases => ["tiny_cnn", "mobilenetv2_like", "tfonnx_fc_layers", "tfonnx_ae0", "tfonnx_regression"];

    private static (Graph Graph, JsonElement Meta)? Load(string name)
    {
        var root = ConformanceDirectory();
        if (root is null || !Directory.Exists(Path.Combine(root, name)))
        {
            Console.WriteLine($"../shared/conformance/tf/{name} is absent; skipping.");
            return null;
        }
        var path = Path.Combine(root, name, "model.pb");
        var graph = new TensorFlowImporter().Import(File.ReadAllBytes(path), path);
        var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, name, "meta.json"))).RootElement;
        return (graph, meta);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Imports_with_declared_inputs_and_outputs(string name)
    {
        if (Load(name) is not var (g, meta)) return;

        AssertWellFormed(g);
        Assert.Equal("tensorflow", g.SourceFramework);
        Assert.Equal("model", g.Name);

        var inputs = meta.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal(inputs.Select(i => i.GetProperty("name").GetString()), g.Inputs.Select(v => v.Name));
        foreach (var (expected, actual) in inputs.Zip(g.Inputs))
        {
            Assert.Equal(DataType.Float32, actual.Type);
            var declared = expected.GetProperty("declared_shape");
            if (declared.ValueKind == JsonValueKind.Null) Assert.Null(actual.Shape);
            else Assert.Equal(declared.EnumerateArray().Select(d => d.GetInt64()), actual.Shape!);
        }

        var outputs = meta.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList();
        Assert.Equal(outputs, g.Outputs.Select(v => v.Name));
        Assert.All(g.Outputs, o => Assert.NotNull(o.Producer));
    }

    [Fact]
    public void Tiny_cnn_lowers_every_layer_kind()
    {
        if (Load("tiny_cnn") is not var (g, _)) return;

        foreach (var op in new[] { OpTypes.Conv, OpTypes.Add, OpTypes.BatchNormalization, OpTypes.Relu, OpTypes.Clip,
                     OpTypes.MaxPool, OpTypes.AveragePool, OpTypes.ReduceMean, OpTypes.Reshape, OpTypes.Gemm, OpTypes.Softmax,
                     OpTypes.Pad, OpTypes.Concat, OpTypes.Squeeze })
            Assert.Contains(g.Nodes, n => n.OpType == op);

        Assert.Equal(TensorFormat.NHWC, g.InputFormats["Placeholder"]);
        Assert.Equal(6, Count(g, OpTypes.Conv)); // 5 Conv2D + 1 depthwise
        Assert.All(g.Nodes.Where(n => n.OpType is OpTypes.Conv or OpTypes.MaxPool or OpTypes.AveragePool or OpTypes.BatchNormalization),
            n => Assert.Equal("NHWC", n.Attributes.GetString("layout", "")));

        var conv1 = NodeNamed(g, "conv1/Conv2D");
        Assert.Equal([16, 3, 5, 5], conv1.Inputs[1]!.Constant!.Dims); // HWIO [5,5,3,16] → OIHW
        Assert.Equal("SAME_UPPER", conv1.Attributes.GetString("auto_pad", ""));
        Assert.Equal([2L, 2L], conv1.Attributes.GetInts("strides", []));

        var depthwise = Assert.Single(g.Nodes, n => n.SourceOpType == "DepthwiseConv2dNative");
        long channels = depthwise.Attributes.GetInt("group", 0);
        Assert.True(channels > 1);
        Assert.Equal(1, depthwise.Inputs[1]!.Constant!.Dims[1]);

        Assert.All(g.Nodes.Where(n => n.OpType == OpTypes.AveragePool), n => Assert.Equal(0, n.Attributes.GetInt("count_include_pad", -1)));
        Assert.All(g.Nodes.Where(n => n.OpType == OpTypes.Reshape), n => Assert.Equal(1, n.Attributes.GetInt("allowzero", 0)));
        Assert.All(g.Nodes.Where(n => n.OpType == OpTypes.Pad), n => Assert.Equal(DataType.Int64, n.Inputs[1]!.Type));
        var relu6 = Assert.Single(g.Nodes, n => n.Name == "conv2/Relu6");
        Assert.Equal((0f, 6f), (relu6.Attributes.GetFloat("min", -1), relu6.Attributes.GetFloat("max", -1)));
    }

    [Fact]
    public void Mobilenetv2_like_has_the_full_topology()
    {
        if (Load("mobilenetv2_like") is not var (g, _)) return;

        Assert.Equal(36 + 17, Count(g, OpTypes.Conv));
        Assert.Equal(17, g.Nodes.Count(n => n.OpType == OpTypes.Conv && n.Attributes.GetInt("group", 1) > 1));
        Assert.Equal(52, Count(g, OpTypes.BatchNormalization));
        Assert.Equal(35, Count(g, OpTypes.Clip));
        Assert.Equal(10, Count(g, OpTypes.Add) - 1); // 10 residual AddV2 + the logits BiasAdd
        Assert.Equal(TensorFormat.NHWC, g.InputFormats["input"]);
    }

    [Fact]
    public void Tf1_variable_reads_alias_their_constants()
    {
        // tfonnx_fc_layers reads weights through "W/read" Identity nodes: Gemm must see constant operands.
        if (Load("tfonnx_fc_layers") is not var (g, _)) return;

        var gemms = g.Nodes.Where(n => n.OpType == OpTypes.Gemm).ToList();
        Assert.Equal(3, gemms.Count);
        Assert.All(gemms, n => Assert.True(n.Inputs[1]!.IsConstant));
        Assert.Equal(TensorFormat.ND, g.InputFormats["X"]);
    }
}
