using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Tests.Ops;

public class BinaryOpTests
{
    public static TheoryData<int[], int[]> BroadcastShapes => new()
    {
        { [2, 3, 4], [2, 3, 4] },
        { [2, 3, 4], [4] },
        { [4], [2, 3, 4] },
        { [2, 3, 4], [3, 1] },
        { [1, 3, 1], [2, 1, 4] },
        { [], [2, 3] },
        { [2, 3], [] },
        { [2, 1, 4, 1], [1, 3, 1, 5] },
        { [3, 1], [1, 4] },
        { [2, 3, 4, 5], [1, 3, 1, 1] },
        { [2, 5, 5, 3], [3] },
        { [1], [1] },
    };

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void ArithmeticMatchesNaiveBroadcast(int[] aDims, int[] bDims)
    {
        var a = T.Random(1, aDims, 3);
        var b = T.Random(2, bDims, 3);
        var av = a.ToFloatArray();
        var bv = b.ToFloatArray().Select(v => v == 0 ? 0.5f : v).ToArray();
        b = T.F(bDims, bv);
        var cases = new (string Op, Func<float, float, float> F)[]
        {
            (OpTypes.Add, (x, y) => x + y), (OpTypes.Sub, (x, y) => x - y), (OpTypes.Mul, (x, y) => x * y),
            (OpTypes.Div, (x, y) => x / y), (OpTypes.Max, Math.Max), (OpTypes.Min, Math.Min),
        };
        foreach (var (op, f) in cases)
        {
            var expected = Naive.Binary(aDims, av, bDims, bv, f, out var outDims);
            T.Close(outDims, expected, OpTester.Run(op, null, a, b));
        }
    }

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void ComparisonsMatchNaiveBroadcast(int[] aDims, int[] bDims)
    {
        var a = T.F(aDims, T.Random(3, aDims, 2).ToFloatArray().Select(v => MathF.Round(v)).ToArray());
        var b = T.F(bDims, T.Random(4, bDims, 2).ToFloatArray().Select(v => MathF.Round(v)).ToArray());
        var cases = new (string Op, Func<float, float, bool> F)[]
        {
            (OpTypes.Equal, (x, y) => x == y), (OpTypes.Less, (x, y) => x < y), (OpTypes.Greater, (x, y) => x > y),
            (OpTypes.LessOrEqual, (x, y) => x <= y), (OpTypes.GreaterOrEqual, (x, y) => x >= y),
        };
        foreach (var (op, f) in cases)
        {
            var expected = Naive.Binary(aDims, a.ToFloatArray(), bDims, b.ToFloatArray(), f, out var outDims);
            T.Bools(outDims, expected, OpTester.Run(op, null, a, b));
        }
    }

    [Fact]
    public void Int64ArithmeticForShapeFolding()
    {
        var shape = T.Longs(2, 3, 224, 224);
        T.Longs([4], [4, 6, 448, 448], OpTester.Run(OpTypes.Mul, null, shape, T.L([], 2)));
        T.Longs([4], [1, 2, 223, 223], OpTester.Run(OpTypes.Sub, null, shape, T.L([1], 1)));
        T.Longs([4], [3, 4, 225, 225], OpTester.Run(OpTypes.Add, null, T.L([], 1), shape));
        // Integer division truncates toward zero; a zero divisor yields 0 rather than crashing.
        T.Longs([4], [3, -3, 0, 2], OpTester.Run(OpTypes.Div, null, T.Longs(7, -7, 5, 9), T.Longs(2, 2, 0, 4)));
        T.Longs([2], [0, 0], OpTester.Run(OpTypes.Div, null, T.Longs(7, 9), T.L([], 0)));
        T.Longs([2], [-3, 1], OpTester.Run(OpTypes.Max, null, T.Longs(-3, -5), T.Longs(-4, 1)));
    }

    [Fact]
    public void Int32AndFloat64AndUInt8Arithmetic()
    {
        T.Equal(DataType.Int32, [3], new[] { 5, 7, 9 }, OpTester.Run(OpTypes.Add, null, T.I([3], 1, 2, 3), T.I([3], 4, 5, 6)));
        T.Equal(DataType.Int32, [2, 2], new[] { -1, 0, 1, 2 }, OpTester.Run(OpTypes.Sub, null, T.I([2, 2], 0, 1, 2, 3), T.I([], 1)));
        T.Equal(DataType.Float64, [2], new[] { 0.30000000000000004, 2.5 }, OpTester.Run(OpTypes.Add, null, T.D([2], 0.1, 2), T.D([2], 0.2, 0.5)));
        T.Equal(DataType.Float64, [2], new[] { 0.25, 4.0 }, OpTester.Run(OpTypes.Div, null, T.D([2], 1, 8), T.D([2], 4, 2)));
        T.Equal(DataType.UInt8, [2], new byte[] { 4, 254 }, OpTester.Run(OpTypes.Add, null, T.U8([2], 1, 255), T.U8([2], 3, 255)));
    }

    [Fact]
    public void ModFollowsDivisorSignUnlessFmod()
    {
        // ONNX test_mod_mixed_sign_int64: fmod=0 takes the sign of the divisor.
        var x = T.Longs(-4, 7, 5, 4, -7, 8);
        var y = T.Longs(2, -3, 8, -2, 3, 5);
        T.Longs([6], [0, -2, 5, 0, 2, 3], OpTester.Run(OpTypes.Mod, null, x, y));
        // fmod=1 takes the sign of the dividend (C fmod); also for floats.
        T.Longs([6], [0, 1, 5, 0, -1, 3], OpTester.Run(OpTypes.Mod, T.Attrs(("fmod", 1)), x, y));
        var fx = T.F([6], -4.3f, 7.2f, 5.0f, 4.3f, -7.2f, 8.0f);
        var fy = T.F([6], 2.1f, -3.4f, 8.0f, -2.1f, 3.4f, 5.0f);
        T.Close([-0.1f, 0.4f, 5f, 0.1f, -0.4f, 3f], OpTester.Run(OpTypes.Mod, T.Attrs(("fmod", 1)), fx, fy), 1e-4f);
    }

    [Fact]
    public void PowBroadcastsAndAcceptsMixedExponentTypes()
    {
        T.Close([2, 3], [1, 4, 9, 4, 25, 36], OpTester.Run(OpTypes.Pow, null, T.F([2, 3], 1, 2, 3, 2, 5, 6), T.F([], 2)));
        T.Close([1, 32, 729], OpTester.Run(OpTypes.Pow, null, T.F([3], 1, 2, 3), T.F([3], 4, 5, 6)), 1e-5f);
        T.Close([2, 2], [1, MathF.Sqrt(2), 1, 2], OpTester.Run(OpTypes.Pow, null, T.F([2, 2], 1, 2, 1, 4), T.F([2], 3, 0.5f)));
        // ONNX test_pow_types_float32_int64 and test_pow_types_int64_float32.
        T.Close([1, 32, 729], OpTester.Run(OpTypes.Pow, null, T.F([3], 1, 2, 3), T.Longs(4, 5, 6)));
        T.Longs([3], [1, 32, 729], OpTester.Run(OpTypes.Pow, null, T.Longs(1, 2, 3), T.F([3], 4, 5, 6)));
        T.Longs([3], [1, 32, 729], OpTester.Run(OpTypes.Pow, null, T.Longs(1, 2, 3), T.Longs(4, 5, 6)));
    }

    [Fact]
    public void EqualComparesIntegersAndBools()
    {
        T.Bools([3], [true, false, true], OpTester.Run(OpTypes.Equal, null, T.Longs(1, 2, 3), T.Longs(1, 5, 3)));
        T.Bools([2, 2], [true, false, false, true], OpTester.Run(OpTypes.Equal, null, T.B([2, 2], true, true, false, false), T.B([2], true, false)));
        T.Bools([3], [false, true, false], OpTester.Run(OpTypes.Less, null, T.I([3], 3, 1, 9), T.I([], 2)));
    }

    [Fact]
    public void LogicalOpsBroadcast()
    {
        var a = T.B([2, 3], true, false, true, false, false, true);
        var b = T.B([3], true, true, false);
        T.Bools([2, 3], [true, false, false, false, false, false], OpTester.Run(OpTypes.And, null, a, b));
        T.Bools([2, 3], [true, true, true, true, true, true], OpTester.Run(OpTypes.Or, null, a, b));
        T.Bools([2, 3], [false, true, true, true, true, true], OpTester.Run(OpTypes.Xor, null, a, b));
        T.Bools([2, 3], [false, true, false, true, true, false], OpTester.Run(OpTypes.Not, null, a));
    }

    [Fact]
    public void PReluBroadcastsSlopePerChannel()
    {
        var x = T.F([1, 2, 1, 3], -1, 2, -3, 4, -5, 6);
        var slope = T.F([2, 1, 1], 0.5f, 0.1f);
        T.Close([1, 2, 1, 3], [-0.5f, 2, -1.5f, 4, -0.5f, 6], OpTester.Run(OpTypes.PRelu, null, x, slope));
        T.Close([1, 2, 1, 3], [-0.25f, 2, -0.75f, 4, -1.25f, 6], OpTester.Run(OpTypes.PRelu, null, x, T.F([1], 0.25f)));
        var big = T.Random(5, [3, 40]);
        var bigSlope = T.Random(6, [40]);
        var expected = Naive.Binary(big.Dims, big.ToFloatArray(), bigSlope.Dims, bigSlope.ToFloatArray(), (v, s) => v < 0 ? v * s : v, out _);
        T.Close(expected, OpTester.Run(OpTypes.PRelu, null, big, bigSlope));
    }

    [Fact]
    public void PReluRejectsSlopeThatGrowsX() =>
        OpTester.ShapeError(OpTypes.PRelu, null, [T.F([3], 1, 2, 3), T.F([2, 3], 1, 1, 1, 1, 1, 1)], "[2,3]", "[3]");

    [Fact]
    public void IncompatibleShapesNameBothShapes()
    {
        var e = OpTester.ShapeError(OpTypes.Add, null, [T.Iota(2, 3), T.Iota(4)], "[2,3]", "[4]");
        Assert.StartsWith("Add:", e.Message);
    }

    [Fact]
    public void MismatchedTypesAndUnsupportedTypesAreShapeErrors()
    {
        OpTester.ShapeError(OpTypes.Mul, null, [T.Iota(2), T.Longs(1, 2)], "float32", "int64");
        OpTester.ShapeError(OpTypes.Add, null, [T.B([1], true), T.B([1], true)], "bool");
        OpTester.ShapeError(OpTypes.And, null, [T.Iota(1), T.Iota(1)], "float32");
    }

    [Fact]
    public void VariadicOpsFoldAllInputs()
    {
        var a = T.F([3], 3, 2, 1);
        var b = T.F([3], 1, 4, 4);
        var c = T.F([2, 1], 2, 5);
        var inputs = new TensorData?[] { a, b, c };
        T.Close([2, 3], [6, 8, 7, 9, 11, 10], OpTester.RunMany(OpTypes.Sum, null, inputs, null, 1)[0]);
        T.Close([2, 3], [3, 4, 4, 5, 5, 5], OpTester.RunMany(OpTypes.Max, null, inputs, null, 1)[0]);
        T.Close([2, 3], [1, 2, 1, 1, 2, 1], OpTester.RunMany(OpTypes.Min, null, inputs, null, 1)[0]);
        T.Close([2, 3], [2, 8 / 3f, 7 / 3f, 3, 11 / 3f, 10 / 3f], OpTester.RunMany(OpTypes.Mean, null, inputs, null, 1)[0]);
        T.Close([3], [3, 2, 1], OpTester.Run(OpTypes.Max, null, a));
        T.Close([3], [2, 3, 2.5f], OpTester.Run(OpTypes.Mean, null, a, b));
        T.Longs([2], [1, -2], OpTester.Run(OpTypes.Min, null, T.Longs(1, 5), T.Longs(3, -2), T.L([], 4)));
    }

    [Fact]
    public void WhereSelectsWithBroadcasting()
    {
        var condition = T.B([2, 1], true, false);
        T.Close([2, 2], [1, 2, 9, 9], OpTester.Run(OpTypes.Where, null, condition, T.F([2], 1, 2), T.F([], 9)));
        T.Longs([2, 2], [1, 8, 3, 4], OpTester.Run(OpTypes.Where, null, T.B([2, 2], true, false, true, true), T.Longs(1, 2, 3, 4).Reshaped(2, 2), T.Longs(9, 8, 7, 6).Reshaped(2, 2)));
        OpTester.ShapeError(OpTypes.Where, null, [T.F([1], 1), T.Iota(1), T.Iota(1)], "float32", "bool");
    }

    [Fact]
    public void LargeBroadcastGivesTheSameResultOnSeveralThreads()
    {
        var a = T.Random(7, [4, 64, 33, 17]);
        var b = T.Random(8, [64, 1, 17]);
        var inline = OpTester.Run(OpTypes.Add, null, a, b);
        var threaded = OpTester.RunMany(OpTypes.Add, null, [a, b], null, 1, new ThreadedPool(4))[0];
        Assert.Equal(inline.Bytes.ToArray(), threaded.Bytes.ToArray());
        var expected = Naive.Binary(a.Dims, a.ToFloatArray(), b.Dims, b.ToFloatArray(), (x, y) => x + y, out _);
        T.Close(expected, threaded);
    }

    [Fact]
    public void LongRowsAreSplitAcrossThreadsWithoutChangingResults()
    {
        // Few rows of 40000: each row is cut into segments; same-shape inputs collapse to one run of 120000.
        var a = T.Random(9, [3, 40000]);
        var b = T.Random(10, [3, 1]);
        var pool = new ThreadedPool(4);
        var sum = OpTester.RunMany(OpTypes.Add, null, [a, b], null, 1, pool)[0];
        T.Close(Naive.Binary(a.Dims, a.ToFloatArray(), b.Dims, b.ToFloatArray(), (x, y) => x + y, out _), sum);
        var same = OpTester.RunMany(OpTypes.Mul, null, [a, a], null, 1, pool)[0];
        T.Close(Naive.Map(a.ToFloatArray(), x => x * x), same);
        var condition = OpTester.Run(OpTypes.Greater, null, a, T.F([], 0));
        var picked = OpTester.RunMany(OpTypes.Where, null, [condition, a, b], null, 1, pool)[0];
        T.Close(Naive.Binary(a.Dims, a.ToFloatArray(), b.Dims, b.ToFloatArray(), (x, y) => x > 0 ? x : y, out _), picked);
        var expanded = OpTester.RunMany(OpTypes.Expand, null, [b, T.Longs(3, 40000)], null, 1, pool)[0];
        T.Close(Naive.Binary(a.Dims, a.ToFloatArray(), b.Dims, b.ToFloatArray(), (_, y) => y, out _), expanded);
    }
}

internal static class TensorDataShaping
{
    public static TensorData Reshaped(this TensorData t, params int[] dims) => new(t.Type, dims, t.Bytes);
}
