using Atc.Runtime;
using Atc.Runtime.Operators;
using Atc.Tests.Ops;

namespace Atc.Tests.TensorOps;

public class ResizeTests
{
    private static readonly TensorData TwoByTwo = T.F([1, 1, 2, 2], 1, 2, 3, 4);

    private static TensorData Scales(params float[] s) => T.F([s.Length], s);

    [Fact]
    public void NearestUpsampleByScales()
    {
        // ONNX test_resize_upsample_scales_nearest.
        var r = OpTester.Run(OpTypes.Resize, null, TwoByTwo, Scales(1, 1, 2, 3));
        T.Close([1, 1, 4, 6], [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4], r);
        // Spatial-only scales give the same result.
        T.Close([1, 1, 4, 6], r.ToFloatArray(), OpTester.Run(OpTypes.Resize, null, TwoByTwo, Scales(2, 3)));
    }

    [Fact]
    public void NearestDownsampleAndSizes()
    {
        // ONNX test_resize_downsample_scales_nearest: [[1,2,3,4],[5,6,7,8]] scales 0.6 → [[1, 3]].
        var x = T.F([1, 1, 2, 4], 1, 2, 3, 4, 5, 6, 7, 8);
        T.Close([1, 1, 1, 2], [1, 3], OpTester.Run(OpTypes.Resize, null, x, Scales(1, 1, 0.6f, 0.6f)));
        // Sizes input (index 2); asymmetric + floor (TensorFlow's nearest without half pixels).
        var r = OpTester.Run(OpTypes.Resize, T.Attrs(("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor")), x, null, T.Longs(1, 1, 1, 3));
        T.Close([1, 1, 1, 3], [1, 2, 3], r);
    }

    [Fact]
    public void LinearUpsampleHalfPixelAndAlignCorners()
    {
        // ONNX test_resize_upsample_scales_linear.
        var r = OpTester.Run(OpTypes.Resize, T.Attrs(("mode", "linear")), TwoByTwo, Scales(1, 1, 2, 2));
        T.Close([1, 1, 4, 4], [1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f, 3.5f, 3, 3.25f, 3.75f, 4], r);
        // ONNX test_resize_upsample_scales_linear_align_corners.
        r = OpTester.Run(OpTypes.Resize, T.Attrs(("mode", "linear"), ("coordinate_transformation_mode", "align_corners")), TwoByTwo, Scales(1, 1, 2, 2));
        float a = 1 + 1 / 3f, b = 1 + 2 / 3f;
        T.Close([1, 1, 4, 4], [1, a, b, 2, b, 2, 2 + 1 / 3f, 2 + 2 / 3f, 2 + 1 / 3f, 2 + 2 / 3f, 3, 3 + 1 / 3f, 3, 3 + 1 / 3f, 3 + 2 / 3f, 4], r);
    }

    [Fact]
    public void LinearDownsample()
    {
        // ONNX test_resize_downsample_scales_linear: → [[2.6666665, 4.3333331]].
        var x = T.F([1, 1, 2, 4], 1, 2, 3, 4, 5, 6, 7, 8);
        T.Close([1, 1, 1, 2], [2.6666665f, 4.3333331f], OpTester.Run(OpTypes.Resize, T.Attrs(("mode", "linear")), x, Scales(1, 1, 0.6f, 0.6f)));
    }

    [Fact]
    public void LinearNhwcMatchesNchw()
    {
        var nchw = T.Random(61, [2, 3, 5, 7]);
        var expected = OpTester.Run(OpTypes.Resize, T.Attrs(("mode", "linear")), nchw, null, T.Longs(9, 4)).ToFloatArray();
        var nhwc = OpTester.Run(OpTypes.Transpose, T.Attrs(("perm", new long[] { 0, 2, 3, 1 })), nchw);
        var r = OpTester.Run(OpTypes.Resize, T.Attrs(("mode", "linear"), ("layout", "NHWC")), nhwc, null, T.Longs(9, 4));
        T.Dims([2, 9, 4, 3], r);
        var back = OpTester.Run(OpTypes.Transpose, T.Attrs(("perm", new long[] { 0, 3, 1, 2 })), r);
        T.Close(expected, back, 1e-5f);
    }

    [Fact]
    public void ResizeErrors()
    {
        OpTester.ShapeError(OpTypes.Resize, null, [TwoByTwo], "scales", "sizes");
        OpTester.ShapeError(OpTypes.Resize, null, [TwoByTwo, Scales(1, 2, 2)], "3 values");
        OpTester.ShapeError(OpTypes.Resize, T.Attrs(("mode", "area")), [TwoByTwo, Scales(2, 2)], "area");
        OpTester.ShapeError(OpTypes.Resize, T.Attrs(("mode", "linear")), [TwoByTwo, Scales(1, 2, 2, 2)], "axis 1");
    }
}
