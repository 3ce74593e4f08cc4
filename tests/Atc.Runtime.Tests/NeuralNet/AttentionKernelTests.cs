using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// The Attention kernel against a naive softmax(scale · Q·Kᵀ + mask) · V in doubles, on every ISA path: batch dims
/// broadcast between Q, Kᵀ, V and the mask, key counts around the single-block limit and far past it (running
/// maximum across key blocks), 1 and 2 threads, no allocation per run, and its shape errors.
/// </summary>
public class AttentionKernelTests
{
    public static TheoryData<int, int, int, int> Cases => new()
    {
        // queries, keys, depth, value depth
        { 1, 1, 1, 1 },
        { 7, 7, 5, 3 },
        { 5, 300, 17, 9 },
        { 6, AttentionKernel.SingleBlockKeys + 1, 8, 4 },
        { 3, 1100, 4, 33 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_naive_attention_on_every_isa(int queries, int keys, int depth, int valueDepth)
    {
        // Q [2, 3, Sq, D], Kᵀ [1, 3, D, Sk] (broadcast over the batch), V [3, Sk, Dv], mask [2, 1, 1, Sk] (padding).
        int[] qDims = [2, 3, queries, depth], kDims = [1, 3, depth, keys], vDims = [3, keys, valueDepth], mDims = [2, 1, 1, keys];
        var q = TestData.Random(1, TestData.Count(qDims), 2f);
        var k = TestData.Random(2, TestData.Count(kDims), 2f);
        var v = TestData.Random(3, TestData.Count(vDims));
        var mask = TestData.Random(4, TestData.Count(mDims), 3f);
        // Late keys large and early ones small, so the running maximum moves up between key blocks.
        for (int i = 0; i < k.Length; i++) k[i] *= 1 + 2f * (i % keys) / keys;
        const float scale = 0.3f;
        var expected = Naive(q, k, v, mask, queries, keys, depth, valueDepth, scale);
        var attributes = OpAttributes.Empty.Set("scale", scale).Set("mask", "add");
        TestInput[] inputs = [new(qDims, q), new(kDims, k), new(vDims, v), new(mDims, mask)];
        foreach (var isa in new[] { Isa.Portable, Isa.Avx2, Isa.Avx512 }.Where(i => i <= KernelIsa.Best))
            foreach (int threads in new[] { 1, 2 })
            {
                var (actual, dims) = OpRunner.Run(OpTypes.Attention, attributes, inputs, threads, isa);
                Assert.Equal([2, 3, queries, valueDepth], dims);
                TensorAssert.Close(expected, actual, 1e-5, $"{isa}, {threads} thread(s)");
            }
    }

    [Fact]
    public void A_run_allocates_nothing()
    {
        TestInput[] inputs = [new([2, 8, 4], TestData.Random(1, 64)), new([2, 4, 8], TestData.Random(2, 64)), new([2, 8, 3], TestData.Random(3, 48))];
        Assert.Equal(0, OpRunner.AllocatedBytesPerRun(OpTypes.Attention, OpAttributes.Empty.Set("scale", 0.5f), inputs));
    }

    [Theory]
    [InlineData(new[] { 2, 4, 5 }, new[] { 2, 3, 6 }, new[] { 2, 6, 2 }, "Kᵀ")]       // D differs
    [InlineData(new[] { 2, 4, 5 }, new[] { 2, 5, 6 }, new[] { 2, 7, 2 }, "V")]        // Sk differs
    [InlineData(new[] { 2, 4, 5 }, new[] { 3, 5, 6 }, new[] { 2, 6, 2 }, "broadcast")] // batch 2 vs 3
    [InlineData(new[] { 5 }, new[] { 5, 6 }, new[] { 6, 2 }, "rank 2")]
    public void Mismatched_shapes_are_shape_errors_naming_the_input(int[] q, int[] k, int[] v, string expected)
    {
        TestInput[] inputs = [new(q, new float[TestData.Count(q)]), new(k, new float[TestData.Count(k)]), new(v, new float[TestData.Count(v)])];
        var error = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Attention, OpAttributes.Empty, inputs));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith(OpTypes.Attention, error.Message);
    }

    [Fact]
    public void A_mask_that_would_enlarge_the_scores_is_a_shape_error()
    {
        TestInput[] inputs = [new([1, 4], new float[4]), new([4, 6], new float[24]), new([6, 2], new float[12]), new([3, 6], new float[18])];
        var error = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Attention, OpAttributes.Empty.Set("mask", "add"), inputs));
        Assert.Contains("without enlarging", error.Message);
    }

    private static double[] Naive(float[] q, float[] k, float[] v, float[] mask, int sq, int sk, int d, int dv, float scale)
    {
        var y = new double[2 * 3 * sq * dv];
        var s = new double[sk];
        for (int n = 0; n < 2; n++)
            for (int h = 0; h < 3; h++)
                for (int i = 0; i < sq; i++)
                {
                    double max = double.NegativeInfinity;
                    for (int j = 0; j < sk; j++)
                    {
                        double dot = 0;
                        for (int p = 0; p < d; p++) dot += (double)q[((n * 3 + h) * sq + i) * d + p] * k[(h * d + p) * sk + j];
                        s[j] = (float)(dot * scale) + (double)mask[n * sk + j];
                        max = Math.Max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < sk; j++) sum += s[j] = Math.Exp(s[j] - max);
                    for (int c = 0; c < dv; c++)
                    {
                        double acc = 0;
                        for (int j = 0; j < sk; j++) acc += s[j] * v[(h * sk + j) * dv + c];
                        y[((n * 3 + h) * sq + i) * dv + c] = acc / sum;
                    }
                }
        return y;
    }
}
