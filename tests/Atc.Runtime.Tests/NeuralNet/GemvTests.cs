using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// The small-M path (1-4 rows against constant, pre-packed B) of Gemm and MatMul, against the scalar reference:
/// odd widths (a 16-wide last panel, partial slices), K over several K blocks, every epilogue form, each
/// instruction set, 1 and 2 threads (wide products are split over panels).
/// </summary>
[Collection("NeuralNet")]
public class GemvTests
{
    private static readonly Isa?[] Isas = [null, Isa.Avx2, Isa.Portable];

    public static IEnumerable<object[]> Sizes() =>
        from m in new[] { 1, 2, 3, 4 }
        from nk in new[] { (1, 1), (10, 64), (16, 7), (47, 129), (60, 33), (128, 64), (200, 1030), (1000, 300) }
        select new object[] { m, nk.Item1, nk.Item2 };

    private static (TestInput?[] Inputs, OpAttributes Attributes, double[] Expected) BuildGemm(int m, int n, int k, bool transB,
        string bias, string activation, float alpha = 1f, float beta = 1f)
    {
        var a = TestData.Random(21, m * k);
        var b = TestData.Random(22, k * n);
        (int rows, int columns, int[]? dims) = bias switch
        {
            "scalar" => (1, 1, Array.Empty<int>()),
            "N" => (1, n, new[] { n }),
            "Mx1" => (m, 1, new[] { m, 1 }),
            "MxN" => (m, n, new[] { m, n }),
            _ => (0, 0, (int[]?)null),
        };
        float[]? c = dims is null ? null : TestData.Random(23, rows * columns);
        var expected = Reference.Gemm(a, b, c, rows, columns, m, n, k, false, transB, alpha, beta);
        var attrs = new OpAttributes().Set("alpha", alpha).Set("beta", beta).Set("transB", transB ? 1 : 0);
        if (activation == "Relu")
        {
            attrs.Set("activation", "Relu");
            expected = [.. expected.Select(v => Math.Max(v, 0))];
        }
        else if (activation == "Clip")
        {
            attrs.Set("activation", "Clip").Set("activation_min", -0.5f).Set("activation_max", 0.75f);
            expected = [.. expected.Select(v => Math.Clamp(v, -0.5, 0.75))];
        }
        TestInput?[] inputs =
        [
            new([m, k], a),
            new(transB ? [n, k] : [k, n], b, Constant: true),
            dims is null ? null : new(dims, c!, Constant: true),
        ];
        return (inputs, attrs, expected);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void GemmMatchesReferenceOnEveryIsaAndThreadCount(int m, int n, int k)
    {
        var (inputs, attrs, expected) = BuildGemm(m, n, k, transB: true, "N", "Relu");
        foreach (var isa in Isas)
            foreach (int threads in new[] { 1, 2 })
            {
                var (actual, dims) = OpRunner.Run(OpTypes.Gemm, attrs, inputs, threads, isa);
                Assert.Equal(new[] { m, n }, dims);
                TensorAssert.Close(expected, actual, what: $"isa={isa?.ToString() ?? "best"} threads={threads}");
            }
    }

    [Theory]
    [InlineData("none", "")]
    [InlineData("scalar", "Clip")]
    [InlineData("N", "")]
    [InlineData("Mx1", "Relu")]
    [InlineData("MxN", "Clip")]
    public void GemmEpilogueFormsMatchReference(string bias, string activation)
    {
        foreach (int m in new[] { 1, 2, 3, 4 })
            foreach (var isa in Isas)
            {
                var (inputs, attrs, expected) = BuildGemm(m, 77, 90, transB: false, bias, activation, alpha: 1.25f, beta: 0.5f);
                TensorAssert.Close(expected, OpRunner.Run(OpTypes.Gemm, attrs, inputs, isa: isa).Data, what: $"m={m} isa={isa}");
            }
    }

    [Fact]
    public void GemmWithEmptyKWritesTheBias()
    {
        var (inputs, attrs, expected) = BuildGemm(2, 20, 0, transB: true, "N", "Clip");
        TensorAssert.Close(expected, OpRunner.Run(OpTypes.Gemm, attrs, inputs).Data);
        Assert.All(expected, v => Assert.NotEqual(0.0, v));
    }

    [Theory]
    [InlineData(new[] { 1, 33 }, new[] { 33, 70 })]
    [InlineData(new[] { 3, 600 }, new[] { 600, 17 })]
    [InlineData(new[] { 2, 2, 96 }, new[] { 96, 130 })]   // A's batch folds into 4 rows
    [InlineData(new[] { 1, 1, 48 }, new[] { 48, 1000 })]
    public void MatMulMatchesReference(int[] aDims, int[] bDims)
    {
        var a = TestData.Random(31, Reference.Product(aDims));
        var b = TestData.Random(32, Reference.Product(bDims));
        var expected = Reference.BatchedMatMul(a, aDims, b, bDims, out _);
        TestInput?[] inputs = [new(aDims, a), new(bDims, b, Constant: true)];
        foreach (var isa in Isas)
            foreach (int threads in new[] { 1, 2 })
            {
                var (actual, dims) = OpRunner.Run(OpTypes.MatMul, new OpAttributes(), inputs, threads, isa);
                Assert.Equal([.. aDims[..^1], bDims[^1]], dims);
                TensorAssert.Close(expected, actual, what: $"isa={isa?.ToString() ?? "best"} threads={threads}");
            }
    }

    [Fact]
    public void TaskCountSplitsOnlyWideProducts()
    {
        Assert.Equal(1, Gemv.TaskCount(1, 128, 64));
        Assert.True(Gemv.TaskCount(1, 1000, 2048) > 8);
        Assert.True(Gemv.TaskCount(1, 40, 1 << 20) <= 2, "never more tasks than panels");
    }
}
