using Atc.Runtime.Operators;

namespace Atc.Tests.Ops;

public class SoftmaxTests
{
    /// <summary>Naive softmax of x viewed as [outer, axis, inner] over the middle dim.</summary>
    private static float[] Reference(float[] x, long outer, int axis, int inner, bool log)
    {
        var y = new float[x.Length];
        for (long o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double max = double.NegativeInfinity, sum = 0;
                for (int a = 0; a < axis; a++) max = Math.Max(max, x[(o * axis + a) * inner + i]);
                for (int a = 0; a < axis; a++) sum += Math.Exp(x[(o * axis + a) * inner + i] - max);
                for (int a = 0; a < axis; a++)
                {
                    double v = x[(o * axis + a) * inner + i] - max;
                    y[(o * axis + a) * inner + i] = (float)(log ? v - Math.Log(sum) : Math.Exp(v) / sum);
                }
            }
        return y;
    }

    [Theory]
    [InlineData(-1, 6, 5, 1)]
    [InlineData(2, 6, 5, 1)]
    [InlineData(1, 2, 3, 5)]
    [InlineData(-2, 2, 3, 5)]
    [InlineData(0, 1, 2, 15)]
    public void SoftmaxAndLogSoftmaxOverAnyAxis(long axis, long outer, int length, int inner)
    {
        var x = T.Random(21, [2, 3, 5], 4);
        foreach (bool log in new[] { false, true })
        {
            var result = OpTester.Run(log ? OpTypes.LogSoftmax : OpTypes.Softmax, T.Attrs(("axis", axis)), x);
            T.Close([2, 3, 5], Reference(x.ToFloatArray(), outer, length, inner, log), result, 1e-5f);
        }
    }

    [Fact]
    public void LegacyAxisFlattensTheTrailingDims()
    {
        // Opset < 13: axis=1 on [2,3,5] normalises over all 15 values of each batch row.
        var x = T.Random(22, [2, 3, 5], 4);
        var result = OpTester.Run(OpTypes.Softmax, T.Attrs(("axis", 1), ("legacy", 1)), x);
        T.Close([2, 3, 5], Reference(x.ToFloatArray(), 2, 15, 1, false), result);
        var log = OpTester.Run(OpTypes.LogSoftmax, T.Attrs(("axis", 0), ("legacy", 1)), x);
        T.Close(Reference(x.ToFloatArray(), 1, 30, 1, true), log);
    }

    [Fact]
    public void LargeValuesDoNotOverflow()
    {
        // ONNX test_softmax_large_number.
        var x = T.F([2, 4], 1, 2, 3, 4, 10000, 10001, 10002, 10003);
        float[] row = [0.032058604f, 0.08714432f, 0.23688284f, 0.6439143f];
        T.Close([.. row, .. row], OpTester.Run(OpTypes.Softmax, null, x));
        var log = OpTester.Run(OpTypes.LogSoftmax, null, x).ToFloatArray();
        Assert.Equal(-3.4401896f, log[4], 4);
    }

    [Fact]
    public void LongRowsUseSeveralBlocks()
    {
        var x = T.Random(23, [3, 1500], 10);
        T.Close(Reference(x.ToFloatArray(), 3, 1500, 1, true), OpTester.Run(OpTypes.LogSoftmax, null, x), 1e-4f);
        T.Close(Reference(x.ToFloatArray(), 3, 1500, 1, false), OpTester.Run(OpTypes.Softmax, null, x), 1e-4f);
    }

    [Fact]
    public void AxisOutOfRangeIsAShapeError() =>
        OpTester.ShapeError(OpTypes.Softmax, T.Attrs(("axis", 3)), [T.Iota(2, 3)], "axis 3", "rank 2");
}
