using Atc.Compiler.Passes;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

public class AttentionPatternFusionTests
{
    /// <summary>Q [N,2,5,4] · Kᵀ [N,2,4,5] / 2 + mask [5,5] → Softmax → · V [N,2,5,3].</summary>
    private static TestGraphBuilder Graph(bool probabilitiesOut = false, bool scoresOut = false)
    {
        var b = new TestGraphBuilder(4);
        var q = b.Input("q", -1, 2, 5, 4);
        var kt = b.Input("kt", -1, 2, 4, 5);
        var v = b.Input("v", -1, 2, 5, 3);
        var scores = b.Op(OpTypes.MatMul, "scores", [q, kt], [-1, 2, 5, 5]);
        var scaled = b.Op(OpTypes.Div, "scaled", [scores, TestGraphBuilder.Const("two", [], [2f])], [-1, 2, 5, 5]);
        var masked = b.Op(OpTypes.Add, "masked", [scaled, b.Const("mask", [5, 5], -3, 0)], [-1, 2, 5, 5]);
        var p = b.Op(OpTypes.Softmax, "p", [masked], [-1, 2, 5, 5], TestGraphBuilder.Attrs(("axis", -1L)));
        b.Output(b.Op(OpTypes.MatMul, "context", [p, v], [-1, 2, 5, 3]));
        if (probabilitiesOut) b.Output(p);
        if (scoresOut) b.Output(scores);
        return b;
    }

    [Fact]
    public void Scores_scale_mask_softmax_and_weighted_sum_become_one_attention()
    {
        var b = Graph();
        PassResult? result = null;
        ReferenceEvaluator.AssertRewriteKeepsResults(b, () => result = new AttentionPatternFusion().Run(b.Graph));
        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal(OpTypes.Attention, node.OpType);
        Assert.Equal(0.5f, node.Attributes.GetFloat("scale", 0f));
        Assert.Equal("add", node.Attributes.GetString("mask", ""));
        Assert.Equal(1, result!.Count(AttentionPatternFusion.Fused));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void An_intermediate_that_is_a_graph_output_keeps_the_pattern(bool probabilitiesOut, bool scoresOut)
    {
        var b = Graph(probabilitiesOut, scoresOut);
        ReferenceEvaluator.AssertRewriteKeepsResults(b, () => new AttentionPatternFusion().Run(b.Graph));
        Assert.Equal(5, b.Graph.Nodes.Count);
        Assert.DoesNotContain(b.Graph.Nodes, n => n.OpType == OpTypes.Attention);
    }

    [Fact]
    public void Softmax_over_another_axis_is_not_attention()
    {
        var b = new TestGraphBuilder(5);
        var q = b.Input("q", -1, 3, 4);
        var kt = b.Input("kt", -1, 4, 3);
        var p = b.Op(OpTypes.Softmax, "p", [b.Op(OpTypes.MatMul, "s", [q, kt], [-1, 3, 3])], [-1, 3, 3], TestGraphBuilder.Attrs(("axis", 1L)));
        b.Output(b.Op(OpTypes.MatMul, "y", [p, b.Input("v", -1, 3, 2)], [-1, 3, 2]));
        new AttentionPatternFusion().Run(b.Graph);
        Assert.DoesNotContain(b.Graph.Nodes, n => n.OpType == OpTypes.Attention);
    }
}
