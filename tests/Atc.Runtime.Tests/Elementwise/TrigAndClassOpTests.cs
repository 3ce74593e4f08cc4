using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Tests.Ops;

public class TrigAndClassOpTests
{
    private static readonly float[] Unit = [-0.9f, -0.5f, -0.1f, 0f, 0.3f, 0.75f];
    private static readonly float[] Wide = [-3f, -1.2f, 0f, 0.4f, 1.5f, 2.5f];
    private static readonly float[] AboveOne = [1f, 1.2f, 2f, 3.5f, 10f, 100f];

    public static TheoryData<string, float[], Func<double, double>> Functions => new()
    {
        { OpTypes.Tan, Wide, Math.Tan },
        { OpTypes.Asin, Unit, Math.Asin },
        { OpTypes.Acos, Unit, Math.Acos },
        { OpTypes.Atan, Wide, Math.Atan },
        { OpTypes.Sinh, Wide, Math.Sinh },
        { OpTypes.Cosh, Wide, Math.Cosh },
        { OpTypes.Asinh, Wide, Math.Asinh },
        { OpTypes.Acosh, AboveOne, Math.Acosh },
        { OpTypes.Atanh, Unit, Math.Atanh },
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void TrigonometricFunctionsMatchMath(string op, float[] inputs, Func<double, double> f)
    {
        T.Close([2, 3], inputs.Select(v => (float)f(v)).ToArray(), OpTester.Run(op, null, T.F([2, 3], inputs)), 2e-6f);
        var doubles = OpTester.Run(op, null, T.D([6], inputs.Select(v => (double)v).ToArray()));
        Assert.Equal(DataType.Float64, doubles.Type);
        var actual = doubles.AsSpan<double>().ToArray();
        for (int i = 0; i < inputs.Length; i++) Assert.Equal(f(inputs[i]), actual[i], 1e-12);
    }

    [Fact]
    public void OutOfDomainInputsGiveNaN()
    {
        var y = OpTester.Run(OpTypes.Asin, null, T.F([2], 2f, -1.5f)).ToFloatArray();
        Assert.All(y, v => Assert.True(float.IsNaN(v)));
        Assert.True(float.IsNaN(OpTester.Run(OpTypes.Acosh, null, T.F([1], 0.5f)).ToFloatArray()[0]));
    }

    [Fact]
    public void TrigonometricFunctionsRejectIntegers() =>
        OpTester.ShapeError(OpTypes.Tan, null, [T.L([1], 1)], "Tan", "int64");

    [Fact]
    public void IsNaNAndIsInfFlagTheRightElements()
    {
        var x = T.F([2, 3], float.NaN, 1f, float.PositiveInfinity, float.NegativeInfinity, 0f, -2f);
        T.Bools([2, 3], [true, false, false, false, false, false], OpTester.Run(OpTypes.IsNaN, null, x));
        T.Bools([2, 3], [false, false, true, true, false, false], OpTester.Run(OpTypes.IsInf, null, x));
        T.Bools([2, 3], [false, false, false, true, false, false],
            OpTester.Run(OpTypes.IsInf, T.Attrs(("detect_positive", 0L)), x));
        T.Bools([2, 3], [false, false, true, false, false, false],
            OpTester.Run(OpTypes.IsInf, T.Attrs(("detect_negative", 0L)), x));
        T.Bools([2], [true, false], OpTester.Run(OpTypes.IsNaN, null, T.D([2], double.NaN, double.PositiveInfinity)));
        OpTester.ShapeError(OpTypes.IsNaN, null, [T.I([1], 3)], "IsNaN", "int32");
    }

    [Fact]
    public void BitShiftBroadcastsAndSaturatesWideShifts()
    {
        var x = T.U8([4], 16, 4, 1, 255);
        T.Equal<byte>(DataType.UInt8, [4], [8, 2, 0, 127], OpTester.Run(OpTypes.BitShift, T.Attrs(("direction", "RIGHT")), x, T.U8([], 1)));
        T.Equal<byte>(DataType.UInt8, [4], [32, 32, 0, 0], OpTester.Run(OpTypes.BitShift, T.Attrs(("direction", "LEFT")), x, T.U8([4], 1, 3, 8, 9)));
        OpTester.ShapeError(OpTypes.BitShift, T.Attrs(("direction", "UP")), [x, x], "direction", "UP");
        // int64 holds ONNX's uint64 (and uint32): logical shifts of the bits, 64 or more gives 0.
        var wide = T.L([3], -1, 1L << 40, 5);
        T.Equal<long>(DataType.Int64, [3], [long.MaxValue, 1L << 39, 0], OpTester.Run(OpTypes.BitShift, T.Attrs(("direction", "RIGHT")), wide, T.L([3], 1, 1, 64)));
        T.Equal<long>(DataType.Int64, [3], [-2, 0, 0], OpTester.Run(OpTypes.BitShift, T.Attrs(("direction", "LEFT")), wide, T.L([3], 1, 24, 70)));
        OpTester.ShapeError(OpTypes.BitShift, T.Attrs(("direction", "LEFT")), [T.F([1], 1), T.F([1], 1)], "float32");
    }
}
