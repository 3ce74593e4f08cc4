using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// Conv writing a channel slice of a wider channels-last output (the in-place Concat the compiler makes): channels
/// [offset, offset + O) of every pixel are the conv's, the others those of "into". Each kernel family: the GEMM
/// (1x1 and 3x3 with few channels), Winograd (3x3, 16+ channels), depthwise (through scratch).
/// </summary>
public class ConvChannelSliceTests
{
    [Theory]
    [InlineData(4, 3, 1, 1, 0, 1, 7, 2)]      // 1x1: the GEMM writes the slice in place
    [InlineData(5, 6, 3, 1, 1, 1, 9, 0)]      // 3x3 few channels: indirect GEMM
    [InlineData(16, 20, 3, 1, 1, 1, 41, 21)]  // Winograd
    [InlineData(8, 8, 3, 1, 1, 8, 13, 5)]     // depthwise: computed into scratch, copied into the slice
    [InlineData(6, 4, 3, 2, 1, 1, 10, 6)]     // stride 2
    public void WritesItsChannelsAndKeepsTheOthers(int c, int o, int k, int stride, int pad, int group, int total, int offset)
    {
        foreach (bool withInto in new[] { true, false })
            foreach (int threads in new[] { 1, 2 })
                Check(c, o, k, stride, pad, group, total, offset, withInto, threads);
    }

    private static void Check(int c, int o, int k, int stride, int pad, int group, int total, int offset, bool withInto, int threads)
    {
        int n = 2, h = 11, w = 9;
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        int[] xDims = [n, c, h, w], wDims = [o, c / group, k, k];
        var x = TestData.Random(1, TestData.Count(xDims));
        var weights = TestData.Random(2, TestData.Count(wDims));
        var bias = TestData.Random(3, o);
        var reference = Reference.Conv(x, xDims, weights, wDims, bias, group, [stride, stride], [1, 1], [pad, pad], [oh, ow], max: 2.0);

        int[] yDims = [n, oh, ow, total];
        var into = TestData.Random(4, TestData.Count(yDims));
        var attrs = new OpAttributes().Set("layout", "NHWC").Set("group", (long)group)
            .Set("strides", new long[] { stride, stride }).Set("pads", new long[] { pad, pad, pad, pad })
            .Set("activation", "Clip").Set("activation_min", float.NegativeInfinity).Set("activation_max", 2f)
            .Set("concat_channels", (long)total).Set("concat_offset", (long)offset);
        TestInput?[] inputs =
        [
            new(TestData.ChannelsLastDims(xDims), TestData.ToChannelsLast(x, xDims)),
            new(wDims, weights, Constant: true),
            new([o], bias, Constant: true),
            null,
            withInto ? new(yDims, into) : null,
        ];
        var (actual, dims) = OpRunner.Run(OpTypes.Conv, attrs, inputs, threads);
        Assert.Equal(yDims, dims);

        int pixels = n * oh * ow;
        var mine = new float[pixels * o];
        for (int p = 0; p < pixels; p++)
            for (int ch = 0; ch < total; ch++)
            {
                float v = actual[p * total + ch];
                if (ch >= offset && ch < offset + o) mine[p * o + ch - offset] = v;
                else if (withInto) Assert.Equal(into[p * total + ch], v);
            }
        // The reference is channels-first [N, O, OH, OW].
        var expected = TestData.ToChannelsLast(reference.Select(v => (float)v).ToArray(), [n, o, oh, ow]);
        TensorAssert.Close(expected, mine, 1e-5, $"slice [{offset}, {offset + o}) of {total}, into {withInto}, {threads} threads");
    }

    [Fact]
    public void ChannelsFirstResidualOrASliceOutsideTheTotalIsAShapeError()
    {
        TestInput x = new([1, 4, 4, 3], TestData.Random(1, 48));
        TestInput wt = new([2, 3, 1, 1], TestData.Random(2, 6), Constant: true);
        var nhwc = new OpAttributes().Set("layout", "NHWC");
        Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Conv, nhwc.Clone().Set("concat_channels", 3L).Set("concat_offset", 2L), x, wt));
        Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Conv, new OpAttributes().Set("concat_channels", 4L), new TestInput([1, 3, 4, 4], TestData.Random(1, 48)), wt));
        Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Conv, nhwc.Clone().Set("concat_channels", 4L), x, wt, null, new TestInput([1, 4, 4, 2], TestData.Random(3, 32))));
        Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.Conv, nhwc.Clone().Set("concat_channels", 4L), x, wt, null, null, new TestInput([1, 4, 4, 5], TestData.Random(3, 80))));
        Assert.Equal([1, 4, 4, 4], OpRunner.Infer(OpTypes.Conv, nhwc.Clone().Set("concat_channels", 4L).Set("concat_offset", 2L), x, wt).Dims);
    }
}
