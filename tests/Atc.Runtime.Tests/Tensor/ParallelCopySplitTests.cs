using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Tests.NeuralNet;

namespace Atc.Tests.TensorOps;

/// <summary>
/// Concat and Transpose split their copies over the worker pool (by output cache lines, by blocks of the input's
/// innermost axis). Shapes large enough to make several tasks must give the naive result at 1 and 2 threads.
/// </summary>
public class ParallelCopySplitTests
{
    public static IEnumerable<object[]> ConcatCases() =>
    [
        // Channels-last: one short row per pixel (a U-Net skip connection), rows split across tasks.
        [new[] { new[] { 2, 64, 64, 16 }, new[] { 2, 64, 64, 16 } }, 3],
        // Odd chunk sizes so task boundaries fall inside chunks and rows, and an empty input.
        [new[] { new[] { 3, 97, 5 }, new[] { 3, 97, 0 }, new[] { 3, 97, 3 }, new[] { 3, 97, 7 } }, 2],
        // Axis 0: one long row per input.
        [new[] { new[] { 300, 301 }, new[] { 211, 301 } }, 0],
    ];

    [Theory]
    [MemberData(nameof(ConcatCases))]
    public void ConcatSplitMatchesNaiveAtOneAndTwoThreads(int[][] shapes, int axis)
    {
        var inputs = shapes.Select((s, k) => new TestInput(s, TestData.Random(70 + k, TestData.Count(s)))).ToArray();
        var expected = NaiveConcat(inputs, axis);
        var attrs = new OpAttributes().Set("axis", axis);
        foreach (int threads in new[] { 1, 2 })
        {
            var (actual, _) = OpRunner.Run(OpTypes.Concat, attrs, inputs, threads);
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData(new[] { 1, 16, 128, 128 }, new[] { 0, 2, 3, 1 })]   // NCHW → NHWC of a decoder layer: one strip of Y
    [InlineData(new[] { 2, 3, 40, 1100 }, new[] { 0, 3, 2, 1 })]    // X not a multiple of the block
    public void TransposeSplitMatchesNaiveAtOneAndTwoThreads(int[] dims, int[] perm)
    {
        var x = TestData.Random(80, TestData.Count(dims));
        var attrs = new OpAttributes().Set("perm", perm.Select(p => (long)p).ToArray());
        var expected = NaiveTranspose(x, dims, perm);
        foreach (int threads in new[] { 1, 2 })
        {
            var (actual, _) = OpRunner.Run(OpTypes.Transpose, attrs, [new TestInput(dims, x)], threads);
            Assert.Equal(expected, actual);
        }
    }

    private static float[] NaiveConcat(TestInput[] inputs, int axis)
    {
        int rank = inputs[0].Dims.Length;
        long outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= inputs[0].Dims[d];
        for (int d = axis + 1; d < rank; d++) inner *= inputs[0].Dims[d];
        var result = new List<float>();
        for (long o = 0; o < outer; o++)
            foreach (var input in inputs)
            {
                long chunk = input.Dims[axis] * inner;
                for (long i = 0; i < chunk; i++) result.Add(input.Data[o * chunk + i]);
            }
        return [.. result];
    }

    private static float[] NaiveTranspose(float[] x, int[] dims, int[] perm)
    {
        int rank = dims.Length;
        var outDims = perm.Select(p => dims[p]).ToArray();
        var inStrides = new long[rank];
        inStrides[rank - 1] = 1;
        for (int d = rank - 2; d >= 0; d--) inStrides[d] = inStrides[d + 1] * dims[d + 1];
        var y = new float[x.Length];
        var index = new int[rank];
        for (long i = 0; i < y.Length; i++)
        {
            long source = 0;
            for (int d = 0; d < rank; d++) source += index[d] * inStrides[perm[d]];
            y[i] = x[source];
            for (int d = rank - 1; d >= 0 && ++index[d] == outDims[d]; d--) index[d] = 0;
        }
        return y;
    }
}
