using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

public class ConcatIntoProducersTests
{
    private static OpAttributes Nhwc(params (string Name, AttributeValue Value)[] more)
        => TestGraphBuilder.Attrs([("layout", "NHWC"), .. more]);

    /// <summary>A SqueezeNet fire module, channels-last: squeeze 1x1 → expand 1x1 and expand 3x3 → Concat → Relu.</summary>
    private static (TestGraphBuilder B, Value E1, Value E3, Value Concat) Fire(bool swapConcatOrder = false, bool concatIsOutput = false)
    {
        var b = new TestGraphBuilder(7);
        var x = b.Input("x", -1, 6, 6, 4);
        var s = b.Op(OpTypes.Conv, "squeeze", [x, b.Const("ws", [3, 4, 1, 1]), b.Const("bs", [3])], [-1, 6, 6, 3],
            Nhwc(("activation", "Relu")));
        var e1 = b.Op(OpTypes.Conv, "e1", [s, b.Const("w1", [5, 3, 1, 1]), b.Const("b1", [5])], [-1, 6, 6, 5], Nhwc());
        var e3 = b.Op(OpTypes.Conv, "e3", [s, b.Const("w3", [4, 3, 3, 3]), b.Const("b3", [4])], [-1, 6, 6, 4],
            Nhwc(("pads", new long[] { 1, 1, 1, 1 })));
        var concat = b.Op(OpTypes.Concat, "cat", swapConcatOrder ? [e3, e1] : [e1, e3], [-1, 6, 6, 9], TestGraphBuilder.Attrs(("axis", 3L)));
        if (concatIsOutput) b.Output(concat);
        else b.Output(b.Op(OpTypes.Relu, "y", [concat]));
        return (b, e1, e3, concat);
    }

    private static void AssertSameResults(TestGraphBuilder b, Action rewrite) => ReferenceEvaluator.AssertRewriteKeepsResults(b, rewrite);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FireModuleConcatBecomesAChainOfConvsWritingSlices(bool swap)
    {
        var (b, _, _, concat) = Fire(swap);
        PassResult? result = null;
        AssertSameResults(b, () => result = new ConcatIntoProducers().Run(b.Graph));

        Assert.Equal(1, result!.Count(ConcatIntoProducers.ConcatsRemoved));
        Assert.DoesNotContain(b.Graph.Nodes, n => n.OpType == OpTypes.Concat);
        var e1 = b.Graph.Nodes.Single(n => n.Name == "e1");
        var e3 = b.Graph.Nodes.Single(n => n.Name == "e3");
        Assert.All(new[] { e1, e3 }, n => Assert.Equal(9, n.Attributes.GetInt("concat_channels", 0)));
        Assert.Equal(swap ? 4 : 0, e1.Attributes.GetInt("concat_offset", -1));
        Assert.Equal(swap ? 0 : 5, e3.Attributes.GetInt("concat_offset", -1));
        // Chained in graph order: e3 continues e1's tensor and writes the Concat's value.
        Assert.Same(e1.Outputs[0], e3.Inputs[4]);
        Assert.Same(concat, e3.Outputs[0]);
        Assert.True(e1.Inputs.Count < 5 || e1.Inputs[4] is null);
    }

    [Fact]
    public void ConcatThatIsAGraphOutputStays()
    {
        var (b, _, _, _) = Fire(concatIsOutput: true);
        var result = new ConcatIntoProducers().Run(b.Graph);
        Assert.Equal(0, result.Count(ConcatIntoProducers.ConcatsRemoved));
        Assert.Contains(b.Graph.Nodes, n => n.OpType == OpTypes.Concat);
    }

    [Fact]
    public void ConvOutputReadElsewhereOrNonConvInputOrOtherAxisStays()
    {
        var (b, e1, _, _) = Fire();
        b.Output(b.Op(OpTypes.Relu, "also", [e1]));
        Assert.Equal(0, new ConcatIntoProducers().Run(b.Graph).Count(ConcatIntoProducers.ConcatsRemoved));

        var c = new TestGraphBuilder(3);
        var x = c.Input("x", -1, 4, 4, 2);
        var conv = c.Op(OpTypes.Conv, "conv", [x, c.Const("w", [3, 2, 1, 1])], [-1, 4, 4, 3], Nhwc());
        var relu = c.Op(OpTypes.Relu, "relu", [x], [-1, 4, 4, 2]);
        c.Output(c.Op(OpTypes.Relu, "y", [c.Op(OpTypes.Concat, "cat", [conv, relu], [-1, 4, 4, 5], TestGraphBuilder.Attrs(("axis", 3L)))]));
        Assert.Equal(0, new ConcatIntoProducers().Run(c.Graph).Count(ConcatIntoProducers.ConcatsRemoved));

        var d = new TestGraphBuilder(4);
        var xd = d.Input("x", -1, 4, 4, 2);
        var c1 = d.Op(OpTypes.Conv, "c1", [xd, d.Const("w1", [2, 2, 1, 1])], [-1, 4, 4, 2], Nhwc());
        var c2 = d.Op(OpTypes.Conv, "c2", [xd, d.Const("w2", [2, 2, 1, 1])], [-1, 4, 4, 2], Nhwc());
        d.Output(d.Op(OpTypes.Relu, "y", [d.Op(OpTypes.Concat, "cat", [c1, c2], [-1, 8, 4, 2], TestGraphBuilder.Attrs(("axis", 1L)))]));
        Assert.Equal(0, new ConcatIntoProducers().Run(d.Graph).Count(ConcatIntoProducers.ConcatsRemoved));
    }
}
