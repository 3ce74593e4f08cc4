using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Tests.Ops;

namespace Atc.Tests.NeuralNet;

/// <summary>MaxPool on uint8 / int8 agrees with the float32 path on the same (exactly representable) values.</summary>
public class IntegerMaxPoolTests
{
    public static TheoryData<string, int[], long[], long[], long[], long[]> Cases => new()
    {
        // layout, dims, kernel, strides, dilations, pads
        { "NCHW", [1, 2, 5, 5], [3, 3], [1, 1], [1, 1], [1, 1, 1, 1] },
        { "NCHW", [2, 3, 7, 6], [2, 3], [2, 1], [2, 1], [0, 1, 1, 0] },
        { "NHWC", [1, 6, 5, 3], [2, 2], [2, 2], [1, 1], [0, 0, 1, 1] },
        { "NCHW", [1, 2, 9], [4], [2], [1], [2, 1] },
        { "NCHW", [1, 1, 4, 5, 3], [2, 2, 2], [1, 2, 1], [1, 1, 1], [0, 0, 0, 1, 1, 1] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheFloatPath(string layout, int[] dims, long[] kernel, long[] strides, long[] dilations, long[] pads)
    {
        var attributes = T.Attrs(("layout", layout), ("kernel_shape", kernel), ("strides", strides), ("dilations", dilations), ("pads", pads));
        var random = new Random(dims.Sum());
        int count = (int)Shape.ElementCount(dims);
        var bytes = Enumerable.Range(0, count).Select(_ => (byte)random.Next(256)).ToArray();
        var signed = bytes.Select(b => unchecked((sbyte)b)).ToArray();

        var expectedUnsigned = OpTester.Run(OpTypes.MaxPool, attributes, T.F(dims, [.. bytes.Select(b => (float)b)])).ToFloatArray();
        var unsigned = OpTester.Run(OpTypes.MaxPool, attributes, T.U8(dims, bytes));
        Assert.Equal(DataType.UInt8, unsigned.Type);
        Assert.Equal(expectedUnsigned, unsigned.AsSpan<byte>().ToArray().Select(b => (float)b));

        var expectedSigned = OpTester.Run(OpTypes.MaxPool, attributes, T.F(dims, [.. signed.Select(b => (float)b)])).ToFloatArray();
        var result = OpTester.Run(OpTypes.MaxPool, attributes, TensorData.FromArray(DataType.Int8, dims, signed));
        Assert.Equal(DataType.Int8, result.Type);
        Assert.Equal(expectedSigned, result.AsSpan<sbyte>().ToArray().Select(b => (float)b));
    }

    [Fact]
    public void AveragePoolStillRequiresFloat()
    {
        var e = Assert.Throws<ShapeException>(() => OpTester.Infer(OpTypes.AveragePool, T.Attrs(("kernel_shape", new long[] { 2, 2 })), T.U8([1, 1, 2, 2], 1, 2, 3, 4)));
        Assert.Contains("float32", e.Message);
        Assert.Contains("uint8", e.Message);
    }
}
