using Atc.Compiler.Passes;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

public class ConstantFoldingTests
{
    [Fact]
    public void FoldsAChainOfConstantNodesKeepingTheirNames()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 3);
        var c1 = TestGraphBuilder.Const("c1", [3], [1f, 2f, 3f]);
        var c2 = TestGraphBuilder.Const("c2", [3], [10f, 20f, 30f]);
        var c3 = TestGraphBuilder.Const("c3", [3], [0.5f, 0.25f, 0.125f]);
        var k1 = b.Op(OpTypes.Add, "k1", [c1, c2], [-1]);
        var k2 = b.Op(OpTypes.Add, "k2", [k1, c3], [-1]);
        var y = b.Op(OpTypes.Add, "y", [x, k2]);
        b.Output(y);
        var add = new TestOperators.SameShapeAdd();

        var result = new ConstantFolding(TestOperators.Lookup(add)).Run(b.Graph);

        var node = Assert.Single(b.Graph.Nodes);
        Assert.Equal("y", node.Name);
        Assert.Same(k2, node.Inputs[1]);
        Assert.Equal("k2", k2.Name);
        Assert.True(k2.IsConstant);
        Assert.Null(k2.Producer);
        Assert.Equal([3L], k2.Shape!);
        Assert.Equal([11.5f, 22.25f, 33.125f], k2.Constant!.ToFloatArray());
        Assert.Equal(2, result.Count(ConstantFolding.NodesFolded));
        Assert.Equal(2, add.KernelsCreated);
        Assert.Null(GraphInvariants.FindProblem(b.Graph));
    }

    [Fact]
    public void FoldsEveryOutputOfAMultiOutputNode()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2);
        var split = b.AddNode(OpTypes.Split, "split", [TestGraphBuilder.Const("c", [4], [1f, 2f, 3f, 4f])], outputs: 2);
        var y = b.Op(OpTypes.Add, "y", [x, split.Outputs[1]]);
        b.Output(y);

        new ConstantFolding(TestOperators.Lookup(new TestOperators.Halves())).Run(b.Graph);

        Assert.Equal(["y"], b.Graph.Nodes.Select(n => n.Name));
        Assert.Equal([3f, 4f], split.Outputs[1].Constant!.ToFloatArray());
        Assert.Equal([1f, 2f], split.Outputs[0].Constant!.ToFloatArray());
    }

    [Fact]
    public void LeavesNodesWithRuntimeInputsUnregisteredOpsAndGraphOutputs()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 3);
        var c = TestGraphBuilder.Const("c", [3], [1f, 2f, 3f]);
        var runtime = b.Op(OpTypes.Add, "runtime", [x, c]);
        var unregistered = b.Op(OpTypes.Relu, "unregistered", [c]);
        var output = b.Op(OpTypes.Add, "output", [c, c]);
        var y = b.Op(OpTypes.Add, "y", [runtime, unregistered]);
        b.Output(y, output);

        var result = new ConstantFolding(TestOperators.Lookup(new TestOperators.SameShapeAdd())).Run(b.Graph);

        Assert.Equal(4, b.Graph.Nodes.Count);
        Assert.False(result.Changed);
        Assert.False(output.IsConstant);
    }

    [Fact]
    public void SkipsNodesWhoseOutputsWouldBeTooLarge()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 1024);
        var c = b.Const("c", [1024]);
        var k = b.Op(OpTypes.Add, "k", [c, c]);
        b.Output(b.Op(OpTypes.Add, "y", [x, k]));

        var result = new ConstantFolding(TestOperators.Lookup(new TestOperators.SameShapeAdd()), maxOutputBytes: 1024).Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
        Assert.Equal(1, result.Count(ConstantFolding.SkippedTooLarge));
        Assert.Contains("4096 bytes", Assert.Single(result.Notes));
    }

    [Fact]
    public void OutputSizesThatWouldWrapALongAreTooLargeNotSmall()
    {
        // Issue 10: [2^31-1, 2^31-1, 4] float32 wraps TensorType.ByteCount; the fold must be skipped as too large.
        var b = new TestGraphBuilder();
        var huge = b.Op(OpTypes.ConstantOfShape, "huge", [TestGraphBuilder.Int64("s", int.MaxValue, int.MaxValue, 4)]);
        b.Output(b.Op(OpTypes.Relu, "z", [huge]));

        var result = new ConstantFolding(TestOperators.Lookup(new TestOperators.Ones())).Run(b.Graph);

        Assert.False(huge.IsConstant);
        Assert.Equal(1, result.Count(ConstantFolding.SkippedTooLarge));
    }

    [Fact]
    public void ExpandingOpsFoldOnlyWhenSmall()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 4, 4);
        var small = b.Op(OpTypes.ConstantOfShape, "small", [TestGraphBuilder.Int64("s", 4, 4)]);
        var large = b.Op(OpTypes.ConstantOfShape, "large", [TestGraphBuilder.Int64("l", 256, 256)]);
        b.Output(b.Op(OpTypes.Add, "y", [x, small]), b.Op(OpTypes.Relu, "z", [large]));

        var result = new ConstantFolding(TestOperators.Lookup(new TestOperators.Ones())).Run(b.Graph);

        Assert.True(small.IsConstant);
        Assert.Equal(Enumerable.Repeat(1f, 16), small.Constant!.ToFloatArray());
        Assert.False(large.IsConstant);
        Assert.Equal(1, result.Count(ConstantFolding.SkippedTooLarge));
    }

    [Fact]
    public void AFailingShapeRuleLeavesTheNodeForThePlannerToReport()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", 3);
        var k = b.Op(OpTypes.Add, "k", [TestGraphBuilder.Const("a", [3], [1f, 2f, 3f]), TestGraphBuilder.Const("b", [2], [1f, 2f])]);
        b.Output(b.Op(OpTypes.Add, "y", [x, k]));

        var result = new ConstantFolding(TestOperators.Lookup(new TestOperators.SameShapeAdd())).Run(b.Graph);

        Assert.Equal(2, b.Graph.Nodes.Count);
        Assert.Equal(1, result.Count(ConstantFolding.SkippedFailed));
        Assert.Contains("Add 'k'", Assert.Single(result.Notes));
    }

    /// <summary>Uses the runtime's own operators once they are registered; until then there is nothing to check.</summary>
    [Fact]
    public void FoldsWithTheRuntimeRegistryWhenItImplementsTheOp()
    {
        if (!OperatorRegistry.IsSupported(OpTypes.Add) || !OperatorRegistry.IsSupported(OpTypes.Mul))
        {
            Console.WriteLine("skipped: the runtime does not register Add and Mul yet");
            return;
        }
        var b = new TestGraphBuilder();
        var x = b.Input("x", 2, 3);
        var c = TestGraphBuilder.Const("c", [2, 3], [1f, 2f, 3f, 4f, 5f, 6f]);
        var bias = TestGraphBuilder.Const("bias", [3], [0.5f, -1f, 2f]);
        var sum = b.Op(OpTypes.Add, "sum", [c, bias]);
        var scaled = b.Op(OpTypes.Mul, "scaled", [sum, TestGraphBuilder.Const("two", [], [2f])]);
        b.Output(b.Op(OpTypes.Add, "y", [x, scaled]));

        var result = new ConstantFolding().Run(b.Graph);

        Assert.Equal(2, result.Count(ConstantFolding.NodesFolded));
        Assert.Equal([2, 3], scaled.Constant!.Dims);
        Assert.Equal(DataType.Float32, scaled.Type);
        Assert.Equal([3f, 2f, 10f, 9f, 8f, 16f], scaled.Constant.ToFloatArray());
    }
}
