using Atc.Runtime;
using Atc.Runtime.Operators;
using Atc.Tests.Ops;

namespace Atc.Tests.TensorOps;

public class PadGatherTileTests
{
    private static readonly TensorData Grid = T.F([3, 2], 1, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f);

    [Fact]
    public void PadModesMatchOnnxExamples()
    {
        // ONNX Pad operator examples with pads [0, 2, 0, 0].
        var pads = T.Longs(0, 2, 0, 0);
        T.Close([3, 4], [0, 0, 1, 1.2f, 0, 0, 2.3f, 3.4f, 0, 0, 4.5f, 5.7f], OpTester.Run(OpTypes.Pad, null, Grid, pads, T.F([], 0)));
        T.Close([3, 4], [1, 1.2f, 1, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f],
            OpTester.Run(OpTypes.Pad, T.Attrs(("mode", "reflect")), T.F([3, 2], 1, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f), pads));
        T.Close([3, 4], [1, 1, 1, 1.2f, 2.3f, 2.3f, 2.3f, 3.4f, 4.5f, 4.5f, 4.5f, 5.7f], OpTester.Run(OpTypes.Pad, T.Attrs(("mode", "edge")), Grid, pads));
    }

    [Fact]
    public void ReflectMirrorsWithoutRepeatingTheEdge()
    {
        // numpy.pad([1,2,3,4], (3, 5), 'reflect') == [4,3,2,1,2,3,4,3,2,1,2,3]
        T.Close([12], [4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3], OpTester.Run(OpTypes.Pad, T.Attrs(("mode", "reflect")), T.F([4], 1, 2, 3, 4), T.Longs(3, 5)));
        T.Close([7], [3, 4, 1, 2, 3, 4, 1], OpTester.Run(OpTypes.Pad, T.Attrs(("mode", "wrap")), T.F([4], 1, 2, 3, 4), T.Longs(2, 1)));
    }

    [Fact]
    public void PadConstantValueNegativePadsAndAxes()
    {
        var x = T.Iota(2, 3);
        // Crop one column from the left, add one row of 9 below.
        T.Close([3, 2], [1, 2, 4, 5, 9, 9], OpTester.Run(OpTypes.Pad, null, x, T.Longs(0, -1, 1, 0), T.F([], 9)));
        // Run-time constant value.
        T.Close([2, 5], [7, 0, 1, 2, 7, 7, 3, 4, 5, 7], OpTester.RunDynamic(OpTypes.Pad, null, [true, true, false], x, T.Longs(0, 1, 0, 1), T.F([], 7)));
        // ONNX-18 axes input: pad only axis 1.
        T.Close([2, 4], [0, 0, 1, 2, 0, 3, 4, 5], OpTester.Run(OpTypes.Pad, null, x, T.Longs(1, 0), null, T.Longs(-1)));
        // 4-D NCHW spatial padding as convolution front ends use it.
        var image = T.Random(51, [2, 3, 4, 5]);
        var padded = OpTester.Run(OpTypes.Pad, null, image, T.Longs(0, 0, 1, 2, 0, 0, 3, 1));
        T.Dims([2, 3, 8, 8], padded);
        var p = padded.ToFloatArray();
        var v = image.ToFloatArray();
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int h = 0; h < 8; h++)
                    for (int w = 0; w < 8; w++)
                    {
                        int ih = h - 1, iw = w - 2;
                        float expected = ih >= 0 && ih < 4 && iw >= 0 && iw < 5 ? v[Naive.Linear([2, 3, 4, 5], n, c, ih, iw)] : 0;
                        Assert.Equal(expected, p[Naive.Linear([2, 3, 8, 8], n, c, h, w)]);
                    }
        T.Longs([4], [0, 5, 6, 0], OpTester.Run(OpTypes.Pad, null, T.Longs(5, 6), T.Longs(1, 1)));
    }

    [Fact]
    public void PadErrors()
    {
        OpTester.ShapeError(OpTypes.Pad, null, [T.Iota(2, 3), T.Longs(1, 1)], "[1,1]", "4 values");
        OpTester.ShapeError(OpTypes.Pad, null, [T.Iota(2, 3), T.Longs(0, -2, 0, -2)], "axis 1", "size 3");
        OpTester.ShapeError(OpTypes.Pad, T.Attrs(("mode", "mirror")), [T.Iota(2), T.Longs(1, 1)], "mirror");
    }

    [Fact]
    public void GatherAlongAxesWithNegativeIndices()
    {
        // ONNX Gather examples.
        var data = T.F([3, 2], 1, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f);
        T.Close([2, 2, 2], [1, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f], OpTester.Run(OpTypes.Gather, null, data, T.Longs(0, 1, 1, 2).Reshaped(2, 2)));
        var data2 = T.F([3, 3], 1, 1.2f, 1.9f, 2.3f, 3.4f, 3.9f, 4.5f, 5.7f, 5.9f);
        T.Close([3, 1, 2], [1, 1.9f, 2.3f, 3.9f, 4.5f, 5.9f], OpTester.Run(OpTypes.Gather, T.Attrs(("axis", 1)), data2, T.I([1, 2], 0, 2)));
        T.Close([3], [1.9f, 3.9f, 5.9f], OpTester.Run(OpTypes.Gather, T.Attrs(("axis", -1)), data2, T.L([], -1)));
        // Run-time indices (embedding lookup).
        T.Longs([2, 2], [30, 40, 10, 20], OpTester.RunDynamic(OpTypes.Gather, null, [true, false], T.Longs(10, 20, 30, 40).Reshaped(2, 2), T.Longs(-1, 0)));
    }

    [Fact]
    public void GatherIndexOutOfRange()
    {
        OpTester.ShapeError(OpTypes.Gather, null, [T.Iota(3, 2), T.Longs(3)], "index 3", "size 3");
        Assert.Throws<InferenceInputException>(() => OpTester.RunDynamic(OpTypes.Gather, null, [true, false], T.Iota(3, 2), T.Longs(-4)));
    }

    [Fact]
    public void ExpandBroadcastsBothWays()
    {
        // ONNX test_expand_dim_changed: [3,1] with shape [2,1,6] → [2,3,6].
        var x = T.F([3, 1], 1, 2, 3);
        var r = OpTester.Run(OpTypes.Expand, null, x, T.Longs(2, 1, 6));
        T.Close([2, 3, 6], [.. Enumerable.Range(0, 36).Select(i => (float)(i / 6 % 3 + 1))], r);
        T.Close([3, 4], [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3], OpTester.Run(OpTypes.Expand, null, x, T.Longs(4)));
        T.Longs([2, 2], [5, 6, 5, 6], OpTester.Run(OpTypes.Expand, null, T.Longs(5, 6), T.Longs(2, 1)));
        OpTester.ShapeError(OpTypes.Expand, null, [x, T.Longs(2, 4)], "[3,1]", "[2,4]");
    }

    [Fact]
    public void TileRepeatsEachAxis()
    {
        var x = T.F([2, 2], 1, 2, 3, 4);
        T.Close([4, 6], [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4], OpTester.Run(OpTypes.Tile, null, x, T.Longs(2, 3)));
        T.Close([2, 0], [], OpTester.Run(OpTypes.Tile, null, x, T.Longs(1, 0)));
        var y = T.Iota(2, 3, 4);
        var r = OpTester.Run(OpTypes.Tile, null, y, T.Longs(2, 1, 3)).ToFloatArray();
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 3; b++)
                for (int c = 0; c < 12; c++)
                    Assert.Equal(y.ToFloatArray()[Naive.Linear([2, 3, 4], a % 2, b, c % 4)], r[Naive.Linear([4, 3, 12], a, b, c)]);
        OpTester.ShapeError(OpTypes.Tile, null, [x, T.Longs(2)], "[2]");
    }
}
