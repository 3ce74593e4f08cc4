using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Elementwise.Binary;
using Atc.Tests.NeuralNet;

namespace Atc.Tests.Elementwise;

/// <summary>
/// GatedMul's channels-last path (<see cref="ChannelGateMultiply"/>) against a double-precision reference on every
/// ISA and on 1 and 2 threads: channel counts with and without a vector tail, one gate row or one per batch item;
/// the channels-first shape keeps the broadcast kernel and must give the same values.
/// </summary>
[Collection("NeuralNet")]
public class GatedMulKernelTests
{
    public static TheoryData<int[], int[], string> Cases => new()
    {
        { [1, 3, 3, 96], [1, 1, 1, 96], "Sigmoid" },
        { [2, 5, 7, 37], [2, 1, 1, 37], "Sigmoid" },
        { [2, 40, 40, 37], [2, 1, 1, 37], "HardSigmoid" },   // large enough to split over 2 threads
        { [3, 40, 40, 20], [1, 1, 1, 20], "Sigmoid" },       // one gate row shared by the batch
        { [1, 4, 4, 1], [1, 1, 1, 1], "HardSigmoid" },
        { [2, 9, 11, 3], [2, 1, 1, 3], "Sigmoid" },          // fewer channels than any vector
        { [2, 24, 6, 6], [2, 24, 1, 1], "Sigmoid" },         // channels first: the broadcast kernel
        { [5, 17], [5, 17], "Sigmoid" },                     // rank 2, gate per row: channels-last with one row each
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gated_multiply_matches_the_reference_on_every_isa(int[] xDims, int[] gateDims, string gate)
    {
        var x = TestData.Random(11, TestData.Count(xDims), 3f);
        var g = TestData.Random(12, TestData.Count(gateDims), 4f);
        var attrs = new OpAttributes().Set("gate", gate).Set("alpha", 0.25f).Set("beta", 0.4f);
        var expected = Reference(x, xDims, g, gateDims, gate);
        foreach (var isa in new Isa?[] { null, Isa.Avx2, Isa.Portable })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                var (actual, dims) = OpRunner.Run(OpTypes.GatedMul, attrs, [new TestInput(xDims, x), new TestInput(gateDims, g)], threads, isa);
                Assert.Equal(xDims, dims);
                TensorAssert.Close(expected, actual, 1e-5, $"{string.Join('x', xDims)} isa={isa?.ToString() ?? "best"} threads={threads}");
            }
        }
    }

    [Theory]
    [InlineData(new[] { 1, 7, 7, 32 }, new[] { 1, 1, 1, 32 }, true)]
    [InlineData(new[] { 4, 7, 7, 32 }, new[] { 4, 1, 1, 32 }, true)]
    [InlineData(new[] { 4, 7, 7, 32 }, new[] { 2, 1, 1, 32 }, false)]
    [InlineData(new[] { 1, 32, 7, 7 }, new[] { 1, 32, 1, 1 }, false)]
    [InlineData(new[] { 1, 7, 7, 32 }, new[] { 1, 1, 7, 32 }, false)]
    [InlineData(new[] { 1, 7, 7, 32 }, new[] { 32 }, false)]
    [InlineData(new[] { 32 }, new[] { 32 }, false)]
    public void Channels_last_path_takes_only_a_per_channel_gate(int[] xDims, int[] gateDims, bool fits)
        => Assert.Equal(fits, ChannelGateMultiply.Fits(xDims, gateDims));

    private static double[] Reference(float[] x, int[] xDims, float[] g, int[] gateDims, string gate)
    {
        var y = new double[x.Length];
        int rank = xDims.Length;
        var index = new int[rank];
        for (int i = 0; i < x.Length; i++)
        {
            int rest = i;
            for (int d = rank - 1; d >= 0; d--) { index[d] = rest % xDims[d]; rest /= xDims[d]; }
            int gi = 0;
            for (int d = 0; d < rank; d++) gi = gi * gateDims[d] + (gateDims[d] == 1 ? 0 : index[d]);
            double v = g[gi];
            double gated = gate == "Sigmoid" ? 1 / (1 + Math.Exp(-v)) : Math.Clamp(0.25 * v + 0.4, 0, 1);
            y[i] = x[i] * gated;
        }
        return y;
    }
}
