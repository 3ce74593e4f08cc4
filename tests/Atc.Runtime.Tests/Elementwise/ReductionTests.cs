using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Tests.Ops;

public class ReductionTests
{
    public static TheoryData<int[]> AxisSets => new()
    {
        { [] }, { [0] }, { [1] }, { [2] }, { [3] }, { [0, 1] }, { [1, 2] }, { [2, 3] }, { [0, 2] }, { [1, 3] }, { [0, 3] },
        { [0, 1, 3] }, { [0, 1, 2, 3] },
    };

    private static readonly (string Op, Func<IEnumerable<double>, double> F)[] Reductions =
    [
        (OpTypes.ReduceSum, v => v.Sum()),
        (OpTypes.ReduceMean, v => v.Average()),
        (OpTypes.ReduceMax, v => v.Max()),
        (OpTypes.ReduceMin, v => v.Min()),
        (OpTypes.ReduceProd, v => v.Aggregate(1.0, (p, x) => p * x)),
        (OpTypes.ReduceSumSquare, v => v.Sum(x => x * x)),
        (OpTypes.ReduceL1, v => v.Sum(Math.Abs)),
        (OpTypes.ReduceL2, v => Math.Sqrt(v.Sum(x => x * x))),
        (OpTypes.ReduceLogSumExp, v => Math.Log(v.Sum(Math.Exp))),
    ];

    [Theory]
    [MemberData(nameof(AxisSets))]
    public void EveryReductionMatchesNaiveOverAnyAxes(int[] axes)
    {
        int[] dims = [2, 3, 4, 5];
        var x = T.F(dims, T.Random(31, dims, 1.2f).ToFloatArray());
        int[] all = axes.Length == 0 ? [0, 1, 2, 3] : axes;
        foreach (var (op, f) in Reductions)
        {
            var expected = Naive.Reduce(dims, x.ToFloatArray(), all, f, out var keptDims);
            var attrs = axes.Length == 0 ? null : T.Attrs(("axes", axes.Select(a => (long)a).ToArray()));
            T.Close(keptDims, expected.Select(v => (float)v).ToArray(), OpTester.Run(op, attrs, x), 2e-5f);
        }
    }

    [Fact]
    public void KeepdimsZeroDropsAxesAndNegativeAxesCount()
    {
        var x = T.Iota(2, 3, 4);
        var r = OpTester.Run(OpTypes.ReduceSum, T.Attrs(("axes", new long[] { -1 }), ("keepdims", 0)), x);
        T.Close([2, 3], [6, 22, 38, 54, 70, 86], r);
        var m = OpTester.Run(OpTypes.ReduceMean, T.Attrs(("axes", new long[] { 0, -2 }), ("keepdims", 0)), x);
        T.Close([4], [10, 11, 12, 13], m);
        var all = OpTester.Run(OpTypes.ReduceMax, T.Attrs(("keepdims", 0)), x);
        T.Close([], [23], all);
    }

    [Fact]
    public void AxesMayComeFromAConstantInput()
    {
        var x = T.Iota(2, 3);
        T.Close([2, 1], [3, 12], OpTester.Run(OpTypes.ReduceSum, null, x, T.Longs(1)));
        // ONNX 13+ noop_with_empty_axes with empty axes returns the input.
        T.Close([2, 3], [0, 1, 2, 3, 4, 5], OpTester.Run(OpTypes.ReduceSum, T.Attrs(("noop_with_empty_axes", 1)), x, T.L([0])));
    }

    [Fact]
    public void IntegerReductionsForShapeFolding()
    {
        T.Longs([], [24], OpTester.Run(OpTypes.ReduceProd, T.Attrs(("keepdims", 0)), T.Longs(2, 3, 4)));
        T.Longs([1], [9], OpTester.Run(OpTypes.ReduceSum, null, T.Longs(2, 3, 4)));
        T.Equal(DataType.Int32, [2, 1], new[] { 3, 9 }, OpTester.Run(OpTypes.ReduceMax, T.Attrs(("axes", new long[] { 1 })), T.I([2, 2], 1, 3, 9, 0)));
    }

    [Fact]
    public void ReducingAnEmptyAxisGivesTheIdentity()
    {
        var x = T.F([2, 0, 3]);
        T.Close([2, 1, 3], [0, 0, 0, 0, 0, 0], OpTester.Run(OpTypes.ReduceSum, T.Attrs(("axes", new long[] { 1 })), x));
        T.Close([2, 1, 3], [1, 1, 1, 1, 1, 1], OpTester.Run(OpTypes.ReduceProd, T.Attrs(("axes", new long[] { 1 })), x));
    }

    [Fact]
    public void LargeMiddleAxisReductionOnThreads()
    {
        int[] dims = [64, 32, 50];
        var x = T.Random(33, dims);
        var expected = Naive.Reduce(dims, x.ToFloatArray(), [1], v => v.Average(), out var kept).Select(v => (float)v).ToArray();
        var r = OpTester.RunMany(OpTypes.ReduceMean, T.Attrs(("axes", new long[] { 1 })), [x], null, 1, new ThreadedPool(3))[0];
        T.Close(kept, expected, r);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void SpatialMeanOfChannelsLastSplitsWideChannelsOnThreads(int batch)
    {
        // [N, H, W, C] over H, W with 601 channels: several column blocks per image plus an odd tail.
        int[] dims = [batch, 5, 7, 601];
        var x = T.Random(35, dims);
        foreach (var (op, f) in new (string, Func<IEnumerable<double>, double>)[] { (OpTypes.ReduceMean, v => v.Average()), (OpTypes.ReduceMax, v => v.Max()) })
        {
            var expected = Naive.Reduce(dims, x.ToFloatArray(), [1, 2], f, out var kept).Select(v => (float)v).ToArray();
            var r = OpTester.RunMany(op, T.Attrs(("axes", new long[] { 1, 2 })), [x], null, 1, new ThreadedPool(3))[0];
            T.Close(kept, expected, r);
        }
    }

    [Fact]
    public void BadAxesAreShapeErrors()
    {
        OpTester.ShapeError(OpTypes.ReduceSum, T.Attrs(("axes", new long[] { 3 })), [T.Iota(2, 3)], "axis 3", "rank 2");
        OpTester.ShapeError(OpTypes.ReduceSum, T.Attrs(("axes", new long[] { 1, -1 })), [T.Iota(2, 3)], "-1", "twice");
        OpTester.ShapeError(OpTypes.ArgMax, T.Attrs(("axis", -3)), [T.Iota(2, 3)], "axis -3");
    }

    [Fact]
    public void ArgMaxAndArgMinFollowOnnxExamples()
    {
        // ONNX test_argmax_keepdims_example / select_last_index variants.
        var data = T.F([2, 2], 2, 1, 3, 10);
        T.Longs([2, 1], [0, 1], OpTester.Run(OpTypes.ArgMax, T.Attrs(("axis", 1)), data));
        T.Longs([2], [1, 1], OpTester.Run(OpTypes.ArgMax, T.Attrs(("axis", 0), ("keepdims", 0)), data));
        T.Longs([1, 2], [0, 0], OpTester.Run(OpTypes.ArgMin, null, data));
        var ties = T.F([2, 2], 2, 2, 3, 10);
        T.Longs([2, 1], [0, 1], OpTester.Run(OpTypes.ArgMax, T.Attrs(("axis", 1)), ties));
        T.Longs([2, 1], [1, 1], OpTester.Run(OpTypes.ArgMax, T.Attrs(("axis", 1), ("select_last_index", 1)), ties));
        T.Longs([2, 1], [1, 0], OpTester.Run(OpTypes.ArgMin, T.Attrs(("axis", -1), ("select_last_index", 1)), ties));
    }

    [Fact]
    public void ArgMaxOverAMiddleAxisMatchesNaive()
    {
        int[] dims = [3, 7, 5];
        var x = T.Random(34, dims);
        var v = x.ToFloatArray();
        var expected = new long[15];
        for (int a = 0; a < 3; a++)
            for (int c = 0; c < 5; c++)
            {
                int best = 0;
                for (int b = 1; b < 7; b++) if (v[Naive.Linear(dims, a, b, c)] > v[Naive.Linear(dims, a, best, c)]) best = b;
                expected[a * 5 + c] = best;
            }
        T.Longs([3, 5], expected, OpTester.Run(OpTypes.ArgMax, T.Attrs(("axis", 1), ("keepdims", 0)), x));
        T.Longs([2], [1, 0], OpTester.Run(OpTypes.ArgMin, T.Attrs(("axis", 1), ("keepdims", 0)), T.Longs(5, 2, 0, 7).Reshaped(2, 2)));
    }
}
