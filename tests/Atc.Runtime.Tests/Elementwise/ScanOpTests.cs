using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Tests.Ops;

public class ScanOpTests
{
    [Fact]
    public void CumSumFollowsTheOnnxExamples()
    {
        var x = T.F([5], 1, 2, 3, 4, 5);
        var axis = T.I([], 0);
        T.Close([5], [1, 3, 6, 10, 15], OpTester.Run(OpTypes.CumSum, null, x, axis));
        T.Close([5], [0, 1, 3, 6, 10], OpTester.Run(OpTypes.CumSum, T.Attrs(("exclusive", 1L)), x, axis));
        T.Close([5], [15, 14, 12, 9, 5], OpTester.Run(OpTypes.CumSum, T.Attrs(("reverse", 1L)), x, axis));
        T.Close([5], [14, 12, 9, 5, 0], OpTester.Run(OpTypes.CumSum, T.Attrs(("reverse", 1L), ("exclusive", 1L)), x, axis));
        var grid = T.L([2, 3], 1, 2, 3, 4, 5, 6);
        T.Longs([2, 3], [1, 2, 3, 5, 7, 9], OpTester.Run(OpTypes.CumSum, null, grid, T.L([], 0)));
        T.Longs([2, 3], [1, 3, 6, 4, 9, 15], OpTester.Run(OpTypes.CumSum, null, grid, T.L([], -1)));
        OpTester.ShapeError(OpTypes.CumSum, null, [grid, T.L([], 2)], "axis 2", "rank 2");
        // A computed axis: the planner runs the node in the dynamic region (DataDependentShapeException at plan time).
        Assert.Throws<DataDependentShapeException>(() => OpTester.RunDynamic(OpTypes.CumSum, null, [true, false], grid, T.L([], 0)));
    }

    [Fact]
    public void HardmaxMarksTheFirstMaximum()
    {
        var x = T.F([2, 4], 3, 0, 1, 3, 0, 1, 2, 2);
        T.Close([2, 4], [1, 0, 0, 0, 0, 0, 1, 0], OpTester.Run(OpTypes.Hardmax, null, x));
        T.Close([2, 4], [1, 0, 0, 1, 0, 1, 1, 0], OpTester.Run(OpTypes.Hardmax, T.Attrs(("axis", 0L)), x));
        // Legacy (opset < 13): flattened from axis 0, one maximum over the whole tensor.
        T.Close([2, 4], [1, 0, 0, 0, 0, 0, 0, 0], OpTester.Run(OpTypes.Hardmax, T.Attrs(("axis", 0L), ("legacy", 1L)), x));
        OpTester.ShapeError(OpTypes.Hardmax, T.Attrs(("axis", 2L)), [x], "axis 2");
    }

    [Fact]
    public void TopKReturnsSortedValuesAndIndices()
    {
        var x = T.F([3, 4], 0, 1, 2, 3, 4, 5, 6, 7, 11, 10, 9, 8);
        var top = OpTester.RunMany(OpTypes.TopK, null, [x, T.Longs(3)], null, 2);
        T.Close([3, 3], [3, 2, 1, 7, 6, 5, 11, 10, 9], top[0]);
        T.Longs([3, 3], [3, 2, 1, 3, 2, 1, 0, 1, 2], top[1]);
        var smallest = OpTester.RunMany(OpTypes.TopK, T.Attrs(("largest", 0L), ("axis", 0L)), [x, T.Longs(2)], null, 2);
        T.Close([2, 4], [0, 1, 2, 3, 4, 5, 6, 7], smallest[0]);
        T.Longs([2, 4], [0, 0, 0, 0, 1, 1, 1, 1], smallest[1]);
        // Ties keep the lower index first.
        var ties = OpTester.RunMany(OpTypes.TopK, null, [T.I([5], 2, 7, 2, 7, 1), T.Longs(4)], null, 2);
        T.Equal<int>(DataType.Int32, [4], [7, 7, 2, 2], ties[0]);
        T.Longs([4], [1, 3, 0, 2], ties[1]);
        OpTester.ShapeError(OpTypes.TopK, null, [x, T.Longs(5)], "K 5", "size 4");
        Assert.Throws<DataDependentShapeException>(() => OpTester.RunDynamic(OpTypes.TopK, null, [true, false], x, T.Longs(1)));
    }
}
