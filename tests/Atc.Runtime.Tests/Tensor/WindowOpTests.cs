using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Tests.Ops;

namespace Atc.Tests.TensorOps;

public class WindowOpTests
{
    [Fact]
    public void PeriodicWindowsMatchTheirFormulas()
    {
        const int size = 10;
        var hann = Enumerable.Range(0, size).Select(i => (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * i / size))).ToArray();
        var hamming = Enumerable.Range(0, size).Select(i => (float)(25.0 / 46 - 21.0 / 46 * Math.Cos(2 * Math.PI * i / size))).ToArray();
        var blackman = Enumerable.Range(0, size).Select(i =>
            (float)(0.42 - 0.5 * Math.Cos(2 * Math.PI * i / size) + 0.08 * Math.Cos(4 * Math.PI * i / size))).ToArray();
        T.Close([size], hann, OpTester.Run(OpTypes.HannWindow, null, T.L([], size)), 1e-6f);
        T.Close([size], hamming, OpTester.Run(OpTypes.HammingWindow, null, T.I([], size)), 1e-6f);
        T.Close([size], blackman, OpTester.Run(OpTypes.BlackmanWindow, null, T.L([], size)), 1e-6f);
    }

    [Fact]
    public void SymmetricWindowsAreSymmetricAndDoubleOnRequest()
    {
        var w = OpTester.Run(OpTypes.HannWindow, T.Attrs(("periodic", 0L), ("output_datatype", (long)DataType.Float64)), T.L([], 7));
        Assert.Equal(DataType.Float64, w.Type);
        var v = w.AsSpan<double>().ToArray();
        Assert.Equal(0, v[0], 12);
        Assert.Equal(1, v[3], 12);
        for (int i = 0; i < 7; i++) Assert.Equal(v[i], v[6 - i], 12);
    }

    [Fact]
    public void WindowErrors()
    {
        OpTester.ShapeError(OpTypes.HannWindow, T.Attrs(("output_datatype", 7L)), [T.L([], 4)], "output_datatype 7");
        OpTester.ShapeError(OpTypes.HannWindow, null, [T.L([], -1)], "size -1");
        OpTester.ShapeError(OpTypes.HannWindow, null, [T.L([2], 4, 4)], "scalar");
        Assert.Throws<DataDependentShapeException>(() => OpTester.RunDynamic(OpTypes.HannWindow, null, [false], T.L([], 4)));
    }
}
