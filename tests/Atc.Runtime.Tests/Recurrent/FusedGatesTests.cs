using System.Runtime.Intrinsics;
using Atc.Runtime.Operators.Recurrent;
using Atc.Runtime.MicroKernels;

namespace Atc.Tests.Recurrent;

/// <summary>The gate activations' rational tanh and exp-based sigmoid, per vector width, against double precision (relative error).</summary>
public unsafe class FusedGatesTests
{
    private static IEnumerable<float> Points()
    {
        for (int i = -2000; i <= 2000; i++) yield return i * 0.01f;                       // [-20, 20] in steps of 0.01
        foreach (float x in new[] { 1e-7f, -1e-7f, 3e-4f, 1e-2f, 7.9f, 7.91f, 50f, -50f, 1e30f, -1e30f, float.MaxValue, float.MinValue }) yield return x;
    }

    [Fact]
    public void Tanh_and_sigmoid_are_within_a_few_ulp_on_every_width()
    {
        double worstTanh = 0, worstSigmoid = 0;
        foreach (float x in Points())
        {
            double tanh = Math.Tanh(x), sigmoid = 1 / (1 + Math.Exp(-(double)x));
            foreach (var (t, s) in new[]
            {
                (FusedGates<ActivationVector1, float>.Tanh(x), FusedGates<ActivationVector1, float>.Sigmoid(x)),
                (FusedGates<ActivationVector128, Vector128<float>>.Tanh(Vector128.Create(x)).GetElement(3), FusedGates<ActivationVector128, Vector128<float>>.Sigmoid(Vector128.Create(x)).GetElement(3)),
                (FusedGates<ActivationVector256, Vector256<float>>.Tanh(Vector256.Create(x)).GetElement(7), FusedGates<ActivationVector256, Vector256<float>>.Sigmoid(Vector256.Create(x)).GetElement(7)),
                (FusedGates<ActivationVector512, Vector512<float>>.Tanh(Vector512.Create(x)).GetElement(15), FusedGates<ActivationVector512, Vector512<float>>.Sigmoid(Vector512.Create(x)).GetElement(15)),
            })
            {
                // Both relative to their value: small arguments of tanh and small sigmoid outputs stay accurate.
                worstTanh = Math.Max(worstTanh, Math.Abs(t - tanh) / Math.Max(Math.Abs(tanh), 1e-30));
                if (sigmoid > 1e-30) worstSigmoid = Math.Max(worstSigmoid, Math.Abs(s - sigmoid) / sigmoid);
                Assert.InRange(t, -1f, 1f);
                Assert.InRange(s, 0f, 1f);
            }
        }
        Assert.True(worstTanh < 1e-6, $"tanh relative error {worstTanh}");
        Assert.True(worstSigmoid < 1e-6, $"sigmoid relative error {worstSigmoid}");
    }
}
