using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Tests.Ops;

namespace Atc.Tests.TensorOps;

public class IndexingOpTests
{
    [Fact]
    public void GatherElementsFollowsTheOnnxExamples()
    {
        var data = T.F([2, 2], 1, 2, 3, 4);
        T.Close([2, 2], [1, 1, 4, 3], OpTester.Run(OpTypes.GatherElements, T.Attrs(("axis", 1L)), data, T.L([2, 2], 0, 0, 1, 0)));
        var grid = T.F([3, 3], 1, 2, 3, 4, 5, 6, 7, 8, 9);
        T.Close([2, 3], [4, 8, 3, 7, 2, 3], OpTester.Run(OpTypes.GatherElements, null, grid, T.I([2, 3], 1, 2, 0, 2, 0, 0)));
        // Negative indices count from the end; run-time indices take the same path.
        T.Close([2, 3], [7, 5, 3, 4, 2, 9], OpTester.RunDynamic(OpTypes.GatherElements, null, [true, false], grid, T.L([2, 3], -1, 1, 0, 1, 0, -1)));
    }

    [Fact]
    public void GatherElementsRejectsBadShapesAndIndices()
    {
        var grid = T.Iota(3, 3);
        OpTester.ShapeError(OpTypes.GatherElements, null, [grid, T.L([3], 0, 1, 2)], "rank");
        OpTester.ShapeError(OpTypes.GatherElements, T.Attrs(("axis", 0L)), [grid, T.L([1, 4], 0, 1, 2, 0)], "axis 1");
        OpTester.ShapeError(OpTypes.GatherElements, null, [grid, T.L([1, 1], 3)], "index 3", "size 3");
        OpTester.ShapeError(OpTypes.GatherElements, T.Attrs(("axis", 2L)), [grid, T.L([1, 1], 0)], "axis 2");
        Assert.Throws<InferenceInputException>(() => OpTester.RunDynamic(OpTypes.GatherElements, null, [true, false], grid, T.L([1, 1], 5)));
    }

    [Fact]
    public void ScatterElementsWritesAndReduces()
    {
        var data = T.F([1, 5], 1, 2, 3, 4, 5);
        var indices = T.L([1, 2], 1, 3);
        var updates = T.F([1, 2], 1.1f, 2.1f);
        T.Close([1, 5], [1, 1.1f, 3, 2.1f, 5], OpTester.Run(OpTypes.ScatterElements, T.Attrs(("axis", 1L)), data, indices, updates));
        // Duplicates reduce in order.
        var duplicate = T.L([1, 2], 1, 1);
        T.Close([1, 5], [1, 5.2f, 3, 4, 5], OpTester.Run(OpTypes.ScatterElements, T.Attrs(("axis", 1L), ("reduction", "add")), data, duplicate, updates), 1e-6f);
        T.Close([1, 5], [1, 2 * 1.1f * 2.1f, 3, 4, 5], OpTester.Run(OpTypes.ScatterElements, T.Attrs(("axis", 1L), ("reduction", "mul")), data, duplicate, updates), 1e-6f);
        T.Close([1, 5], [1, 2.1f, 3, 4, 5], OpTester.Run(OpTypes.ScatterElements, T.Attrs(("axis", 1L)), data, duplicate, updates));
        // Axis 0 on a 3x3 grid (ONNX example) with int64 data.
        var zeros = T.L([3, 3], 0, 0, 0, 0, 0, 0, 0, 0, 0);
        T.Longs([3, 3], [20, 11, 0, 10, 0, 22, 0, 21, 12],
            OpTester.Run(OpTypes.ScatterElements, null, zeros, T.L([2, 3], 1, 0, 2, 0, 2, 1), T.L([2, 3], 10, 11, 12, 20, 21, 22)));
        OpTester.ShapeError(OpTypes.ScatterElements, T.Attrs(("axis", 1L), ("reduction", "avg")), [data, indices, updates], "avg");
        OpTester.ShapeError(OpTypes.ScatterElements, T.Attrs(("axis", 1L)), [data, indices, T.F([2], 1, 2)], "updates", "[2]");
    }

    [Fact]
    public void GatherNDFollowsTheOnnxExamples()
    {
        var data = T.I([2, 2], 0, 1, 2, 3);
        T.Equal<int>(DataType.Int32, [2], [0, 3], OpTester.Run(OpTypes.GatherND, null, data, T.L([2, 2], 0, 0, 1, 1)));
        T.Equal<int>(DataType.Int32, [2, 2], [2, 3, 0, 1], OpTester.Run(OpTypes.GatherND, null, data, T.L([2, 1], 1, 0)));
        var cube = T.F([2, 2, 2], 0, 1, 2, 3, 4, 5, 6, 7);
        T.Close([2, 2], [2, 3, 4, 5], OpTester.Run(OpTypes.GatherND, null, cube, T.L([2, 2], 0, 1, 1, 0)));
        T.Close([2, 1, 2], [2, 3, 4, 5], OpTester.Run(OpTypes.GatherND, null, cube, T.L([2, 1, 2], 0, 1, 1, 0)));
        // batch_dims 1: each batch indexes its own matrix.
        T.Close([2, 2], [2, 3, 4, 5], OpTester.Run(OpTypes.GatherND, T.Attrs(("batch_dims", 1L)), cube, T.L([2, 1], 1, 0)));
        OpTester.ShapeError(OpTypes.GatherND, null, [cube, T.L([1, 4], 0, 0, 0, 0)], "last axis");
        OpTester.ShapeError(OpTypes.GatherND, T.Attrs(("batch_dims", 1L)), [cube, T.L([3, 1], 0, 0, 0)], "batch axis 0");
    }

    [Fact]
    public void ScatterNDWritesSlicesAndReduces()
    {
        var data = T.F([8], 1, 2, 3, 4, 5, 6, 7, 8);
        var indices = T.L([4, 1], 4, 3, 1, 7);
        var updates = T.F([4], 9, 10, 11, 12);
        T.Close([8], [1, 11, 3, 10, 9, 6, 7, 12], OpTester.Run(OpTypes.ScatterND, null, data, indices, updates));
        T.Close([8], [1, 13, 3, 14, 14, 6, 7, 20], OpTester.Run(OpTypes.ScatterND, T.Attrs(("reduction", "add")), data, indices, updates));
        // Slices of a 2x2x2 cube.
        var cube = T.Iota(2, 2, 2);
        T.Close([2, 2, 2], [9, 9, 9, 9, 4, 5, 6, 7], OpTester.Run(OpTypes.ScatterND, null, cube, T.L([1, 1], 0), T.F([1, 2, 2], 9, 9, 9, 9)));
        T.Close([2, 2, 2], [0, 1, 2, 3, 4, 5, 8, 7], OpTester.Run(OpTypes.ScatterND, T.Attrs(("reduction", "mul")), cube, T.L([1, 3], 1, 1, 0), T.F([1], 4f / 3)), 1e-6f);
        OpTester.ShapeError(OpTypes.ScatterND, null, [data, indices, T.F([3], 1, 2, 3)], "updates", "[4]");
    }

    [Fact]
    public void TriluKeepsOneTriangle()
    {
        var x = T.Iota(3, 4);
        T.Close([3, 4], [0, 1, 2, 3, 0, 5, 6, 7, 0, 0, 10, 11], OpTester.Run(OpTypes.Trilu, null, x));
        T.Close([3, 4], [0, 0, 0, 0, 4, 5, 0, 0, 8, 9, 10, 0], OpTester.Run(OpTypes.Trilu, T.Attrs(("upper", 0L)), x));
        T.Close([3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11], OpTester.Run(OpTypes.Trilu, null, x, T.L([], -1)));
        T.Close([3, 4], [0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0], OpTester.Run(OpTypes.Trilu, T.Attrs(("upper", 0L)), x, T.L([], -2)));
        T.Close([3, 4], new float[12], OpTester.Run(OpTypes.Trilu, null, x, T.L([], 9)));
        // Batches of matrices, int64.
        var batch = T.L([2, 2, 2], 1, 2, 3, 4, 5, 6, 7, 8);
        T.Longs([2, 2, 2], [1, 0, 3, 4, 5, 0, 7, 8], OpTester.Run(OpTypes.Trilu, T.Attrs(("upper", 0L)), batch));
        OpTester.ShapeError(OpTypes.Trilu, null, [T.Iota(3)], "rank ≥ 2");
        Assert.Throws<DataDependentShapeException>(() => OpTester.RunDynamic(OpTypes.Trilu, null, [true, false], x, T.L([], 1)));
    }

    [Fact]
    public void EyeLikePlacesOnesOnTheShiftedDiagonal()
    {
        var x = T.L([3, 4], new long[12]);
        T.Longs([3, 4], [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], OpTester.Run(OpTypes.EyeLike, T.Attrs(("k", 1L)), x));
        T.Close([3, 4], [0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0],
            OpTester.Run(OpTypes.EyeLike, T.Attrs(("k", -1L), ("dtype", (long)DataType.Float32)), x));
        OpTester.ShapeError(OpTypes.EyeLike, null, [T.Iota(2, 2, 2)], "2-D");
        OpTester.ShapeError(OpTypes.EyeLike, T.Attrs(("dtype", 10L)), [x], "dtype 10");
    }

    [Fact]
    public void OneHotInsertsTheDepthAxis()
    {
        var values = T.F([2], 0, 5);
        // Default axis -1, negative and out-of-range indices.
        T.Close([4, 3], [0, 5, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0], OpTester.Run(OpTypes.OneHot, null, T.L([4], 1, -1, 3, 0), T.L([], 3), values));
        // Axis 0 on 2-D float indices (fractions truncate).
        var onehot = OpTester.Run(OpTypes.OneHot, T.Attrs(("axis", 0L)), T.F([2, 2], 0f, 1.7f, 2f, 0f), T.F([], 3), values);
        T.Close([3, 2, 2], [5, 0, 0, 5, 0, 5, 0, 0, 0, 0, 5, 0], onehot);
        // Run-time values.
        T.Longs([2, 2], [1, 7, 7, 1], OpTester.RunDynamic(OpTypes.OneHot, null, [false, true, false], T.I([2], 1, 0), T.L([], 2), T.L([2], 1, 7)));
        OpTester.ShapeError(OpTypes.OneHot, null, [T.L([2], 0, 1), T.L([], 0), values], "depth 0");
        OpTester.ShapeError(OpTypes.OneHot, T.Attrs(("axis", 3L)), [T.L([2], 0, 1), T.L([], 2), values], "axis 3");
        OpTester.ShapeError(OpTypes.OneHot, null, [T.L([2], 0, 1), T.L([], 2), T.F([3], 0, 1, 2)], "values");
    }
}
