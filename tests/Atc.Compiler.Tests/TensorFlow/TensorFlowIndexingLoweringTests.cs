using Atc.Compiler.Frontends.TensorFlow.Proto;
using Atc.Runtime.Operators;
using Atc.TestModels.TensorFlow;
using static Atc.Compiler.Tests.TensorFlow.TfTestSupport;

namespace Atc.Compiler.Tests.TensorFlow;

/// <summary>TensorFlow ops that map onto the indexing, scan and trigonometric canonical ops.</summary>
public class TensorFlowIndexingLoweringTests
{
    [Fact]
    public void TopKV2GivesInt32IndicesThroughACast()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [2, 5]);
        b.Op("TopKV2", "topk", [x, b.ScalarInt32("k", 3)], ("T", TfAttr.Type(DataType.DtFloat)));
        b.Op("Identity", "values", ["topk"], ("T", TfAttr.Type(DataType.DtFloat)));
        b.Op("Identity", "indices", ["topk:1"], ("T", TfAttr.Type(DataType.DtInt32)));

        var g = Import(b);
        AssertWellFormed(g);
        var topk = Assert.Single(g.Nodes, n => n.OpType == OpTypes.TopK);
        Assert.Equal([3L], topk.Inputs[1]!.Constant!.ToInt64Array());
        Assert.Equal(Atc.Runtime.DataType.Int64, topk.Outputs[1].Type);
        var cast = Assert.Single(g.Nodes, n => n.OpType == OpTypes.Cast);
        Assert.Same(topk.Outputs[1], cast.Inputs[0]);
        Assert.Equal(Atc.Runtime.DataType.Int32, cast.Outputs[0].Type);
    }

    [Fact]
    public void OneHotPacksConstantOffAndOnValues()
    {
        var b = new TfGraphBuilder();
        var indices = b.Placeholder("indices", [4], DataType.DtInt32);
        b.Op("OneHot", "onehot", [indices, b.ScalarInt32("depth", 3), b.Const("on", [], 5f), b.Const("off", [], -1f)],
            ("T", TfAttr.Type(DataType.DtFloat)), ("axis", TfAttr.Int(0)));

        var onehot = NodeNamed(Import(b), "onehot");
        Assert.Equal(OpTypes.OneHot, onehot.OpType);
        Assert.Equal([-1f, 5f], onehot.Inputs[2]!.Constant!.ToFloatArray());
        Assert.Equal(0L, onehot.Attributes.GetInt("axis", -1));
    }

    [Fact]
    public void CumsumAndTrigonometricOpsMapDirectly()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [2, 3]);
        b.Op("Cumsum", "cumsum", [x, b.ScalarInt32("axis", 1)], ("T", TfAttr.Type(DataType.DtFloat)),
            ("exclusive", TfAttr.Bool(true)), ("reverse", TfAttr.Bool(false)));
        b.Unary("Atanh", "atanh", x);

        var g = Import(b);
        var cumsum = NodeNamed(g, "cumsum");
        Assert.Equal(OpTypes.CumSum, cumsum.OpType);
        Assert.Equal(1L, cumsum.Attributes.GetInt("exclusive", 0));
        Assert.Equal(0L, cumsum.Attributes.GetInt("reverse", 1));
        Assert.Equal(OpTypes.Atanh, NodeNamed(g, "atanh").OpType);
    }
}
