using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// A MatMul with a fused bias (in the GEMM epilogue) and a transcendental activation (GELU, tanh-GELU, SiLU,
/// HardSwish, Mish), on every ISA path, against matmul + bias + the activation in double: rank-3 A
/// (folded into M, several row tiles and an odd last column block), a batched B (one GEMM per batch) and 3 rows
/// (the GEMV path).
/// </summary>
[Collection("NeuralNet")]
public class MatMulEpilogueActivationTests
{
    /// <summary>Each mapped activation in double, shared by the epilogue tests of every kernel family.</summary>
    internal static readonly Dictionary<string, Func<double, double>> Activations = new()
    {
        ["Gelu"] = x => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        ["GeluTanh"] = x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
        ["Silu"] = x => x / (1 + Math.Exp(-x)),
        ["HardSwish"] = x => x * Math.Clamp(x / 6 + 0.5, 0, 1),
        ["Mish"] = x => x * Math.Tanh(Math.Log(1 + Math.Exp(x))),
    };

    public static IEnumerable<object[]> Cases() =>
        from isa in new[] { nameof(Isa.Avx512), nameof(Isa.Avx2), nameof(Isa.Portable) }
        from activation in new[] { "Gelu", "GeluTanh", "Silu", "HardSwish", "Mish" }
        from shapes in new (int[] A, int[] B, bool Constant)[]
        {
            ([4, 16, 72], [72, 290], true),
            ([4, 16, 72], [72, 290], false),
            ([2, 13, 40], [2, 40, 37], true),
            ([3, 72], [72, 290], true),
        }
        select new object[] { isa, activation, shapes.A, shapes.B, shapes.Constant };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BiasAndActivationInTheEpilogueMatchReference(string isaName, string activation, int[] aDims, int[] bDims, bool constant)
    {
        var isa = Enum.Parse<Isa>(isaName);
        int n = bDims[^1];
        var a = TestData.Random(51, TestData.Count(aDims));
        var b = TestData.Random(52, TestData.Count(bDims));
        var bias = TestData.Random(53, n);
        var product = Reference.BatchedMatMul(a, aDims, b, bDims, out _);
        var f = Activations[activation];
        var expected = product.Select((v, i) => f(v + bias[i % n])).ToArray();
        var attrs = new OpAttributes().Set("activation", activation);
        TestInput[] inputs = [new(aDims, a), new(bDims, b, constant), new([n], bias, true)];
        var (actual, _) = OpRunner.Run(OpTypes.MatMul, attrs, inputs, threads: 1, isa: isa);
        TensorAssert.Close(expected, actual, 1e-4, $"{activation} on {isa}");
        Assert.Equal(actual, OpRunner.Run(OpTypes.MatMul, attrs, inputs, threads: 3, isa: isa).Data);
    }

    /// <summary>erf by its Abramowitz-Stegun 7.1.26 form refined with a series near 0; 1e-7 is enough for 1e-4.</summary>
    internal static double Erf(double x)
    {
        if (Math.Abs(x) < 2)
        {
            double sum = 0, term = x;
            for (int k = 0; k < 60; k++)
            {
                sum += term / (2 * k + 1);
                term *= -x * x / (k + 1);
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        double t = 1 / (1 + 0.3275911 * Math.Abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return Math.Sign(x) * y;
    }
}
