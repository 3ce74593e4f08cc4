using Atc.Compiler.Passes;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

public class DeadNodeEliminationTests
{
    [Fact]
    public void RemovesNodesWhoseOutputsReachNoGraphOutput()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1, 4);
        var live = b.Op(OpTypes.Relu, "live", [x]);
        var dead = b.Op(OpTypes.Sigmoid, "dead", [x]);
        b.Op(OpTypes.Relu, "dead_too", [dead]);
        b.Output(live);

        var result = new DeadNodeElimination().Run(b.Graph);

        Assert.Equal(["live"], b.Graph.Nodes.Select(n => n.Name));
        Assert.Equal(2, result.Count(DeadNodeElimination.NodesRemoved));
        Assert.Equal((3, 1), (result.NodesBefore, result.NodesAfter));
        Assert.Same(x, Assert.Single(b.Graph.Inputs));
    }

    [Fact]
    public void KeepsMultiOutputNodeWhenOneOutputIsUsedAndKeepsOrder()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 4, 4);
        var split = b.AddNode(OpTypes.Split, "split", [x], outputs: 2);
        var first = b.Op(OpTypes.Relu, "first", [split.Outputs[0]]);
        b.Op(OpTypes.Relu, "unused", [split.Outputs[1]]);
        var last = b.Op(OpTypes.Sigmoid, "last", [first]);
        b.Output(last);

        new DeadNodeElimination().Run(b.Graph);

        Assert.Equal(["split", "first", "last"], b.Graph.Nodes.Select(n => n.Name));
        Assert.Null(GraphInvariants.FindProblem(b.Graph));
    }

    [Fact]
    public void KeepsUnusedGraphInputsAndEverythingLive()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2);
        b.Input("unused", 3);
        var y = b.Op(OpTypes.Add, "y", [x, x]);
        b.Output(y);

        var result = new DeadNodeElimination().Run(b.Graph);

        Assert.Equal(2, b.Graph.Inputs.Count);
        Assert.Single(b.Graph.Nodes);
        Assert.False(result.Changed);
    }
}
