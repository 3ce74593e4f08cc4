using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

public class IdentityEliminationTests
{
    [Fact]
    public void RemovesIdentityAndRewiresItsReaders()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 4);
        var relu = b.Op(OpTypes.Relu, "relu", [x]);
        var id = b.Op(OpTypes.Identity, "dropout", [relu]);
        var y = b.Op(OpTypes.Sigmoid, "y", [id]);
        b.Output(y);

        var result = new IdentityElimination().Run(b.Graph);

        Assert.Equal(["relu", "y"], b.Graph.Nodes.Select(n => n.Name));
        Assert.Same(relu, b.Graph.Nodes[1].Inputs[0]);
        Assert.Equal(1, result.Count(IdentityElimination.IdentitiesRemoved));
    }

    [Fact]
    public void IdentityWritingAGraphOutputHandsTheOutputToItsProducer()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 4);
        var relu = b.Op(OpTypes.Relu, "relu", [x]);
        var id1 = b.Op(OpTypes.Identity, "id1", [relu]);
        var output = b.Op(OpTypes.Identity, "output", [id1]);
        var other = b.Op(OpTypes.Sigmoid, "other", [relu]);
        b.Output(output, other);

        new IdentityElimination().Run(b.Graph);

        Assert.Equal(["relu", "other"], b.Graph.Nodes.Select(n => n.Name));
        Assert.Same(output, b.Graph.Outputs[0]);
        Assert.Equal("output", b.Graph.Outputs[0].Name);
        Assert.Same(output, b.Graph.Nodes[0].Outputs[0]);
        Assert.Same(b.Graph.Nodes[0], output.Producer);
        Assert.Same(output, b.Graph.Nodes[1].Inputs[0]);   // the other reader now reads the renamed value
        Assert.Null(GraphInvariants.FindProblem(b.Graph));
    }

    [Fact]
    public void IdentityBetweenAGraphInputAndAGraphOutputStays()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 3);
        var y = b.Op(OpTypes.Identity, "y", [x]);
        b.Output(y);

        var result = new IdentityElimination().Run(b.Graph);

        Assert.Single(b.Graph.Nodes);
        Assert.Equal("y", b.Graph.Outputs[0].Name);
        Assert.False(result.Changed);
    }

    [Fact]
    public void IdentityBetweenTwoGraphOutputsStays()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 3);
        var r = b.Op(OpTypes.Relu, "r", [x]);
        var y = b.Op(OpTypes.Identity, "y", [r]);
        b.Output(r, y);

        new IdentityElimination().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
        Assert.Equal(["r", "y"], b.Graph.Outputs.Select(v => v.Name));
    }

    [Fact]
    public void ReshapeOfReshapeCollapsesToTheLastShape()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2, 3, 4);
        var r1 = b.Op(OpTypes.Reshape, "r1", [x, TestGraphBuilder.Int64("s1", 6, 4)]);
        var r2 = b.Op(OpTypes.Reshape, "r2", [r1, TestGraphBuilder.Int64("s2", 4, -1)]);
        b.Output(r2);
        var feeds = b.RandomInputs();
        var before = ReferenceEvaluator.Run(b.Graph, feeds);

        var result = new IdentityElimination().Run(b.Graph);

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal("r2", node.Name);
        Assert.Same(x, node.Inputs[0]);
        Assert.Equal("s2", node.Inputs[1]!.Name);
        Assert.Equal(1, result.Count(IdentityElimination.ReshapesCollapsed));
        ReferenceEvaluator.AssertClose(before, ReferenceEvaluator.Run(b.Graph, feeds), 0);
    }

    [Fact]
    public void ReshapeChainStaysWhenTheOuterShapeCopiesADim()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2, 3, 4);
        var r1 = b.Op(OpTypes.Reshape, "r1", [x, TestGraphBuilder.Int64("s1", 6, 4)]);
        var r2 = b.Op(OpTypes.Reshape, "r2", [r1, TestGraphBuilder.Int64("s2", 0, 2, -1)]);
        b.Output(r2);

        new IdentityElimination().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
        Assert.Same(r1, b.Graph.Nodes[1].Inputs[0]);
    }

    [Fact]
    public void ReshapeChainCollapsesWithZeroWhenAllowZero()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 0, 4);
        var r1 = b.Op(OpTypes.Reshape, "r1", [x, TestGraphBuilder.Int64("s1", 4, 0)]);
        var r2 = b.Op(OpTypes.Reshape, "r2", [r1, TestGraphBuilder.Int64("s2", 0, 2, 2)], attributes: TestGraphBuilder.Attrs(("allowzero", 1)));
        b.Output(r2);

        new IdentityElimination().Run(b.Graph);

        Assert.Same(x, Assert.Single(b.Graph.Nodes).Inputs[0]);
    }

    [Fact]
    public void ReshapeChainStaysWhenAShapeIsComputed()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2, 3, 4);
        var shape = b.Input("shape", 2);
        var r1 = b.Op(OpTypes.Reshape, "r1", [x, shape]);
        var r2 = b.Op(OpTypes.Reshape, "r2", [r1, TestGraphBuilder.Int64("s2", 24)]);
        b.Output(r2);

        new IdentityElimination().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
    }

    [Fact]
    public void InnerReshapeWithAnotherReaderStaysButTheOuterSkipsIt()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2, 3, 4);
        var r1 = b.Op(OpTypes.Reshape, "r1", [x, TestGraphBuilder.Int64("s1", 6, 4)]);
        var r2 = b.Op(OpTypes.Reshape, "r2", [r1, TestGraphBuilder.Int64("s2", 24)]);
        var other = b.Op(OpTypes.Relu, "other", [r1]);
        b.Output(r2, other);

        var result = new IdentityElimination().Run(b.Graph);

        Assert.Equal(["r1", "r2", "other"], b.Graph.Nodes.Select(n => n.Name));
        Assert.Same(x, b.Graph.Nodes[1].Inputs[0]);
        Assert.Equal(0, result.Count(IdentityElimination.BypassedNodesRemoved));
    }

    [Fact]
    public void InverseTransposesCancel()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 2, 3, 4);
        var relu = b.Op(OpTypes.Relu, "relu", [x]);
        var t1 = b.Op(OpTypes.Transpose, "to_nhwc", [relu], attributes: TestGraphBuilder.Attrs(("perm", new long[] { 0, 2, 3, 1 })));
        var t2 = b.Op(OpTypes.Transpose, "to_nchw", [t1], attributes: TestGraphBuilder.Attrs(("perm", new long[] { 0, 3, 1, 2 })));
        var y = b.Op(OpTypes.Sigmoid, "y", [t2]);
        b.Output(y);

        var result = new IdentityElimination().Run(b.Graph);

        Assert.Equal(["relu", "y"], b.Graph.Nodes.Select(n => n.Name));
        Assert.Same(relu, b.Graph.Nodes[1].Inputs[0]);
        Assert.Equal(1, result.Count(IdentityElimination.TransposesCancelled));
        Assert.Equal(1, result.Count(IdentityElimination.BypassedNodesRemoved));
    }

    [Fact]
    public void InverseTransposesOfAGraphInputIntoAGraphOutputStay()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 2, 3);
        var t1 = b.Op(OpTypes.Transpose, "t1", [x], attributes: TestGraphBuilder.Attrs(("perm", new long[] { 0, 2, 1 })));
        var t2 = b.Op(OpTypes.Transpose, "t2", [t1], attributes: TestGraphBuilder.Attrs(("perm", new long[] { 0, 2, 1 })));
        b.Output(t2);

        new IdentityElimination().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
        Assert.Equal("t2", b.Graph.Outputs[0].Name);
    }

    [Fact]
    public void ReversingTransposesWithEmptyPermsCancel()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2, 3);
        var relu = b.Op(OpTypes.Relu, "relu", [x]);
        var t1 = b.Op(OpTypes.Transpose, "t1", [relu]);
        var t2 = b.Op(OpTypes.Transpose, "t2", [t1]);
        b.Output(t2);

        new IdentityElimination().Run(b.Graph);

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal("relu", node.Name);
        Assert.Equal("t2", node.Outputs[0].Name);   // the output's name survives on the producer
        Assert.Same(b.Graph.Outputs[0], node.Outputs[0]);
    }

    [Fact]
    public void NonInverseTransposesMergeIntoOneComputingTheSame()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2, 3, 4, 5);
        var t1 = b.Op(OpTypes.Transpose, "t1", [x], attributes: TestGraphBuilder.Attrs(("perm", new long[] { 0, 2, 3, 1 })));
        var t2 = b.Op(OpTypes.Transpose, "t2", [t1], attributes: TestGraphBuilder.Attrs(("perm", new long[] { 0, 2, 3, 1 })));
        b.Output(t2);
        var feeds = b.RandomInputs();
        var before = ReferenceEvaluator.Run(b.Graph, feeds);

        var result = new IdentityElimination().Run(b.Graph);

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal("t2", node.Name);
        Assert.Same(x, node.Inputs[0]);
        Assert.Equal([0L, 3, 1, 2], node.Attributes.GetInts("perm", []));
        Assert.Equal(1, result.Count(IdentityElimination.TransposesMerged));
        ReferenceEvaluator.AssertClose(before, ReferenceEvaluator.Run(b.Graph, feeds), 0);
    }

    [Fact]
    public void TransposesWithMismatchedRanksStay()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2, 3, 4);
        var t1 = b.Op(OpTypes.Transpose, "t1", [x], attributes: TestGraphBuilder.Attrs(("perm", new long[] { 0, 2, 1 })));
        var t2 = b.Op(OpTypes.Transpose, "t2", [t1], attributes: TestGraphBuilder.Attrs(("perm", new long[] { 1, 0 })));
        b.Output(t2);

        var result = new IdentityElimination().Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
        Assert.False(result.Changed);
    }

    [Fact]
    public void TransposeChainOfThreeFoldsToOne()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2, 3, 4);
        Value v = x;
        foreach (var name in new[] { "t1", "t2", "t3" })
            v = b.Op(OpTypes.Transpose, name, [v], attributes: TestGraphBuilder.Attrs(("perm", new long[] { 1, 2, 0 })));
        var y = b.Op(OpTypes.Relu, "y", [v]);
        b.Output(y);

        new IdentityElimination().Run(b.Graph);

        // Three rotations of a rank-3 tensor are the identity.
        Assert.Equal(["y"], b.Graph.Nodes.Select(n => n.Name));
        Assert.Same(x, b.Graph.Nodes[0].Inputs[0]);
    }
}
