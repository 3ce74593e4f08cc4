using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;
using Atc.Tests.NeuralNet;

namespace Atc.Tests.Ops;

/// <summary>Softmax rows of 1-16 values (the in-register path) on every instruction set, against a double reference.</summary>
[Collection("NeuralNet")]
public class SoftmaxShortRowTests
{
    private static double[] Reference(float[] x, int length)
    {
        var y = new double[x.Length];
        for (int r = 0; r < x.Length / length; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int i = 0; i < length; i++) max = Math.Max(max, x[r * length + i]);
            for (int i = 0; i < length; i++) sum += Math.Exp(x[r * length + i] - max);
            for (int i = 0; i < length; i++) y[r * length + i] = Math.Exp(x[r * length + i] - max) / sum;
        }
        return y;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 10)]
    [InlineData(3, 7)]
    [InlineData(5, 16)]
    [InlineData(2, 17)]       // just past the short path
    [InlineData(4000, 10)]    // enough rows to split over threads
    public void MatchesReferenceOnEveryIsa(int rows, int length)
    {
        var x = TestData.Random(41, rows * length, scale: 20f);
        x[0] = 30000f;        // a large logit must not overflow
        var expected = Reference(x, length);
        foreach (var isa in new Isa?[] { null, Isa.Avx2, Isa.Portable })
            foreach (int threads in new[] { 1, 2 })
            {
                var (actual, dims) = OpRunner.Run(OpTypes.Softmax, new OpAttributes(), [new([rows, length], x)], threads, isa);
                Assert.Equal(new[] { rows, length }, dims);
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-6 + 2e-6 * expected[i],
                        $"isa={isa} threads={threads} element {i}: expected {expected[i]:G9}, got {actual[i]:G9}");
            }
    }

    [Fact]
    public void ANaNMakesItsRowNaNOnEveryIsa()
    {
        float[] x = [1f, float.NaN, 2f, 0.5f, 3f, 4f];
        foreach (var isa in new Isa?[] { null, Isa.Avx2, Isa.Portable })
        {
            var actual = OpRunner.Run(OpTypes.Softmax, new OpAttributes(), [new([2, 3], x)], isa: isa).Data;
            Assert.All(actual[..3], v => Assert.True(float.IsNaN(v), $"isa={isa}: {v}"));
            Assert.All(actual[3..], v => Assert.False(float.IsNaN(v), $"isa={isa}: {v}"));
        }
    }
}
