using System.Text;
using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Runtime;
using Atc.TestModels.Onnx;
using Google.Protobuf;

namespace Atc.Tests.Onnx;

/// <summary>Malformed files and inconsistent graphs become coded errors naming the problem.</summary>
public class OnnxImportErrorTests
{
    private static OnnxModelBuilder ReluModel()
    {
        var b = new OnnxModelBuilder();
        b.Input("x", DataType.Float32, 1, 4);
        b.AddNode("Relu", ["x"], ["y"], "relu");
        b.Output("y", DataType.Float32, 1, 4);
        return b;
    }

    [Fact]
    public void TruncatedModelIsParseFailure()
    {
        byte[] model = OnnxModels.TinyCnn();
        var d = OnnxTestSupport.ImportFails(model[..(model.Length / 2)], "ATC1201", "cut.onnx");
        Assert.Contains("[cut.onnx]", d.Message);
        Assert.Contains("ONNX", d.Message);
        Assert.Contains("truncated", d.Message);
    }

    [Theory]
    [InlineData("this is plainly not an ONNX model\n")]
    [InlineData("\u0001\u0002\u0003")]
    public void GarbageIsParseFailure(string text)
        => OnnxTestSupport.ImportFails(Encoding.UTF8.GetBytes(text), "ATC1201");

    [Fact]
    public void TensorFlowGraphDefIsParseFailureThatPointsAtFramework()
    {
        // GraphDef { node { name: "a" op: "Relu" } }: valid protobuf, but not a ModelProto with a graph.
        byte[] graphDef = [0x0A, 0x09, 0x0A, 0x01, (byte)'a', 0x12, 0x04, (byte)'R', (byte)'e', (byte)'l', (byte)'u'];
        var d = OnnxTestSupport.ImportFails(graphDef, "ATC1201");
        Assert.Contains("no ONNX graph", d.Message);
        Assert.Contains("--framework", d.Solution);
    }

    [Fact]
    public void EmptyFileIsParseFailure()
        => Assert.Contains("empty", OnnxTestSupport.ImportFails([], "ATC1201").Message);

    [Fact]
    public void ModelWithoutGraphIsParseFailure()
    {
        var model = new ModelProto { IrVersion = 7 };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        Assert.Contains("no ONNX graph", OnnxTestSupport.ImportFails(model.ToByteArray(), "ATC1201").Message);
    }

    [Fact]
    public void UndefinedInputIsInvalidModel()
    {
        var b = ReluModel();
        b.AddNode("Add", ["y", "missing"], ["z"], "add");
        var d = OnnxTestSupport.ImportFails(b, "ATC1202");
        Assert.Contains("'missing'", d.Message);
        Assert.Contains("'add'", d.Message);
    }

    [Fact]
    public void TensorWrittenTwiceIsInvalidModel()
    {
        var b = ReluModel();
        b.AddNode("Sigmoid", ["x"], ["y"], "sigmoid");
        Assert.Contains("'y'", OnnxTestSupport.ImportFails(b, "ATC1202").Message);
    }

    [Fact]
    public void NodeOverwritingAnInputIsInvalidModel()
    {
        var b = ReluModel();
        b.AddNode("Sigmoid", ["y"], ["x"], "sigmoid");
        Assert.Contains("graph input", OnnxTestSupport.ImportFails(b, "ATC1202").Message);
    }

    [Fact]
    public void CycleIsInvalidModel()
    {
        var b = new OnnxModelBuilder();
        b.Input("x", DataType.Float32, 1, 4);
        b.AddNode("Add", ["x", "c"], ["a"], "first");
        b.AddNode("Relu", ["a"], ["c"], "second");
        b.Output("c", DataType.Float32, 1, 4);
        var d = OnnxTestSupport.ImportFails(b, "ATC1202");
        Assert.Contains("cycle", d.Message);
        Assert.Contains("'first'", d.Message);
    }

    [Fact]
    public void UndefinedGraphOutputIsInvalidModel()
    {
        var b = ReluModel();
        b.Output("nowhere", DataType.Float32);
        Assert.Contains("'nowhere'", OnnxTestSupport.ImportFails(b, "ATC1202").Message);
    }

    [Fact]
    public void AllUnsupportedOpsAreReportedAtOnceWithFirstNode()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.Input("x", DataType.Float32, 2, 4);
        b.AddNode("StringNormalizer", ["x"], ["v"], "normalizer_a");
        b.AddNode("StringNormalizer", ["x"], ["v2"], "normalizer_b");
        b.AddNode("Relu", ["v"], ["r"], "relu");
        b.AddNode("Col2Im", ["r"], ["det"], "");
        b.AddNode("FusedThing", ["r"], ["f"], "fused", "com.example");
        b.Output("det", DataType.Float32);
        b.Output("f", DataType.Float32);
        var d = OnnxTestSupport.ImportFails(b, "ATC1200");
        Assert.Contains("3 unsupported", d.Message);
        Assert.Contains("[StringNormalizer] (node [normalizer_a])", d.Message);
        Assert.DoesNotContain("normalizer_b", d.Message);
        Assert.Contains("[Col2Im] (node [Col2Im_3])", d.Message);
        Assert.Contains("[com.example:FusedThing] (node [fused])", d.Message);
    }

    [Fact]
    public void UnsupportedFormsNameTheirFeature()
    {
        var b = new OnnxModelBuilder(opset: 12);
        b.Input("x", DataType.Float32, 1, 1, 4, 4);
        b.AddNode("Cast", ["x"], ["f"], "float8", "", ("to", 17));
        b.AddNode("Cast", ["x"], ["h"], "uint4", "", ("to", 21));
        b.Output("f", DataType.Float32);
        b.Output("h", DataType.Float32);
        var d = OnnxTestSupport.ImportFails(b, "ATC1200");
        Assert.Contains("[Cast to FLOAT8E4M3FN] (node [float8])", d.Message);
        Assert.Contains("[Cast to UINT4] (node [uint4])", d.Message);
    }

    [Fact]
    public void UnsupportedInitializerTypeIsReported()
    {
        var b = ReluModel();
        b.Initializer(new TensorProto { Name = "f8", DataType = 17, Dims = { 2 }, RawData = ByteString.CopyFrom(new byte[2]) });
        b.AddNode("Identity", ["f8"], ["h"], "id");
        b.Output("h", DataType.Float32);
        Assert.Contains("[FLOAT8E4M3FN tensor] (node [f8])", OnnxTestSupport.ImportFails(b, "ATC1200").Message);
    }

    [Fact]
    public void RawDataOfWrongLengthIsInvalidModel()
    {
        var b = ReluModel();
        b.Initializer(new TensorProto { Name = "w", DataType = 1, Dims = { 2, 2 }, RawData = ByteString.CopyFrom(new byte[12]) });
        b.AddNode("Add", ["y", "w"], ["z"], "add");
        var d = OnnxTestSupport.ImportFails(b, "ATC1202");
        Assert.Contains("'w'", d.Message);
        Assert.Contains("12 bytes", d.Message);
        Assert.Contains("16", d.Message);
    }

    [Fact]
    public void MistypedAttributeIsATC1103()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.Input("x", DataType.Float32, 2, 4);
        b.AddNode("Flatten", ["x"], ["y"], "flat", "", ("axis", "one"));
        b.Output("y", DataType.Float32);
        Assert.Equal("Attribute [axis] of node [flat] (op [Flatten]) is STRING, but the op requires INT.", OnnxTestSupport.ImportFails(b, "ATC1103").Message);
    }
}
