using Atc.Runtime;
using Atc.Runtime.Operators;
using Atc.TestModels.Onnx;

namespace Atc.Tests.Onnx;

/// <summary>Lowerings of the indexing, scan, window and trigonometric ops, including their older opset forms.</summary>
public class OnnxNewOpLoweringTests
{
    private static OnnxModelBuilder Model(int opset, DataType type = DataType.Float32, params object[] dims)
    {
        var b = new OnnxModelBuilder(opset);
        b.Input("x", type, dims.Length == 0 ? [2, 3] : dims);
        return b;
    }

    [Fact]
    public void TopKBeforeOpset10TurnsTheKAttributeIntoAnInt64Input()
    {
        var b = Model(9);
        b.AddNode("TopK", ["x"], ["values", "indices"], "topk", "", ("k", 2L), ("axis", 1L));
        b.Output("values", DataType.Float32);
        b.Output("indices", DataType.Int64);
        var topk = OnnxTestSupport.Import(b).Single(OpTypes.TopK);
        Assert.Equal([2L], topk.Inputs[1]!.Constant!.ToInt64Array());
        Assert.Equal(1L, topk.Attributes.GetInt("axis", -1));
        Assert.Equal(DataType.Float32, topk.Outputs[0].Type);
        Assert.Equal(DataType.Int64, topk.Outputs[1].Type);
    }

    [Fact]
    public void HardmaxBeforeOpset13IsTheLegacyFlattenedForm()
    {
        var b = Model(11);
        b.AddNode("Hardmax", ["x"], ["y"], "hardmax");
        b.Output("y", DataType.Float32);
        var legacy = OnnxTestSupport.Import(b).Single(OpTypes.Hardmax);
        Assert.Equal(1L, legacy.Attributes.GetInt("legacy", 0));
        Assert.Equal(1L, legacy.Attributes.GetInt("axis", -1));

        var modern = Model(13);
        modern.AddNode("Hardmax", ["x"], ["y"], "hardmax");
        modern.Output("y", DataType.Float32);
        var hardmax = OnnxTestSupport.Import(modern).Single(OpTypes.Hardmax);
        Assert.False(hardmax.Attributes.Has("legacy"));
        Assert.Equal(-1L, hardmax.Attributes.GetInt("axis", 0));
    }

    [Fact]
    public void ScatterOfOpset9BecomesScatterElements()
    {
        var b = Model(9);
        b.Input("indices", DataType.Int64, 1, 2);
        b.Input("updates", DataType.Float32, 1, 2);
        b.AddNode("Scatter", ["x", "indices", "updates"], ["y"], "scatter", "", ("axis", 1L));
        b.Output("y", DataType.Float32);
        var scatter = OnnxTestSupport.Import(b).Single(OpTypes.ScatterElements);
        Assert.Equal(1L, scatter.Attributes.GetInt("axis", 0));
        Assert.Equal(3, scatter.Inputs.Count);
    }

    [Fact]
    public void EyeLikeAndOneHotTakeTheirOutputTypes()
    {
        var b = Model(13);
        b.AddNode("EyeLike", ["x"], ["eye"], "eye", "", ("dtype", 7L), ("k", 1L));
        b.Output("eye", DataType.Int64);
        var eye = OnnxTestSupport.Import(b).Single(OpTypes.EyeLike);
        Assert.Equal(DataType.Int64, eye.Outputs[0].Type);
        Assert.Equal(7L, eye.Attributes.GetInt("dtype", 0));

        var h = Model(11, DataType.Int64, 4);
        h.Initializer("depth", TensorData.Int64([], 3));
        h.Initializer("values", TensorData.FromArray(DataType.Int32, [2], new[] { 0, 1 }));
        h.AddNode("OneHot", ["x", "depth", "values"], ["y"], "onehot", "", ("axis", 0L));
        h.Output("y", DataType.Int32);
        var onehot = OnnxTestSupport.Import(h).Single(OpTypes.OneHot);
        Assert.Equal(DataType.Int32, onehot.Outputs[0].Type);
        Assert.Equal(0L, onehot.Attributes.GetInt("axis", -1));
    }

    [Fact]
    public void WindowsKeepTheirAttributesAndRejectIntegerOutputs()
    {
        var b = new OnnxModelBuilder(17);
        b.Initializer("size", TensorData.Int64([], 8));
        b.AddNode("HannWindow", ["size"], ["w"], "hann", "", ("periodic", 0L), ("output_datatype", 11L));
        b.Output("w", DataType.Float64);
        var window = OnnxTestSupport.Import(b).Single(OpTypes.HannWindow);
        Assert.Equal(0L, window.Attributes.GetInt("periodic", 1));
        Assert.Equal(DataType.Float64, window.Outputs[0].Type);

        var bad = new OnnxModelBuilder(17);
        bad.Initializer("size", TensorData.Int64([], 8));
        bad.AddNode("HannWindow", ["size"], ["w"], "hann", "", ("output_datatype", 6L));
        bad.Output("w", DataType.Int32);
        var error = OnnxTestSupport.ImportFails(bad, "ATC1200");
        Assert.Contains("HannWindow", error.Message);
    }

    [Theory]
    [InlineData("Tan")]
    [InlineData("Acosh")]
    [InlineData("IsNaN")]
    [InlineData("CumSum")]
    [InlineData("Trilu")]
    [InlineData("GatherElements")]
    [InlineData("Einsum")]
    public void NewOpsMapOntoTheCanonicalOpOfTheSameName(string op)
    {
        var b = Model(17);
        b.Initializer("axis", TensorData.Int64([], 1));
        b.Initializer("indices", TensorData.Int64([2, 1], 0, 1));
        string[] inputs = op switch
        {
            "CumSum" => ["x", "axis"],
            "GatherElements" => ["x", "indices"],
            _ => ["x"],
        };
        var attributes = op == "Einsum" ? new (string, object)[] { ("equation", "ij->ji") } : [];
        b.AddNode(op, inputs, ["y"], "node", "", attributes);
        b.Output("y", op == "IsNaN" ? DataType.Bool : DataType.Float32);
        var node = OnnxTestSupport.Import(b).Single(op);
        Assert.Equal(op == "IsNaN" ? DataType.Bool : DataType.Float32, node.Outputs[0].Type);
    }
}
