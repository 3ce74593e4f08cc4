using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Tests.Ops;

namespace Atc.Tests.TensorOps;

public class ConcatSplitTests
{
    [Fact]
    public void ConcatAlongEachAxis()
    {
        var a = T.F([2, 2], 1, 2, 3, 4);
        var b = T.F([2, 1], 5, 6);
        T.Close([2, 3], [1, 2, 5, 3, 4, 6], OpTester.Run(OpTypes.Concat, T.Attrs(("axis", 1)), a, b));
        T.Close([2, 3], [1, 2, 5, 3, 4, 6], OpTester.Run(OpTypes.Concat, T.Attrs(("axis", -1)), a, b));
        var c = T.F([1, 2], 7, 8);
        T.Close([3, 2], [1, 2, 3, 4, 7, 8], OpTester.Run(OpTypes.Concat, T.Attrs(("axis", 0)), a, c));
        T.Longs([5], [1, 2, 3, 4, 5], OpTester.Run(OpTypes.Concat, T.Attrs(("axis", 0)), T.Longs(1, 2), T.Longs(3), T.Longs(4, 5)));
        // An empty input contributes nothing.
        T.Longs([2], [1, 2], OpTester.Run(OpTypes.Concat, T.Attrs(("axis", 0)), T.Longs(1, 2), T.L([0])));
    }

    [Fact]
    public void ConcatMiddleAxisMatchesNaive()
    {
        var a = T.Iota(2, 3, 4);
        var b = T.F([2, 1, 4], Enumerable.Range(100, 8).Select(i => (float)i).ToArray());
        var r = OpTester.Run(OpTypes.Concat, T.Attrs(("axis", 1)), a, b).ToFloatArray();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 4; j++)
                for (int k = 0; k < 4; k++)
                    Assert.Equal(j < 3 ? a.ToFloatArray()[Naive.Linear([2, 3, 4], i, j, k)] : b.ToFloatArray()[Naive.Linear([2, 1, 4], i, 0, k)], r[Naive.Linear([2, 4, 4], i, j, k)]);
    }

    [Fact]
    public void ConcatErrorsNameShapes()
    {
        OpTester.ShapeError(OpTypes.Concat, T.Attrs(("axis", 1)), [T.Iota(2, 2), T.Iota(3, 1)], "[3,1]", "[2,2]", "dim 0");
        OpTester.ShapeError(OpTypes.Concat, T.Attrs(("axis", 0)), [T.Iota(2, 2), T.Iota(2)], "rank 1");
        OpTester.ShapeError(OpTypes.Concat, T.Attrs(("axis", 2)), [T.Iota(2, 2)], "axis 2");
        OpTester.ShapeError(OpTypes.Concat, null, [T.Iota(2), T.Longs(1)], "int64", "float32");
    }

    [Fact]
    public void SplitEqualVariableAndUneven()
    {
        var x = T.Iota(2, 6);
        var parts = OpTester.RunMany(OpTypes.Split, T.Attrs(("axis", 1)), [x], null, 3);
        T.Close([2, 2], [0, 1, 6, 7], parts[0]);
        T.Close([2, 2], [2, 3, 8, 9], parts[1]);
        T.Close([2, 2], [4, 5, 10, 11], parts[2]);

        parts = OpTester.RunMany(OpTypes.Split, T.Attrs(("axis", -1), ("split", new long[] { 2, 4 })), [x], null, 2);
        T.Close([2, 2], [0, 1, 6, 7], parts[0]);
        T.Close([2, 4], [2, 3, 4, 5, 8, 9, 10, 11], parts[1]);

        parts = OpTester.RunMany(OpTypes.Split, null, [T.Longs(1, 2, 3, 4, 5), T.Longs(1, 0, 4)], null, 3);
        T.Longs([1], [1], parts[0]);
        T.Longs([0], [], parts[1]);
        T.Longs([4], [2, 3, 4, 5], parts[2]);

        // ONNX-18: the last part is smaller when the axis does not divide.
        parts = OpTester.RunMany(OpTypes.Split, null, [T.Iota(7)], null, 3);
        T.Close([3], [0, 1, 2], parts[0]);
        T.Close([3], [3, 4, 5], parts[1]);
        T.Close([1], [6], parts[2]);
    }

    [Fact]
    public void SplitErrors()
    {
        var e = Assert.Throws<ShapeException>(() => OpTester.RunMany(OpTypes.Split, T.Attrs(("split", new long[] { 2, 2 })), [T.Iota(5)], null, 2));
        Assert.Contains("[2,2]", e.Message);
        Assert.Contains("5", e.Message);
        e = Assert.Throws<ShapeException>(() => OpTester.RunMany(OpTypes.Split, T.Attrs(("split", new long[] { 5 })), [T.Iota(5)], null, 2));
        Assert.Contains("2 outputs", e.Message);
    }
}
