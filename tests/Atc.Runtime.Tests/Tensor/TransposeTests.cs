using Atc.Runtime;
using Atc.Runtime.Operators;
using Atc.Tests.Ops;

namespace Atc.Tests.TensorOps;

public class TransposeTests
{
    private static float[] NaiveTranspose(int[] dims, float[] x, int[] perm, out int[] outDims)
    {
        outDims = perm.Select(p => dims[p]).ToArray();
        var y = new float[x.Length];
        var index = new int[dims.Length];
        var source = new int[dims.Length];
        for (int i = 0; i < y.Length; i++)
        {
            Naive.Decompose(i, outDims, index);
            for (int d = 0; d < perm.Length; d++) source[perm[d]] = index[d];
            y[i] = x[Naive.Linear(dims, source)];
        }
        return y;
    }

    private static IEnumerable<int[]> Permutations(int[] items) => items.Length <= 1
        ? [items]
        : items.SelectMany(first => Permutations([.. items.Where(i => i != first)]).Select(rest => (int[])[first, .. rest]));

    [Fact]
    public void EveryPermutationOf4DMatchesNaive()
    {
        int[] dims = [2, 3, 17, 19];
        var x = T.Iota(dims);
        foreach (var perm in Permutations([0, 1, 2, 3]))
        {
            var expected = NaiveTranspose(dims, x.ToFloatArray(), perm, out var outDims);
            T.Close(outDims, expected, OpTester.Run(OpTypes.Transpose, T.Attrs(("perm", perm.Select(p => (long)p).ToArray())), x));
        }
    }

    [Theory]
    [InlineData(new[] { 1, 3, 1, 5 }, new[] { 3, 0, 2, 1 })]
    [InlineData(new[] { 2, 40, 33 }, new[] { 0, 2, 1 })]
    [InlineData(new[] { 4, 1, 6 }, new[] { 2, 1, 0 })]
    [InlineData(new[] { 2, 3, 4, 5, 6 }, new[] { 4, 2, 0, 3, 1 })]
    [InlineData(new[] { 1, 8, 30, 30 }, new[] { 0, 2, 3, 1 })]
    [InlineData(new[] { 1, 30, 30, 8 }, new[] { 0, 3, 1, 2 })]
    // RGB planes to channels-last (the interleaving path: 16-pixel vectors plus a tail) and other few-plane cases.
    [InlineData(new[] { 1, 3, 224, 224 }, new[] { 0, 2, 3, 1 })]
    [InlineData(new[] { 3, 3, 7, 9 }, new[] { 0, 2, 3, 1 })]
    [InlineData(new[] { 2, 2, 5, 5 }, new[] { 0, 2, 3, 1 })]
    [InlineData(new[] { 2, 4, 9, 9 }, new[] { 0, 2, 3, 1 })]
    [InlineData(new[] { 4, 3 }, new[] { 1, 0 })]
    public void OddShapesAndSizeOneAxes(int[] dims, int[] perm)
    {
        var x = T.Iota(dims);
        var expected = NaiveTranspose(dims, x.ToFloatArray(), perm, out var outDims);
        T.Close(outDims, expected, OpTester.Run(OpTypes.Transpose, T.Attrs(("perm", perm.Select(p => (long)p).ToArray())), x));
        var threaded = OpTester.RunMany(OpTypes.Transpose, T.Attrs(("perm", perm.Select(p => (long)p).ToArray())), [x], null, 1, new ThreadedPool(3))[0];
        T.Close(outDims, expected, threaded);
    }

    [Fact]
    public void DefaultPermReversesAndOtherElementSizesWork()
    {
        var x = T.Longs(1, 2, 3, 4, 5, 6).Reshaped(2, 3);
        T.Longs([3, 2], [1, 4, 2, 5, 3, 6], OpTester.Run(OpTypes.Transpose, null, x));
        T.Bools([2, 2], [true, false, true, false], OpTester.Run(OpTypes.Transpose, null, T.B([2, 2], true, true, false, false)));
        T.Equal(DataType.UInt8, [3, 2], new byte[] { 1, 4, 2, 5, 3, 6 }, OpTester.Run(OpTypes.Transpose, null, T.U8([2, 3], 1, 2, 3, 4, 5, 6)));
    }

    [Fact]
    public void BadPermIsAShapeError()
    {
        OpTester.ShapeError(OpTypes.Transpose, T.Attrs(("perm", new long[] { 0, 0 })), [T.Iota(2, 3)], "[0,0]");
        OpTester.ShapeError(OpTypes.Transpose, T.Attrs(("perm", new long[] { 0 })), [T.Iota(2, 3)], "[0]", "rank 2");
    }

    [Fact]
    public void DepthToSpaceDcrAndCrdMatchOnnxExamples()
    {
        // ONNX DepthToSpace examples: x = arange(48) reshaped to [1, 8, 2, 3], blocksize 2.
        var x = T.Iota(1, 8, 2, 3);
        float[] dcr =
        [
            0, 12, 1, 13, 2, 14, 24, 36, 25, 37, 26, 38, 3, 15, 4, 16, 5, 17, 27, 39, 28, 40, 29, 41,
            6, 18, 7, 19, 8, 20, 30, 42, 31, 43, 32, 44, 9, 21, 10, 22, 11, 23, 33, 45, 34, 46, 35, 47,
        ];
        T.Close([1, 2, 4, 6], dcr, OpTester.Run(OpTypes.DepthToSpace, T.Attrs(("blocksize", 2)), x));
        float[] crd =
        [
            0, 6, 1, 7, 2, 8, 12, 18, 13, 19, 14, 20, 3, 9, 4, 10, 5, 11, 15, 21, 16, 22, 17, 23,
            24, 30, 25, 31, 26, 32, 36, 42, 37, 43, 38, 44, 27, 33, 28, 34, 29, 35, 39, 45, 40, 46, 41, 47,
        ];
        T.Close([1, 2, 4, 6], crd, OpTester.Run(OpTypes.DepthToSpace, T.Attrs(("blocksize", 2), ("mode", "CRD")), x));
    }

    [Fact]
    public void SpaceToDepthInvertsDepthToSpaceInBothLayouts()
    {
        var x = T.Random(41, [2, 12, 3, 5]);
        var d2s = OpTester.Run(OpTypes.DepthToSpace, T.Attrs(("blocksize", 2)), x);
        T.Dims([2, 3, 6, 10], d2s);
        T.Close([2, 12, 3, 5], x.ToFloatArray(), OpTester.Run(OpTypes.SpaceToDepth, T.Attrs(("blocksize", 2)), d2s));

        // NHWC (TensorFlow): out[n, h*b + i, w*b + j, c] = in[n, h, w, (i*b + j)*C' + c].
        var nhwc = T.Random(42, [1, 2, 3, 8]);
        var result = OpTester.Run(OpTypes.DepthToSpace, T.Attrs(("blocksize", 2), ("layout", "NHWC")), nhwc);
        T.Dims([1, 4, 6, 2], result);
        var r = result.ToFloatArray();
        var v = nhwc.ToFloatArray();
        for (int h = 0; h < 2; h++)
            for (int w = 0; w < 3; w++)
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++)
                        for (int c = 0; c < 2; c++)
                            Assert.Equal(v[Naive.Linear([1, 2, 3, 8], 0, h, w, (i * 2 + j) * 2 + c)], r[Naive.Linear([1, 4, 6, 2], 0, h * 2 + i, w * 2 + j, c)]);
        T.Close([1, 2, 3, 8], v, OpTester.Run(OpTypes.SpaceToDepth, T.Attrs(("blocksize", 2), ("layout", "NHWC")), result));
    }

    [Fact]
    public void DepthToSpaceErrors()
    {
        OpTester.ShapeError(OpTypes.DepthToSpace, T.Attrs(("blocksize", 2)), [T.Iota(1, 6, 2, 2)], "channels 6", "4");
        OpTester.ShapeError(OpTypes.SpaceToDepth, T.Attrs(("blocksize", 2)), [T.Iota(1, 1, 3, 2)], "height 3");
        OpTester.ShapeError(OpTypes.DepthToSpace, T.Attrs(("blocksize", 2)), [T.Iota(8, 2, 2)], "4-D", "[8,2,2]");
    }
}
