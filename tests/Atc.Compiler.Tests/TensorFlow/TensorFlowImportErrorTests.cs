using Atc.Compiler.Frontends.TensorFlow.Proto;
using Atc.TestModels.TensorFlow;
using static Atc.Compiler.Tests.TensorFlow.TfTestSupport;

namespace Atc.Compiler.Tests.TensorFlow;

/// <summary>Malformed files and graphs become coded diagnostics, never stack traces.</summary>
public class TensorFlowImportErrorTests
{
    private static TfGraphBuilder SmallCnn()
    {
        var b = new TfGraphBuilder(3);
        var x = b.Placeholder("Placeholder", [-1, 8, 8, 3]);
        x = b.ConvBn("conv", x, 3, 3, 4);
        b.Softmax("output", b.FlattenDynamic("flatten", b.Mean("gap", x, [1, 2], keepDims: true), 4));
        return b;
    }

    [Fact]
    public void Truncated_file_is_a_parse_failure_naming_the_file()
    {
        var bytes = SmallCnn().ToBytes();
        var d = ImportError(bytes[..(bytes.Length / 2)]);
        Assert.Equal("ATC1201", d.Code);
        Assert.Contains("[bad.pb]", d.Message);
        Assert.Contains("TensorFlow", d.Message);
        Assert.Contains("truncated", d.Message);
    }

    [Fact]
    public void Garbage_bytes_are_a_parse_failure()
    {
        var garbage = new byte[4096];
        new Random(5).NextBytes(garbage);
        var d = ImportError(garbage);
        Assert.Equal("ATC1201", d.Code);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x08, 0x07 })] // ONNX-like: field 1 as a varint (ir_version 7)
    public void File_without_nodes_is_a_parse_failure(byte[] bytes)
    {
        var d = ImportError(bytes);
        Assert.Equal("ATC1201", d.Code);
        Assert.Contains("no GraphDef nodes", d.Message);
    }

    [Fact]
    public void Every_unsupported_op_is_listed_with_its_first_node()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 4]);
        var a = b.Unary("FancyOp", "fancy_1", x);
        b.Unary("FancyOp", "fancy_2", a);
        var paddings = b.ConstInt32("paddings", [2, 2], 0, 0, 1, 1);
        var m = b.Op("MirrorPad", "mirror", [x, paddings], ("mode", TfAttr.Str("SYMMETRIC")));
        b.Unary("OtherOp", "other", m);
        b.Relu("fine", x);

        var d = ImportError(b);
        Assert.Equal("ATC1200", d.Code);
        Assert.Contains("3 unsupported op type(s)", d.Message);
        Assert.Contains("[FancyOp] (node [fancy_1])", d.Message);
        Assert.Contains("[MirrorPad (mode SYMMETRIC)] (node [mirror])", d.Message);
        Assert.Contains("[OtherOp] (node [other])", d.Message);
        Assert.DoesNotContain("fancy_2", d.Message);
    }

    [Fact]
    public void Training_mode_batch_norm_is_unsupported()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 4, 4, 2]);
        var p = b.Const("p", [2], 1f, 1f);
        var bn = b.FusedBatchNormV3("bn", x, p, p, p, p);
        b.Graph.Node.Single(n => n.Name == bn).Attr["is_training"] = TfAttr.Bool(true);
        var d = ImportError(b);
        Assert.Equal("ATC1200", d.Code);
        Assert.Contains("is_training=true", d.Message);
    }

    [Fact]
    public void Batch_norm_statistics_outputs_must_be_unused()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 4, 4, 2]);
        var p = b.Const("p", [2], 1f, 1f);
        var bn = b.FusedBatchNormV3("bn", x, p, p, p, p);
        b.Identity("mean_out", bn + ":1");
        Assert.Contains("output 1 is used", ImportError(b).Message);
    }

    [Fact]
    public void Dangling_input_is_an_invalid_model()
    {
        var b = new TfGraphBuilder();
        b.Relu("r", b.Placeholder("x", [1]));
        b.Graph.Node[1].Input[0] = "missing:0";
        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("[missing]", d.Message);
        Assert.Contains("[r]", d.Message);
    }

    [Fact]
    public void Dangling_control_input_is_an_invalid_model()
    {
        var b = new TfGraphBuilder();
        b.Op("Relu", "r", [b.Placeholder("x", [1]), "^ghost"]);
        Assert.Equal("ATC1202", ImportError(b).Code);
    }

    [Fact]
    public void Duplicate_node_name_is_an_invalid_model()
    {
        var b = new TfGraphBuilder();
        b.Relu("r", b.Placeholder("x", [1]));
        b.Graph.Node.Add(new NodeDef { Name = "r", Op = "Relu", Input = { "x" } });
        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("two nodes are named [r]", d.Message);
    }

    [Fact]
    public void Cycle_is_an_invalid_model_naming_its_nodes()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [1]);
        b.Op("AddV2", "a", [x, "c"]);
        b.Op("Relu", "b", ["a"]);
        b.Op("Relu", "c", ["b"]);
        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("cycle", d.Message);
        Assert.Contains("a -> b -> c -> a", d.Message);
    }

    [Fact]
    public void Reading_a_missing_output_index_is_an_invalid_model()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [1]);
        b.Relu("r", x + ":3");
        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("output 3 of node [x]", d.Message);
    }

    [Fact]
    public void Const_content_of_wrong_length_is_an_invalid_model()
    {
        var b = new TfGraphBuilder();
        var tensor = TfTensors.Float([2, 2], 1f, 2f, 3f); // 12 bytes for 4 elements
        b.Relu("r", b.Const("c", tensor));
        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("12 bytes", d.Message);
        Assert.Contains("needs 16", d.Message);
    }

    [Fact]
    public void Unknown_out_node_names_it_and_lists_the_outputs()
    {
        var d = ImportError(SmallCnn(), [("outptu", 0)]);
        Assert.Equal("E11017", d.Code);
        Assert.Contains("[outptu]", d.Message);
        Assert.Contains("output:0", d.Fix);
    }

    [Fact]
    public void Out_node_index_beyond_the_outputs_is_E11016()
    {
        var d = ImportError(SmallCnn(), [("output", 2)]);
        Assert.Equal("E11016", d.Code);
        Assert.Contains("Op [output] to NetOutput. Op output index [2]", d.Message);
    }

    [Fact]
    public void Wrong_attribute_kind_is_ATC1103()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 4, 4, 1]);
        b.MaxPool("pool", x, 2, 2);
        b.Graph.Node[1].Attr["ksize"] = TfAttr.Int(2);
        var d = ImportError(b);
        Assert.Equal("ATC1103", d.Code);
        Assert.Equal("Attribute [ksize] of node [pool] (op [MaxPool]) is int, but the op requires list(int).", d.Message);
    }

    [Fact]
    public void Unsupported_placeholder_dtype_is_reported()
    {
        var b = new TfGraphBuilder();
        b.Identity("out", b.Placeholder("text", [1], DataType.DtString));
        Assert.Contains("[Placeholder (dtype DT_STRING)] (node [text])", ImportError(b).Message);
    }

    [Fact]
    public void Bytes_of_a_valid_graph_with_a_flipped_tag_do_not_crash()
    {
        // Any corruption must surface as a coded error or a valid import, never an unhandled exception type.
        var bytes = SmallCnn().ToBytes();
        for (int i = 0; i < bytes.Length; i += Math.Max(1, bytes.Length / 64))
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0xFF;
            try { Import(copy); }
            catch (Atc.Options.AtcException) { }
        }
    }
}
