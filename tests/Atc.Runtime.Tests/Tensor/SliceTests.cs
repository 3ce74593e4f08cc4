using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Tests.Ops;

namespace Atc.Tests.TensorOps;

public class SliceTests
{
    /// <summary>Python-style slicing of one axis with ONNX clamping: the list of indices taken.</summary>
    private static int[] Indices(long start, long end, long step, int dim)
    {
        if (start < 0) start += dim;
        if (end < 0) end += dim;
        var list = new List<int>();
        if (step > 0)
        {
            start = Math.Clamp(start, 0, dim);
            end = Math.Clamp(end, 0, dim);
            for (long i = start; i < end; i += step) list.Add((int)i);
        }
        else
        {
            start = Math.Clamp(start, 0, dim - 1);
            end = Math.Clamp(end, -1, dim - 1);
            for (long i = start; i > end; i += step) list.Add((int)i);
        }
        return [.. list];
    }

    private static float[] Gather(int[] dims, float[] x, int[][] indices, out int[] outDims)
    {
        outDims = indices.Select(i => i.Length).ToArray();
        var y = new float[Shape.ElementCount(outDims)];
        var index = new int[dims.Length];
        var source = new int[dims.Length];
        for (int i = 0; i < y.Length; i++)
        {
            Naive.Decompose(i, outDims, index);
            for (int d = 0; d < dims.Length; d++) source[d] = indices[d][index[d]];
            y[i] = x[Naive.Linear(dims, source)];
        }
        return y;
    }

    public static TheoryData<long[], long[], long[], long[]> Cases => new()
    {
        { [0, 0], [3, 10], [0, 1], [1, 1] },                       // test_slice
        { [0, 0, 3], [20, 10, 4], [0, 1, 2], [1, 1, 1] },            // test_slice_default_steps
        { [20, 10, 4], [0, 0, 1], [0, 1, 2], [-1, -3, -2] },         // test_slice_neg_steps
        { [0, 1], [-1, 1000], [0, 1], [1, 1] },                      // test_slice_neg / end out of bounds
        { [1000], [1000], [1], [1] },                                // test_slice_start_out_of_bounds
        { [0, 0, 3], [20, 10, 4], [0, -2, -1], [1, 1, 1] },          // test_slice_negative_axes
        { [-1], [long.MinValue], [2], [-1] },                        // reverse a whole axis
        { [long.MaxValue, 2], [long.MinValue, 9], [0, 2], [-2, 3] },
        { [5], [1], [1], [1] },                                      // empty
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SliceMatchesPythonClamping(long[] starts, long[] ends, long[] axes, long[] steps)
    {
        int[] dims = [20, 10, 5];
        var x = T.Iota(dims);
        var indices = dims.Select(d => Enumerable.Range(0, d).ToArray()).ToArray();
        for (int i = 0; i < axes.Length; i++)
        {
            int axis = (int)(axes[i] < 0 ? axes[i] + 3 : axes[i]);
            indices[axis] = Indices(starts[i], ends[i], steps[i], dims[axis]);
        }
        var expected = Gather(dims, x.ToFloatArray(), indices, out var outDims);
        var result = OpTester.Run(OpTypes.Slice, null, x, T.Longs(starts), T.Longs(ends), T.Longs(axes), T.Longs(steps));
        T.Close(outDims, expected, result);
    }

    [Fact]
    public void SliceWithDefaultAxesAndInt64Data()
    {
        T.Longs([2], [20, 30], OpTester.Run(OpTypes.Slice, null, T.Longs(10, 20, 30, 40), T.Longs(1), T.Longs(3)));
        T.Longs([2], [40, 20], OpTester.Run(OpTypes.Slice, null, T.Longs(10, 20, 30, 40), T.Longs(-1), T.Longs(0), T.Longs(0), T.Longs(-2)));
        // Opset-1 attributes.
        T.Close([1, 2], [1, 2], OpTester.Run(OpTypes.Slice, T.Attrs(("starts", new long[] { 0, 1 }), ("ends", new long[] { 1, 3 })), T.Iota(2, 3)));
    }

    [Fact]
    public void SliceErrors()
    {
        var x = T.Iota(4, 4);
        OpTester.ShapeError(OpTypes.Slice, null, [x, T.Longs(0), T.Longs(2), T.Longs(2)], "axis 2", "rank 2");
        OpTester.ShapeError(OpTypes.Slice, null, [x, T.Longs(0), T.Longs(2), T.Longs(0), T.Longs(0)], "step");
        OpTester.ShapeError(OpTypes.Slice, null, [x, T.Longs(0, 0), T.Longs(2)], "same length");
    }

    // ---- TensorFlow StridedSlice ----

    private static readonly TensorData TfInput = T.F([3, 2, 3], 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6);

    private static TensorData Strided(TensorData x, long[] begin, long[] end, long[] strides,
        long beginMask = 0, long endMask = 0, long ellipsisMask = 0, long newAxisMask = 0, long shrinkMask = 0) =>
        OpTester.Run(OpTypes.StridedSlice,
            T.Attrs(("begin_mask", beginMask), ("end_mask", endMask), ("ellipsis_mask", ellipsisMask),
                ("new_axis_mask", newAxisMask), ("shrink_axis_mask", shrinkMask)),
            x, T.Longs(begin), T.Longs(end), T.Longs(strides));

    [Fact]
    public void StridedSliceMatchesTensorFlowDocumentation()
    {
        // tf.strided_slice documentation examples on [[[1,1,1],[2,2,2]],[[3,3,3],[4,4,4]],[[5,5,5],[6,6,6]]].
        T.Close([1, 1, 3], [3, 3, 3], Strided(TfInput, [1, 0, 0], [2, 1, 3], [1, 1, 1]));
        T.Close([1, 2, 3], [3, 3, 3, 4, 4, 4], Strided(TfInput, [1, 0, 0], [2, 2, 3], [1, 1, 1]));
        T.Close([1, 2, 3], [4, 4, 4, 3, 3, 3], Strided(TfInput, [1, -1, 0], [2, -3, 3], [1, -1, 1]));
    }

    [Fact]
    public void StridedSliceMasks()
    {
        var x = T.Iota(4, 5, 6);
        // x[1:, :3] → begin_mask on axis 1, implicit ellipsis for axis 2.
        var r = Strided(x, [1, 0], [0, 3], [1, 1], beginMask: 0b10, endMask: 0b01);
        T.Close([3, 3, 6], Gather([4, 5, 6], x.ToFloatArray(), [[1, 2, 3], [0, 1, 2], [0, 1, 2, 3, 4, 5]], out _), r);
        // x[2] → shrink axis 0.
        r = Strided(x, [2], [3], [1], shrinkMask: 1);
        T.Close([5, 6], Gather([4, 5, 6], x.ToFloatArray(), [[2], [0, 1, 2, 3, 4], [0, 1, 2, 3, 4, 5]], out _), r);
        // x[-1, ..., ::-2] → shrink, ellipsis, reversed stride on the last axis with begin and end masked.
        r = Strided(x, [-1, 0, 0], [0, 0, 0], [1, 1, -2], beginMask: 0b100, endMask: 0b100, ellipsisMask: 0b010, shrinkMask: 0b001);
        T.Close([5, 3], Gather([4, 5, 6], x.ToFloatArray(), [[3], [0, 1, 2, 3, 4], [5, 3, 1]], out _), r);
        // x[:, tf.newaxis, 1:4:2] → new axis between.
        r = Strided(x, [0, 0, 1], [0, 0, 4], [1, 1, 2], beginMask: 0b001, endMask: 0b001, newAxisMask: 0b010);
        T.Dims([4, 1, 2, 6], r);
        T.Close(Gather([4, 5, 6], x.ToFloatArray(), [[0, 1, 2, 3], [1, 3], [0, 1, 2, 3, 4, 5]], out _), r);
        // x[..., 1, tf.newaxis] → new axis after the ellipsis counts toward the ellipsis expansion.
        r = Strided(x, [0, 1, 0], [0, 2, 0], [1, 1, 1], ellipsisMask: 0b001, newAxisMask: 0b100, shrinkMask: 0b010);
        T.Dims([4, 5, 1], r);
        T.Close(Gather([4, 5, 6], x.ToFloatArray(), [[0, 1, 2, 3], [0, 1, 2, 3, 4], [1]], out _), r);
        // Out-of-range begin/end clamp like Python.
        r = Strided(x, [-100, 2], [100, 100], [1, 1]);
        T.Dims([4, 3, 6], r);
        // x[::-1] reverses axis 0.
        r = Strided(T.Longs(1, 2, 3), [0], [0], [-1], beginMask: 1, endMask: 1);
        T.Longs([3], [3, 2, 1], r);
    }

    [Fact]
    public void StridedSliceErrors()
    {
        var x = T.Iota(4, 5);
        var e = Assert.Throws<ShapeException>(() => Strided(x, [7], [8], [1], shrinkMask: 1));
        Assert.Contains("index 7", e.Message);
        e = Assert.Throws<ShapeException>(() => Strided(x, [0], [1], [0]));
        Assert.Contains("stride", e.Message);
        e = Assert.Throws<ShapeException>(() => Strided(x, [0, 0, 0], [1, 1, 1], [1, 1, 1]));
        Assert.Contains("rank 2", e.Message);
    }
}
