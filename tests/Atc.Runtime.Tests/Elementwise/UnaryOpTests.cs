using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Tests.Ops;

public class UnaryOpTests
{
    private static readonly float[] Inputs = [-3f, -1.5f, -0.5f, -0f, 0f, 0.25f, 0.5f, 1f, 2.5f, 7f, 40f, -40f];

    public static TheoryData<string, Func<float, float>> PlainFunctions => new()
    {
        { OpTypes.Relu, x => Math.Max(x, 0) },
        { OpTypes.Sigmoid, x => (float)(1 / (1 + Math.Exp(-x))) },
        { OpTypes.Tanh, x => (float)Math.Tanh(x) },
        { OpTypes.Exp, x => (float)Math.Exp(Math.Min(x, 10)) },
        { OpTypes.Neg, x => -x },
        { OpTypes.Abs, Math.Abs },
        { OpTypes.Floor, MathF.Floor },
        { OpTypes.Ceil, MathF.Ceiling },
        { OpTypes.Round, x => MathF.Round(x, MidpointRounding.ToEven) },
        { OpTypes.Sin, MathF.Sin },
        { OpTypes.Cos, MathF.Cos },
        { OpTypes.Sign, x => x > 0 ? 1 : x < 0 ? -1 : 0 },
        { OpTypes.Softsign, x => x / (1 + Math.Abs(x)) },
        { OpTypes.Softplus, x => (float)(x > 20 ? x : Math.Log(1 + Math.Exp(x))) },
        { OpTypes.Identity, x => x },
    };

    [Theory]
    [MemberData(nameof(PlainFunctions))]
    public void PlainFunctionsMatchMath(string op, Func<float, float> f)
    {
        var values = op == OpTypes.Exp ? Inputs.Select(v => Math.Min(v, 10)).ToArray() : Inputs;
        var x = T.F([3, 4], values);
        T.Close([3, 4], Naive.Map(values, f), OpTester.Run(op, null, x), 2e-6f);
    }

    [Fact]
    public void LogSqrtReciprocalOnPositiveInputs()
    {
        float[] v = [0.25f, 1, 2, 9, 1e-3f, 100];
        T.Close(Naive.Map(v, MathF.Log), OpTester.Run(OpTypes.Log, null, T.F([6], v)));
        T.Close(Naive.Map(v, MathF.Sqrt), OpTester.Run(OpTypes.Sqrt, null, T.F([6], v)));
        T.Close(Naive.Map(v, x => 1 / x), OpTester.Run(OpTypes.Reciprocal, null, T.F([6], v)));
    }

    [Fact]
    public void RoundHalvesToEven() =>
        T.Close([0, 0, 2, 2, -2, -2, 1], OpTester.Run(OpTypes.Round, null, T.F([7], 0.5f, -0.5f, 1.5f, 2.5f, -1.5f, -2.5f, 1.2f)));

    [Fact]
    public void ErfIsAccurate()
    {
        // Reference values of erf.
        float[] x = [0f, 0.1f, 0.5f, 1f, 2f, 2.5f, 3f, -1f, 1e-6f, 5f];
        float[] expected = [0f, 0.112462916f, 0.520499878f, 0.842700793f, 0.995322265f, 0.999593048f, 0.999977910f, -0.842700793f, 1.128379e-6f, 1f];
        T.Close(expected, OpTester.Run(OpTypes.Erf, null, T.F([10], x)), 1e-6f);
    }

    [Fact]
    public void ParameterisedActivationsFollowOnnxDefinitions()
    {
        var x = T.F([8], Inputs[..8]);
        var v = Inputs[..8];
        T.Close(Naive.Map(v, a => a < 0 ? 0.01f * a : a), OpTester.Run(OpTypes.LeakyRelu, null, x));
        T.Close(Naive.Map(v, a => a < 0 ? 0.2f * a : a), OpTester.Run(OpTypes.LeakyRelu, T.Attrs(("alpha", 0.2f)), x));
        T.Close(Naive.Map(v, a => a < 0 ? 2f * (MathF.Exp(a) - 1) : a), OpTester.Run(OpTypes.Elu, T.Attrs(("alpha", 2f)), x));
        T.Close(Naive.Map(v, a => 3f * (a <= 0 ? 2f * (MathF.Exp(a) - 1) : a)), OpTester.Run(OpTypes.Selu, T.Attrs(("alpha", 2f), ("gamma", 3f)), x));
        T.Close(Naive.Map(v, a => 1.0507010f * (a <= 0 ? 1.6732632f * (MathF.Exp(a) - 1) : a)), OpTester.Run(OpTypes.Selu, null, x));
        T.Close(Naive.Map(v, a => Math.Max(0, a) + Math.Min(0, 2f * (MathF.Exp(a / 2f) - 1))), OpTester.Run(OpTypes.Celu, T.Attrs(("alpha", 2f)), x));
        T.Close(Naive.Map(v, a => Math.Clamp(0.5f * a + 0.6f, 0, 1)), OpTester.Run(OpTypes.HardSigmoid, T.Attrs(("alpha", 0.5f), ("beta", 0.6f)), x));
        T.Close(Naive.Map(v, a => Math.Clamp(0.2f * a + 0.5f, 0, 1)), OpTester.Run(OpTypes.HardSigmoid, null, x));
        T.Close(Naive.Map(v, a => a * Math.Clamp(a / 6 + 0.5f, 0, 1)), OpTester.Run(OpTypes.HardSwish, null, x));
        T.Close(Naive.Map(v, a => a > 0.5f ? a : 0), OpTester.Run(OpTypes.ThresholdedRelu, T.Attrs(("alpha", 0.5f)), x));
        T.Close(Naive.Map(v, a => a < -1 ? a + 1.5f : a > 1 ? a - 1.5f : 0), OpTester.Run(OpTypes.Shrink, T.Attrs(("lambd", 1f), ("bias", 1.5f)), x));
    }

    [Fact]
    public void ActivationsWorkOnLongInputsAcrossBlocks()
    {
        var x = T.Random(11, [3, 700], 5);
        var v = x.ToFloatArray();
        T.Close(Naive.Map(v, a => a < 0 ? 0.5f * (MathF.Exp(a) - 1) : a), OpTester.Run(OpTypes.Elu, T.Attrs(("alpha", 0.5f)), x));
        T.Close(Naive.Map(v, a => a * Math.Clamp(a / 6 + 0.5f, 0, 1)), OpTester.Run(OpTypes.HardSwish, null, x));
        T.Close(Naive.Map(v, a => (float)Math.Log(1 + Math.Exp(a))), OpTester.Run(OpTypes.Softplus, null, x), 1e-5f);
        var threaded = OpTester.RunMany(OpTypes.Sigmoid, null, [T.Random(3, [100_000])], null, 1, new ThreadedPool(3))[0];
        T.Close(Naive.Map(T.Random(3, [100_000]).ToFloatArray(), a => 1 / (1 + MathF.Exp(-a))), threaded);
    }

    [Fact]
    public void ClipUsesAttributesOrInputs()
    {
        var x = T.F([5], -2, -1, 0, 1, 2);
        T.Close([-1, -1, 0, 1, 1], OpTester.Run(OpTypes.Clip, T.Attrs(("min", -1f), ("max", 1f)), x));
        T.Close([0, 0, 0, 1, 2], OpTester.Run(OpTypes.Clip, T.Attrs(("min", 0f)), x));
        T.Close([-2, -1, 0, 0.5f, 0.5f], OpTester.Run(OpTypes.Clip, T.Attrs(("max", 0.5f)), x));
        // ONNX 11 style inputs, constant and at run time; min > max gives max everywhere.
        T.Close([-1, -1, 0, 1, 1], OpTester.Run(OpTypes.Clip, null, x, T.F([], -1), T.F([], 1)));
        T.Close([-1, -1, 0, 1, 1], OpTester.RunDynamic(OpTypes.Clip, null, [false, false, false], x, T.F([], -1), T.F([], 1)));
        T.Close([0, 0, 0, 0, 0], OpTester.Run(OpTypes.Clip, T.Attrs(("min", 1f), ("max", 0f)), x));
        T.Longs([4], [0, 0, 3, 6], OpTester.Run(OpTypes.Clip, T.Attrs(("min", 0f), ("max", 6f)), T.Longs(-5, 0, 3, 9)));
    }

    [Fact]
    public void NegAbsSignReluOnIntegers()
    {
        T.Longs([3], [3, -4, 0], OpTester.Run(OpTypes.Neg, null, T.Longs(-3, 4, 0)));
        T.Equal(DataType.Int32, [3], new[] { 3, 4, 0 }, OpTester.Run(OpTypes.Abs, null, T.I([3], -3, 4, 0)));
        T.Longs([3], [-1, 1, 0], OpTester.Run(OpTypes.Sign, null, T.Longs(-3, 4, 0)));
        T.Longs([3], [0, 4, 0], OpTester.Run(OpTypes.Relu, null, T.Longs(-3, 4, 0)));
    }

    [Fact]
    public void SignKeepsNaN()
    {
        var r = OpTester.Run(OpTypes.Sign, null, T.F([2], float.NaN, -2)).AsSpan<float>().ToArray();
        Assert.True(float.IsNaN(r[0]));
        Assert.Equal(-1f, r[1]);
    }

    [Fact]
    public void UnsupportedTypeIsAShapeError()
    {
        OpTester.ShapeError(OpTypes.Sigmoid, null, [T.Longs(1)], "int64");
        OpTester.ShapeError(OpTypes.LeakyRelu, null, [T.D([1], 1)], "float64");
        OpTester.ShapeError(OpTypes.Clip, null, [T.Iota(2), T.Iota(2)], "scalar", "[2]");
    }
}
