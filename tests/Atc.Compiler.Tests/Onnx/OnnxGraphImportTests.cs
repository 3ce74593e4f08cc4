using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.TestModels.Onnx;

namespace Atc.Tests.Onnx;

/// <summary>Graph-level import: inputs, initializers, names, order, outputs, tensor encodings.</summary>
public class OnnxGraphImportTests
{
    [Fact]
    public void InputsExcludeInitializersAndKeepSymbolicDimsAsMinusOne()
    {
        var b = new OnnxModelBuilder(opset: 8); // IR 3: initializers are also listed as inputs
        b.Input("x", DataType.Float32, "N", 3, "H", 5);
        b.Floats("w", [1], 2f);
        b.AddNode("Mul", ["x", "w"], ["y"], "mul");
        b.Output("y", DataType.Float32, "N", 3, "H", 5);
        var g = OnnxTestSupport.Import(b);
        var input = Assert.Single(g.Inputs);
        Assert.Equal("x", input.Name);
        Assert.Equal([-1L, 3, -1, 5], input.Shape!);
        Assert.True(g.Single(OpTypes.Mul).Inputs[1]!.IsConstant);
        Assert.Equal([-1L, 3, -1, 5], g.Outputs[0].Shape!);
    }

    [Fact]
    public void UnnamedNodesGetStableUniqueNames()
    {
        var b = new OnnxModelBuilder();
        b.Input("x", DataType.Float32, 2);
        b.AddNode("Relu", ["x"], ["a"], "");
        b.AddNode("Relu", ["a"], ["c"], "Relu_0"); // an explicit name equal to the synthesized one of node 0
        b.AddNode("Relu", ["c"], ["d"], "dup");
        b.AddNode("Relu", ["d"], ["y"], "dup");
        b.Output("y", DataType.Float32);
        var names = OnnxTestSupport.Import(b).Nodes.Select(n => n.Name).ToList();
        Assert.Equal(4, names.Distinct().Count());
        Assert.Equal("Relu_0", names[1]);
        Assert.Equal("dup", names[2]);
        Assert.Equal(names, OnnxTestSupport.Import(b).Nodes.Select(n => n.Name));
    }

    [Fact]
    public void NodesAreEmittedInTopologicalOrder()
    {
        var b = new OnnxModelBuilder();
        b.Input("x", DataType.Float32, 2);
        b.AddNode("Add", ["a", "c"], ["y"], "last");
        b.AddNode("Sigmoid", ["a"], ["c"], "middle");
        b.AddNode("Relu", ["x"], ["a"], "first");
        b.Output("y", DataType.Float32);
        var g = OnnxTestSupport.Import(b);
        Assert.Equal(["first", "middle", "last"], g.Nodes.Select(n => n.Name));
        OnnxTestSupport.AssertTopological(g);
    }

    [Fact]
    public void ValuesKeepOnnxTensorNamesAndOutputsFollowGraphOrder()
    {
        var b = new OnnxModelBuilder();
        b.Input("images:0", DataType.Float32, 2);
        b.AddNode("Relu", ["images:0"], ["relu/out:0"], "relu");
        b.AddNode("Neg", ["images:0"], ["neg/out:0"], "neg");
        b.Output("neg/out:0", DataType.Float32);
        b.Output("relu/out:0", DataType.Float32);
        b.Output("images:0", DataType.Float32);
        var g = OnnxTestSupport.Import(b);
        Assert.Equal(["neg/out:0", "relu/out:0", "images:0"], g.Outputs.Select(o => o.Name));
        Assert.Same(g.Inputs[0], g.Outputs[2]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InitializersReadFromRawOrTypedFields(bool typed)
    {
        var b = new OnnxModelBuilder { UseTypedFields = typed };
        b.Input("x", DataType.Float32, 2);
        b.Floats("f", [2], 1.5f, -2f);
        b.Initializer("d", TensorData.FromArray(DataType.Float64, [2], new[] { 0.25, 4.0 }));
        b.Initializer("i8", TensorData.FromArray(DataType.Int8, [2], new sbyte[] { -3, 7 }));
        b.Initializer("u8", TensorData.FromArray(DataType.UInt8, [2], new byte[] { 200, 1 }));
        b.Initializer("flag", TensorData.FromArray(DataType.Bool, [2], new byte[] { 1, 0 }));
        b.Initializer("i32", TensorData.FromArray(DataType.Int32, [2], new[] { -70000, 5 }));
        b.Int64s("i64", long.MinValue, 9);
        string[] names = ["f", "d", "i8", "u8", "flag", "i32", "i64"];
        b.AddNode("Sum", ["x", "f"], ["y"], "sum");
        foreach (var n in names) b.AddNode("Identity", [n], [n + "_out"], "id_" + n);
        b.Output("y", DataType.Float32);
        foreach (var n in names) b.Output(n + "_out", DataType.Float32);
        var g = OnnxTestSupport.Import(b);
        TensorData Const(string n) => g.Nodes.First(x => x.Name == "id_" + n).Inputs[0]!.Constant!;
        Assert.Equal([1.5f, -2f], Const("f").AsSpan<float>().ToArray());
        Assert.Equal([0.25, 4.0], Const("d").AsSpan<double>().ToArray());
        Assert.Equal([-3L, 7], Const("i8").ToInt64Array());
        Assert.Equal([200L, 1], Const("u8").ToInt64Array());
        Assert.Equal(DataType.Bool, Const("flag").Type);
        Assert.Equal([1L, 0], Const("flag").ToInt64Array());
        Assert.Equal([-70000L, 5], Const("i32").ToInt64Array());
        Assert.Equal([long.MinValue, 9], Const("i64").ToInt64Array());
    }

    [Fact]
    public void TypedFieldCountMustMatchShape()
    {
        var b = new OnnxModelBuilder();
        b.Input("x", DataType.Float32, 2);
        b.Initializer(new Atc.Compiler.Frontends.Onnx.Proto.TensorProto { Name = "w", DataType = 1, Dims = { 3 }, FloatData = { 1f, 2f } });
        b.AddNode("Add", ["x", "w"], ["y"], "add");
        b.Output("y", DataType.Float32);
        var d = OnnxTestSupport.ImportFails(b, "ATC1202");
        Assert.Contains("2 values in float_data", d.Message);
    }

    [Fact]
    public void NoOpsetImportMeansOpsetOne()
    {
        var b = new OnnxModelBuilder(opset: 6);
        b.Input("x", DataType.Float32, 2, 3);
        b.AddNode("Softmax", ["x"], ["y"], "sm");
        b.Output("y", DataType.Float32);
        var model = b.ToModel();
        model.OpsetImport.Clear();
        var softmax = OnnxTestSupport.Import(Google.Protobuf.MessageExtensions.ToByteArray(model)).Single(OpTypes.Softmax);
        Assert.Equal(1, softmax.Attributes.GetInt("legacy", 0));
    }

    [Fact]
    public void OmittedOptionalInputsStayNullInTheMiddle()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.Input("x", DataType.Float32, 4);
        b.AddNode("Slice", ["x", b.Int64s("starts", 1), b.Int64s("ends", 3), "", b.Int64s("steps", 1)], ["y"], "slice");
        b.Output("y", DataType.Float32);
        var slice = OnnxTestSupport.Import(b).Single(OpTypes.Slice);
        Assert.Equal(5, slice.Inputs.Count);
        Assert.Null(slice.Inputs[3]);
        Assert.Equal("steps", slice.Inputs[4]!.Name);
    }
}
