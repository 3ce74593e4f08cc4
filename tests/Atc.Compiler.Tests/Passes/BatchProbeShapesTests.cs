using Atc.Compiler.Passes;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

public class BatchProbeShapesTests
{
    private static readonly long[] Same = [1, 1, 1, 1];

    /// <summary>A ResNet downsampling block with no intermediate shapes: a 3x3 stride-2 conv and a 1x1 stride-2
    /// projection of the same input, added, then a Relu.</summary>
    private static (TestGraphBuilder B, Ir.Value Main, Ir.Value Projection, Ir.Value Flat) DownsamplingBlock(long[] projectionPads)
    {
        var b = new TestGraphBuilder(17);
        var x = b.Input("x", -1, 2, 7, 7);
        var stride2 = TestGraphBuilder.Attrs(("strides", new long[] { 2, 2 }), ("pads", Same));
        var main = b.Op(OpTypes.Conv, "main", [x, b.Const("w", [4, 2, 3, 3])], null, stride2);
        var projection = b.Op(OpTypes.Conv, "proj", [x, b.Const("wp", [4, 2, 1, 1])], null,
            TestGraphBuilder.Attrs(("strides", new long[] { 2, 2 }), ("pads", projectionPads)));
        var sum = b.Op(OpTypes.Add, "sum", [main, projection]);
        var relu = b.Op(OpTypes.Relu, "relu", [sum]);
        var flat = b.Op(OpTypes.Flatten, "flat", [relu]);
        b.Output(flat);
        return (b, main, projection, flat);
    }

    [Fact]
    public void TheBatchIsMinusOneAndEveryOtherDimIsKnown()
    {
        var (b, main, projection, flat) = DownsamplingBlock([0, 0, 0, 0]);

        var shapes = BatchProbeShapes.Of(b.Graph);

        Assert.Equal([-1L, 4, 4, 4], shapes.ShapeOf(main)!);
        Assert.Equal([-1L, 4, 4, 4], shapes.ShapeOf(projection)!);
        Assert.Null(shapes.ShapeOf(flat));   // Flatten folds the batch into nothing it carries: not inferred
    }

    [Fact]
    public void AnInputWithAnotherUnknownDimGivesNoShapes()
    {
        var b = new TestGraphBuilder();
        var x = b.Input("x", -1, 2, -1, 5);
        var relu = b.Op(OpTypes.Relu, "r", [x]);
        b.Output(relu);

        Assert.Null(BatchProbeShapes.Of(b.Graph).ShapeOf(relu));
    }

    [Fact]
    public void AProjectionShortcutFusesAsTheResidualWhenTheInferredShapesMatch()
    {
        var (b, _, _, _) = DownsamplingBlock([0, 0, 0, 0]);

        var result = new BiasAndActivationFusion().Run(b.Graph);

        Assert.Equal(1, result.Count(BiasAndActivationFusion.ResidualsFused));
        Assert.Equal(1, result.Count(BiasAndActivationFusion.ActivationsFused));
        Assert.Equal(["flat", "main", "proj"], b.Graph.Nodes.Select(n => n.Name).Order());
    }

    [Fact]
    public void AShortcutOfAnotherSizeStaysAnAdd()
    {
        // Padding the projection makes it 5x5 against the main path's 4x4.
        var (b, _, _, _) = DownsamplingBlock([1, 1, 1, 1]);

        var result = new BiasAndActivationFusion().Run(b.Graph);

        Assert.Equal(0, result.Count(BiasAndActivationFusion.ResidualsFused));
        Assert.Contains(b.Graph.Nodes, n => n.OpType == OpTypes.Add);
    }
}
