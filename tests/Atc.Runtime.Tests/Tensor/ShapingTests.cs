using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Tests.Ops;

namespace Atc.Tests.TensorOps;

public class ShapingTests
{
    [Theory]
    [InlineData(new long[] { 4, 2, 3 }, new[] { 4, 2, 3 })]
    [InlineData(new long[] { 2, -1 }, new[] { 2, 12 })]
    [InlineData(new long[] { 0, 3, 4 }, new[] { 2, 3, 4 })]   // 0 copies the input dim
    [InlineData(new long[] { 0, -1 }, new[] { 2, 12 })]
    [InlineData(new long[] { 24 }, new[] { 24 })]
    [InlineData(new long[] { 2, 3, 2, 2 }, new[] { 2, 3, 2, 2 })]
    public void ReshapeKeepsDataAndComputesDims(long[] shape, int[] expected)
    {
        var x = T.Iota(2, 3, 4);
        var y = OpTester.Run(OpTypes.Reshape, null, x, T.Longs(shape));
        T.Close(expected, x.ToFloatArray(), y);
    }

    [Fact]
    public void ReshapeAllowZeroMakesZeroSizeDims()
    {
        // ONNX test_reshape_allowzero_reordered: [0,3,4] reshaped to [3,4,0] with allowzero=1.
        var x = T.F([0, 3, 4]);
        T.Dims([3, 4, 0], OpTester.Run(OpTypes.Reshape, T.Attrs(("allowzero", 1)), x, T.Longs(3, 4, 0)));
        OpTester.ShapeError(OpTypes.Reshape, T.Attrs(("allowzero", 1)), [T.Iota(2, 3), T.Longs(0, 6)], "[0,6]");
    }

    [Fact]
    public void ReshapeErrorsNameTheShape()
    {
        OpTester.ShapeError(OpTypes.Reshape, null, [T.Iota(2, 3), T.Longs(4, 2)], "[2,3]", "[4,2]", "6");
        OpTester.ShapeError(OpTypes.Reshape, null, [T.Iota(2, 3), T.Longs(-1, -1)], "more than one -1");
        OpTester.ShapeError(OpTypes.Reshape, null, [T.Iota(2, 3), T.Longs(4, -1)], "-1", "4");
        OpTester.ShapeError(OpTypes.Reshape, null, [T.Iota(6), T.Longs(-2, 3)], "-2");
        var e = Assert.Throws<DataDependentShapeException>(() => OpTester.RunDynamic(OpTypes.Reshape, null, [true, false], T.Iota(6), T.Longs(2, 3)));
        Assert.Contains("computed at run time", e.Message);
    }

    [Theory]
    [InlineData(0, new[] { 1, 120 })]
    [InlineData(1, new[] { 2, 60 })]
    [InlineData(2, new[] { 6, 20 })]
    [InlineData(4, new[] { 120, 1 })]
    [InlineData(-1, new[] { 24, 5 })]
    [InlineData(-4, new[] { 1, 120 })]
    public void FlattenSplitsAtTheAxis(long axis, int[] expected)
    {
        var x = T.Iota(2, 3, 4, 5);
        T.Close(expected, x.ToFloatArray(), OpTester.Run(OpTypes.Flatten, T.Attrs(("axis", axis)), x));
    }

    [Fact]
    public void FlattenAxisOutOfRange() => OpTester.ShapeError(OpTypes.Flatten, T.Attrs(("axis", 5)), [T.Iota(2, 3, 4, 5)], "axis 5", "rank 4");

    [Fact]
    public void SqueezeAndUnsqueeze()
    {
        var x = T.Iota(1, 3, 1, 5);
        T.Dims([3, 5], OpTester.Run(OpTypes.Squeeze, null, x));
        T.Dims([3, 1, 5], OpTester.Run(OpTypes.Squeeze, T.Attrs(("axes", new long[] { 0 })), x));
        T.Dims([1, 3, 5], OpTester.Run(OpTypes.Squeeze, T.Attrs(("axes", new long[] { -2 })), x));
        T.Dims([3, 5], OpTester.Run(OpTypes.Squeeze, null, x, T.Longs(0, 2)));
        OpTester.ShapeError(OpTypes.Squeeze, T.Attrs(("axes", new long[] { 1 })), [x], "axis 1", "size 3");

        var y = T.Iota(3, 4, 5);
        T.Dims([1, 3, 4, 5], OpTester.Run(OpTypes.Unsqueeze, T.Attrs(("axes", new long[] { 0 })), y));
        T.Dims([3, 4, 5, 1], OpTester.Run(OpTypes.Unsqueeze, T.Attrs(("axes", new long[] { -1 })), y));
        T.Dims([3, 1, 4, 5, 1], OpTester.Run(OpTypes.Unsqueeze, null, y, T.Longs(4, 1)));
        T.Close([1, 3, 1, 4, 5], y.ToFloatArray(), OpTester.Run(OpTypes.Unsqueeze, null, y, T.Longs(0, 2)));
        OpTester.ShapeError(OpTypes.Unsqueeze, T.Attrs(("axes", new long[] { 0, 0 })), [y], "twice");
        OpTester.ShapeError(OpTypes.Unsqueeze, T.Attrs(("axes", new long[] { 5 })), [y], "axis 5", "rank 4");
    }

    [Fact]
    public void ShapeWithStartAndEnd()
    {
        var x = T.Iota(3, 4, 5);
        T.Longs([3], [3, 4, 5], OpTester.Run(OpTypes.Shape, null, x));
        T.Longs([2], [4, 5], OpTester.Run(OpTypes.Shape, T.Attrs(("start", 1)), x));
        T.Longs([2], [3, 4], OpTester.Run(OpTypes.Shape, T.Attrs(("end", -1)), x));
        T.Longs([1], [5], OpTester.Run(OpTypes.Shape, T.Attrs(("start", -1)), x));
        T.Longs([3], [3, 4, 5], OpTester.Run(OpTypes.Shape, T.Attrs(("start", -10), ("end", 10)), x));
        T.Longs([0], [], OpTester.Run(OpTypes.Shape, T.Attrs(("start", 2), ("end", 1)), x));
        T.Longs([], [60], OpTester.Run(OpTypes.Size, null, x));
        T.Longs([2], [1, 2], OpTester.Run(OpTypes.Shape, null, T.B([1, 2], true, false)));
    }

    [Fact]
    public void ConstantOfShapeFillsWithTheValueType()
    {
        T.Close([2, 3], [0, 0, 0, 0, 0, 0], OpTester.Run(OpTypes.ConstantOfShape, null, T.Longs(2, 3)));
        T.Longs([3], [7, 7, 7], OpTester.Run(OpTypes.ConstantOfShape, T.Attrs(("value", new AttributeValue(T.Longs(7)))), T.Longs(3)));
        T.Equal(DataType.Int32, [0], Array.Empty<int>(), OpTester.Run(OpTypes.ConstantOfShape, T.Attrs(("value", new AttributeValue(T.I([1], 0)))), T.Longs(0)));
        T.Close([], [1.5f], OpTester.Run(OpTypes.ConstantOfShape, T.Attrs(("value", new AttributeValue(T.F([1], 1.5f)))), T.L([0])));
        OpTester.ShapeError(OpTypes.ConstantOfShape, null, [T.Longs(2, -1)], "[2,-1]");
    }

    [Fact]
    public void RangeFollowsOnnxExamples()
    {
        // test_range_float_type_positive_delta and test_range_int32_type_negative_delta.
        T.Close([2], [1, 3], OpTester.Run(OpTypes.Range, null, T.F([], 1), T.F([], 5), T.F([], 2)));
        T.Equal(DataType.Int32, [2], new[] { 10, 7 }, OpTester.Run(OpTypes.Range, null, T.I([], 10), T.I([], 6), T.I([], -3)));
        T.Longs([4], [0, 1, 2, 3], OpTester.Run(OpTypes.Range, null, T.L([], 0), T.L([], 4), T.L([], 1)));
        T.Longs([0], [], OpTester.Run(OpTypes.Range, null, T.L([], 5), T.L([], 4), T.L([], 1)));
        T.Close([4], [0, 0.1f, 0.2f, 0.3f], OpTester.Run(OpTypes.Range, null, T.F([], 0), T.F([], 0.4f), T.F([], 0.1f)), 1e-6f);
        OpTester.ShapeError(OpTypes.Range, null, [T.L([], 0), T.L([], 4), T.L([], 0)], "delta");
    }

    [Fact]
    public void IdentityCopiesAnyType()
    {
        T.Longs([2], [5, -5], OpTester.Run(OpTypes.Identity, null, T.Longs(5, -5)));
        T.Bools([2], [true, false], OpTester.Run(OpTypes.Identity, null, T.B([2], true, false)));
    }
}
