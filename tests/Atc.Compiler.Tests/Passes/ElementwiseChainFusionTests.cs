using Atc.Compiler.Passes;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

public class ElementwiseChainFusionTests
{
    /// <summary>x [N,3,4] + b [4] → Relu → c [3,1] · ( ) → ( ) - 0.25 → Clip; with a graph output after the Relu.</summary>
    private static TestGraphBuilder Chain(bool middleOut = false)
    {
        var b = new TestGraphBuilder(6);
        var x = b.Input("x", -1, 3, 4);
        var added = b.Op(OpTypes.Add, "added", [x, b.Const("b", [4])], [-1, 3, 4]);
        var relu = b.Op(OpTypes.Relu, "relu", [added], [-1, 3, 4]);
        var scaled = b.Op(OpTypes.Mul, "scaled", [b.Const("c", [3, 1]), relu], [-1, 3, 4]);
        var shifted = b.Op(OpTypes.Sub, "shifted", [scaled, TestGraphBuilder.Const("quarter", [], [0.25f])], [-1, 3, 4]);
        b.Output(b.Op(OpTypes.Clip, "y", [shifted], [-1, 3, 4], TestGraphBuilder.Attrs(("min", -0.5f), ("max", 0.5f))));
        if (middleOut) b.Output(relu);
        return b;
    }

    [Fact]
    public void A_chain_with_broadcast_operands_becomes_one_node()
    {
        var b = Chain();
        PassResult? result = null;
        ReferenceEvaluator.AssertRewriteKeepsResults(b, () => result = new ElementwiseChainFusion().Run(b.Graph));
        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal(OpTypes.FusedElementwise, node.OpType);
        Assert.Equal(["Add:in:1", "Relu:p:0", "Mul:rin:2", "Sub:sc:0", "Clip:p:1"], node.Attributes.GetStrings("steps", []));
        Assert.Equal([0.25f, -0.5f, 0.5f], node.Attributes.GetFloats("scalars", []));
        Assert.Equal(5, result!.Count(ElementwiseChainFusion.Links));
    }

    [Fact]
    public void A_graph_output_inside_the_chain_ends_it_there()
    {
        var b = Chain(middleOut: true);
        ReferenceEvaluator.AssertRewriteKeepsResults(b, () => new ElementwiseChainFusion().Run(b.Graph));
        Assert.Equal(2, b.Graph.Nodes.Count);
        Assert.All(b.Graph.Nodes, n => Assert.Equal(OpTypes.FusedElementwise, n.OpType));
        Assert.Equal("relu", b.Graph.Nodes[0].Outputs[0].Name);
    }
}
