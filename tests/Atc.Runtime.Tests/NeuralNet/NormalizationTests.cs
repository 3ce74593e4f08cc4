using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Tests.NeuralNet;

[Collection("NeuralNet")]
public class NormalizationTests
{
    public static IEnumerable<object[]> BatchNormCases() =>
        from dims in new[] { new[] { 2, 13, 5, 7 }, new[] { 3, 20 }, new[] { 1, 9, 4, 3, 2 } }
        from layout in new[] { "NCHW", "NHWC" }
        from constant in new[] { true, false }
        select new object[] { dims, layout, constant };

    [Theory]
    [MemberData(nameof(BatchNormCases))]
    public void BatchNormalizationMatchesReference(int[] dims, string layout, bool constant)
    {
        bool last = layout == "NHWC";
        int c = last ? dims[^1] : dims[1];
        long inner = last ? 1 : TestData.Count(dims) / (dims[0] * c);
        var x = TestData.Random(41, TestData.Count(dims), 3f);
        var scale = TestData.Random(42, c);
        var bias = TestData.Random(43, c);
        var mean = TestData.Random(44, c);
        var variance = TestData.Random(45, c).Select(v => Math.Abs(v) + 0.1f).ToArray();
        const float epsilon = 1e-3f;
        var expected = x.Select((v, i) =>
        {
            int ch = (int)(i / inner % c);
            return (v - (double)mean[ch]) / Math.Sqrt(variance[ch] + (double)epsilon) * scale[ch] + bias[ch];
        }).ToArray();
        var attrs = new OpAttributes().Set("epsilon", epsilon).Set("layout", layout);
        var actual = OpRunner.Run(OpTypes.BatchNormalization, attrs,
            [new(dims, x), new([c], scale, constant), new([c], bias, constant), new([c], mean, constant), new([c], variance, constant)], threads: 2).Data;
        TensorAssert.Close(expected, actual);
    }

    [Fact]
    public void BatchNormalizationParameterLengthIsChecked()
    {
        var e = Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.BatchNormalization, new OpAttributes(),
            new TestInput([1, 3, 2, 2], new float[12]), new TestInput([4], new float[4]), new TestInput([3], new float[3]),
            new TestInput([3], new float[3]), new TestInput([3], new float[3])));
        Assert.Contains("scale", e.Message);
    }

    [Theory]
    [InlineData(new[] { 2, 5, 6, 7 })]
    [InlineData(new[] { 1, 3, 3000 })]
    [InlineData(new[] { 2, 2, 3, 4, 5 })]
    public void InstanceNormalizationMatchesReference(int[] dims)
    {
        int n = dims[0], c = dims[1], plane = TestData.Count(dims) / (n * c);
        var x = TestData.Random(46, TestData.Count(dims), 2f).Select(v => v + 5f).ToArray();
        var scale = TestData.Random(47, c);
        var bias = TestData.Random(48, c);
        var expected = new double[x.Length];
        for (int p = 0; p < n * c; p++)
        {
            var values = x.Skip(p * plane).Take(plane).Select(v => (double)v).ToArray();
            double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
            for (int i = 0; i < plane; i++)
                expected[p * plane + i] = (values[i] - mean) / Math.Sqrt(variance + 1e-5) * scale[p % c] + bias[p % c];
        }
        var actual = OpRunner.Run(OpTypes.InstanceNormalization, new OpAttributes(),
            [new(dims, x), new([c], scale, true), new([c], bias)]).Data;
        TensorAssert.Close(expected, actual);
    }

    [Theory]
    [InlineData("NCHW", 5)]
    [InlineData("NHWC", 5)]
    [InlineData("NCHW", 4)]
    [InlineData("NHWC", 1)]
    public void LrnMatchesReference(string layout, int size)
    {
        int[] dims = [2, 11, 6, 7];
        int n = dims[0], c = dims[1], pixels = dims[2] * dims[3];
        var x = TestData.Random(49, TestData.Count(dims), 2f);
        const double alpha = 2e-3, beta = 0.6, bias = 1.5;
        var expected = new double[x.Length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < pixels; p++)
                {
                    double sum = 0;
                    for (int j = Math.Max(0, ch - (size - 1) / 2); j <= Math.Min(c - 1, ch + size / 2); j++)
                    {
                        double v = x[(b * c + j) * pixels + p];
                        sum += v * v;
                    }
                    int i = (b * c + ch) * pixels + p;
                    expected[i] = x[i] / Math.Pow(bias + alpha / size * sum, beta);
                }
        bool last = layout == "NHWC";
        var attrs = new OpAttributes().Set("size", size).Set("alpha", (float)alpha).Set("beta", (float)beta).Set("bias", (float)bias).Set("layout", layout);
        var input = new TestInput(last ? TestData.ChannelsLastDims(dims) : dims, last ? TestData.ToChannelsLast(x, dims) : x);
        var actual = OpRunner.Run(OpTypes.LRN, attrs, [input], threads: 2).Data;
        TensorAssert.Close(last ? ConvTests.Transposed(expected, dims) : expected, actual);
    }

    [Fact]
    public void LrnNeedsSize()
    {
        Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.LRN, new OpAttributes(), new TestInput([1, 3, 2, 2], new float[12])));
    }
}
