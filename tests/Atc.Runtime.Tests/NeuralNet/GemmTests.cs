using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;

namespace Atc.Tests.NeuralNet;

[Collection("NeuralNet")]
public class GemmTests
{
    /// <summary>C shapes: none, scalar, [N], [1,N], [M,1], [M,N].</summary>
    public static readonly string[] BiasForms = ["none", "scalar", "N", "1xN", "Mx1", "MxN"];

    public static IEnumerable<object[]> Cases() =>
        from trans in new[] { (false, false), (true, false), (false, true), (true, true) }
        from bias in BiasForms
        from constant in new[] { true, false }
        select new object[] { trans.Item1, trans.Item2, bias, constant };

    internal static (TestInput?[] Inputs, OpAttributes Attributes, double[] Expected) Build(int m, int n, int k, bool transA, bool transB,
        string bias, bool constant, float alpha = 1.5f, float beta = 0.75f, string activation = "")
    {
        var a = TestData.Random(11, m * k);
        var b = TestData.Random(12, k * n);
        (int rows, int columns, int[]? dims) = bias switch
        {
            "scalar" => (1, 1, Array.Empty<int>()),
            "N" => (1, n, new[] { n }),
            "1xN" => (1, n, new[] { 1, n }),
            "Mx1" => (m, 1, new[] { m, 1 }),
            "MxN" => (m, n, new[] { m, n }),
            _ => (0, 0, (int[]?)null),
        };
        float[]? c = dims is null ? null : TestData.Random(13, rows * columns);
        var expected = Reference.Gemm(a, b, c, rows, columns, m, n, k, transA, transB, alpha, beta);
        if (activation == "Relu") expected = expected.Select(v => Math.Max(v, 0)).ToArray();
        var attrs = new OpAttributes().Set("alpha", alpha).Set("beta", beta).Set("transA", transA ? 1 : 0).Set("transB", transB ? 1 : 0);
        if (activation != "") attrs.Set("activation", activation);
        TestInput?[] inputs =
        [
            new(transA ? [k, m] : [m, k], a),
            new(transB ? [n, k] : [k, n], b, constant),
            dims is null ? null : new(dims, c!, constant),
        ];
        return (inputs, attrs, expected);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReference(bool transA, bool transB, string bias, bool constant)
    {
        var (inputs, attrs, expected) = Build(37, 53, 600, transA, transB, bias, constant);
        var (actual, dims) = OpRunner.Run(OpTypes.Gemm, attrs, inputs);
        Assert.Equal(new[] { 37, 53 }, dims);
        TensorAssert.Close(expected, actual);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 1000, 64)]
    [InlineData(200, 1, 17)]
    [InlineData(13, 17, 0)]
    [InlineData(130, 270, 520)]
    public void OddSizesMatchReference(int m, int n, int k)
    {
        foreach (bool constant in new[] { true, false })
        {
            var (inputs, attrs, expected) = Build(m, n, k, false, true, "N", constant, activation: "Relu");
            var actual = OpRunner.Run(OpTypes.Gemm, attrs, inputs).Data;
            TensorAssert.Close(expected, actual, what: $"constant={constant}");
        }
    }

    [Fact]
    public void ConstantAIsSupported()
    {
        var (inputs, attrs, expected) = Build(20, 30, 40, true, false, "MxN", false);
        inputs[0] = inputs[0]! with { Constant = true };
        TensorAssert.Close(expected, OpRunner.Run(OpTypes.Gemm, attrs, inputs).Data);
    }

    [Fact]
    public void TwoThreadsAndLowerInstructionSetsAgree()
    {
        var (inputs, attrs, expected) = Build(150, 90, 333, false, false, "1xN", true);
        var one = OpRunner.Run(OpTypes.Gemm, attrs, inputs).Data;
        Assert.Equal(one, OpRunner.Run(OpTypes.Gemm, attrs, inputs, threads: 2).Data);
        foreach (var isa in new[] { Isa.Portable, Isa.Avx2 })
            TensorAssert.Close(expected, OpRunner.Run(OpTypes.Gemm, attrs, inputs, isa: isa).Data, what: isa.ToString());
    }

    [Fact]
    public void InnerDimensionMismatchIsAShapeError()
    {
        var e = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Gemm, new OpAttributes(),
            new TestInput([3, 4], new float[12]), new TestInput([5, 6], new float[30])));
        Assert.Contains("inner dimensions differ", e.Message);
    }

    [Fact]
    public void UnbroadcastableCIsAShapeError()
    {
        var e = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Gemm, new OpAttributes(),
            new TestInput([3, 4], new float[12]), new TestInput([4, 6], new float[24]), new TestInput([3, 5], new float[15])));
        Assert.Contains("cannot be broadcast", e.Message);
    }
}
