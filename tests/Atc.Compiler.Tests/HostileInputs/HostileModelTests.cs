using Atc.Compiler.Frontends.TensorFlow;
using Atc.Compiler.Ir;
using Atc.Compiler.Tests.TensorFlow;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime.Operators;
using Atc.TestModels.Onnx;
using Atc.TestModels.TensorFlow;
using Atc.Tests.Onnx;
using Google.Protobuf;
using TfProto = Atc.Compiler.Frontends.TensorFlow.Proto;
using OnnxType = Atc.Runtime.DataType;

namespace Atc.Compiler.Tests.HostileInputs;

/// <summary>Issue 10: malformed model files end in coded errors, never a crash, a stack overflow or ATC9999.</summary>
public class HostileModelTests
{
    // ---- recursion controlled by the input ----

    [Fact]
    public void A_const_with_dtype_2_pow_30_is_an_unsupported_type_not_a_stack_overflow()
    {
        var b = new TfGraphBuilder();
        b.Placeholder("x", [1]);
        b.Const("c", new TfProto.TensorProto { Dtype = (TfProto.DataType)(1 << 30), TensorShape = TfTensors.Shape([1]) });
        var bytes = b.ToBytes();
        Assert.True(bytes.Length < 200, $"the repro is a tiny file ({bytes.Length} bytes)");
        var d = TfTestSupport.ImportError(bytes);
        Assert.Equal("ATC1200", d.Code);
        Assert.Contains("DataType(1073741824)", d.Message);
    }

    [Theory]
    [InlineData(1, "DT_FLOAT")]
    [InlineData(101, "DT_FLOAT_REF")]
    [InlineData(119, "DT_HALF_REF")]
    [InlineData(201, "DataType(201)")]
    [InlineData(int.MaxValue, "DataType(2147483647)")]
    [InlineData(-5, "DataType(-5)")]
    public void Data_type_names_need_no_recursion(int value, string expected)
        => Assert.Equal(expected, TfDataTypes.Name((TfProto.DataType)value));

    // ---- 64-bit sizes ----

    [Fact]
    public void A_constant_whose_element_count_overflows_a_long_is_refused()
    {
        var b = new TfGraphBuilder();
        b.Placeholder("x", [1]);
        // (2^31 - 1)^3 wraps a long: it must not come out small.
        b.Const("c", new TfProto.TensorProto { Dtype = TfProto.DataType.DtFloat, TensorShape = TfTensors.Shape([int.MaxValue, int.MaxValue, int.MaxValue]) });
        var d = TfTestSupport.ImportError(b.ToBytes());
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("more than 2 GB", d.Message);
    }

    [Fact]
    public void An_input_dim_above_int_max_is_refused_not_truncated()
    {
        var b = new OnnxModelBuilder();
        b.Input("x", OnnxType.Float32, 4294967299L, 2);
        b.AddNode("Relu", ["x"], ["y"], "relu");
        b.Output("y", OnnxType.Float32, -1, 2);
        var d = OnnxTestSupport.ImportFails(b, "ATC1202");
        Assert.Contains("4294967299", d.Message);
        Assert.Contains("axis 0", d.Message);
    }

    [Fact]
    public void A_cast_to_2_pow_32_plus_1_is_not_read_as_float()
    {
        var b = new OnnxModelBuilder();
        b.Input("x", OnnxType.Float32, 2);
        b.AddNode("Cast", ["x"], ["y"], "cast", "", ("to", 4294967297L));
        b.Output("y", OnnxType.Float32, 2);
        Assert.Contains("Cast to data type -1", OnnxTestSupport.ImportFails(b, "ATC1200").Message);
    }

    [Fact]
    public void A_LayerNormalization_axis_of_long_min_is_a_coded_error()
    {
        var b = new OnnxModelBuilder(opset: 17);
        b.Input("x", OnnxType.Float32, 2, 4);
        var scale = b.Floats("scale", [4], 1, 1, 1, 1);
        b.AddNode("LayerNormalization", ["x", scale], ["y"], "ln", "", ("axis", long.MinValue));
        b.Output("y", OnnxType.Float32, 2, 4);
        Assert.Contains("-9223372036854775808", OnnxTestSupport.ImportFails(b, "ATC1202").Message);
    }

    // ---- arity, checked generically before passes run ----

    [Fact]
    public void Every_canonical_op_has_an_arity()
    {
        var missing = typeof(OpTypes).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(op => !OpArity.TryGet(op, out _)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void An_onnx_MaxPool_without_inputs_is_ATC1102()
    {
        var b = new OnnxModelBuilder();
        b.Input("x", OnnxType.Float32, 1, 1, 4, 4);
        b.AddNode("MaxPool", [], ["y"], "pool", "", ("kernel_shape", new long[] { 2, 2 }));
        b.Output("y", OnnxType.Float32, 1, 1, 2, 2);
        var d = OnnxTestSupport.ImportFails(b, "ATC1102");
        Assert.Equal("Node [pool] (op [MaxPool], from [MaxPool]) has 0 inputs, but [MaxPool] takes 1 input.", d.Message);
    }

    [Fact]
    public void An_onnx_Gemm_with_one_input_is_ATC1102()
    {
        var b = new OnnxModelBuilder();
        b.Input("x", OnnxType.Float32, 2, 2);
        b.AddNode("Gemm", ["x"], ["y"], "fc");
        b.Output("y", OnnxType.Float32, 2, 2);
        Assert.Contains("takes 2 to 4 inputs", OnnxTestSupport.ImportFails(b, "ATC1102").Message);
    }

    [Fact]
    public void An_omitted_required_input_is_ATC1102()
    {
        var node = new Node("add", OpTypes.Add, [null, null]);
        node.AddOutput("y", OnnxType.Float32);
        var graph = new Graph();
        graph.AddNode(node);
        var e = Assert.Throws<AtcException>(() => Frontends.ImportedGraphCheck.Validate(graph));
        Assert.Contains("required input 0 omitted", Assert.Single(e.Diagnostics).Message);
    }

    [Fact]
    public void Arity_problems_reach_the_cli_as_a_coded_failure_without_a_stack_trace()
    {
        using var folder = new Atc.Cli.Tests.Support.TempFolder();
        var b = new OnnxModelBuilder();
        b.Input("x", OnnxType.Float32, 1, 1, 4, 4);
        b.AddNode("MaxPool", [], ["y"], "pool", "", ("kernel_shape", new long[] { 2, 2 }));
        b.Output("y", OnnxType.Float32, 1, 1, 2, 2);
        b.Save(folder.File("m.onnx"));
        var run = Atc.Cli.Tests.Support.CliHarness.RunReal("--model=" + folder.File("m.onnx"), "--framework=5", "--output=" + folder.File("out"), "--soc_version=Ascend310");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ATC1102: ", run.Stdout);
        HostileCli.AssertNoStackTrace(run);
    }

    [Fact]
    public void Control_characters_in_model_names_are_printed_escaped()
    {
        using var folder = new Atc.Cli.Tests.Support.TempFolder();
        var b = new OnnxModelBuilder();
        b.Input("x", OnnxType.Float32, 2, 2);
        b.AddNode("NoSuchOp", ["x"], ["y"], "evil\u001b]0;owned\u0007\nname");
        b.Output("y", OnnxType.Float32, 2, 2);
        b.Save(folder.File("m.onnx"));
        var run = Atc.Cli.Tests.Support.CliHarness.RunReal("--model=" + folder.File("m.onnx"), "--framework=5", "--output=" + folder.File("out"), "--soc_version=Ascend310");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("evil\\u001b]0;owned\\u0007\\u000aname", run.Stdout);
        Assert.DoesNotContain('\u001b', run.Stdout);
        HostileCli.AssertNoStackTrace(run);
    }

    // ---- attribute types, checked generically by the attribute readers ----

    [Fact]
    public void An_INT_alpha_on_Gemm_is_ATC1103()
    {
        var b = new OnnxModelBuilder();
        b.Input("x", OnnxType.Float32, 2, 2);
        var w = b.Floats("w", [2, 2], 1, 2, 3, 4);
        b.AddNode("Gemm", ["x", w], ["y"], "fc", "", ("alpha", 2));
        b.Output("y", OnnxType.Float32, 2, 2);
        var d = OnnxTestSupport.ImportFails(b, "ATC1103");
        Assert.Equal("Attribute [alpha] of node [fc] (op [Gemm]) is INT, but the op requires FLOAT.", d.Message);
    }

    [Fact]
    public void A_FLOAT_where_INTS_are_required_is_ATC1103()
    {
        var b = new OnnxModelBuilder();
        b.Input("x", OnnxType.Float32, 2, 3);
        b.AddNode("Transpose", ["x"], ["y"], "t", "", ("perm", 1.5f));
        b.Output("y", OnnxType.Float32, 3, 2);
        var d = OnnxTestSupport.ImportFails(b, "ATC1103");
        Assert.Contains("[perm]", d.Message);
        Assert.Contains("is FLOAT, but the op requires INTS", d.Message);
    }

    [Fact]
    public void A_tensorflow_attribute_of_the_wrong_kind_is_ATC1103()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [1, 4, 4, 1]);
        b.Op("MaxPool", "pool", [x], ("T", TfAttr.Type(TfProto.DataType.DtFloat)), ("ksize", TfAttr.Float(2f)),
            ("strides", TfAttr.Ints(1, 1, 1, 1)), ("padding", TfAttr.Str("VALID")));
        var d = TfTestSupport.ImportError(b.ToBytes());
        Assert.Equal("ATC1103", d.Code);
        Assert.Equal("Attribute [ksize] of node [pool] (op [MaxPool]) is float, but the op requires list(int).", d.Message);
    }
}

/// <summary>What a CLI failure must look like for a hostile input.</summary>
internal static class HostileCli
{
    public static void AssertNoStackTrace(Atc.Cli.Tests.Support.CliRun run)
    {
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
        Assert.DoesNotContain("ATC9999", run.Stdout);
        Assert.StartsWith(AtcErrors.RunFailedBanner, run.Stdout);
    }
}
