using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Tests.Ops;

public class CastTests
{
    private static OpAttributes To(DataType t) => T.Attrs(("to", (long)t));

    [Fact]
    public void FloatToIntegersTruncatesTowardZero()
    {
        var x = T.F([5], 1.7f, -1.7f, 0.2f, 300.5f, -2.5f);
        T.Longs([5], [1, -1, 0, 300, -2], OpTester.Run(OpTypes.Cast, To(DataType.Int64), x));
        T.Equal(DataType.Int32, [5], new[] { 1, -1, 0, 300, -2 }, OpTester.Run(OpTypes.Cast, To(DataType.Int32), x));
        T.Equal(DataType.Int8, [5], new sbyte[] { 1, -1, 0, 127, -2 }, OpTester.Run(OpTypes.Cast, To(DataType.Int8), x));
    }

    [Fact]
    public void EveryPairOfTypesConverts()
    {
        DataType[] types = [DataType.Float32, DataType.Float64, DataType.Int32, DataType.Int64, DataType.UInt8, DataType.Int8, DataType.Bool];
        // Values representable in every type: 0, 1, 3 (bool: 0, 1, 1).
        foreach (var from in types)
        {
            var source = OpTester.Run(OpTypes.Cast, To(from), T.F([3], 0, 1, 3));
            foreach (var to in types)
            {
                var result = OpTester.Run(OpTypes.Cast, To(to), source);
                Assert.Equal(to, result.Type);
                T.Dims([3], result);
                var back = result.ToFloatArray();
                float expectedLast = from == DataType.Bool || to == DataType.Bool ? 1 : 3;
                Assert.Equal(new[] { 0f, 1f, expectedLast }, back);
            }
        }
    }

    [Fact]
    public void ToBoolIsNonZero()
    {
        T.Bools([4], [false, true, true, true], OpTester.Run(OpTypes.Cast, To(DataType.Bool), T.F([4], 0, 0.1f, -2, float.NaN)));
        T.Close([0, 1], OpTester.Run(OpTypes.Cast, To(DataType.Float32), T.B([2], false, true)));
    }

    [Fact]
    public void DoubleAndInt64RoundTrip()
    {
        T.Equal(DataType.Float64, [2], new[] { 0.5, -1.25 }, OpTester.Run(OpTypes.Cast, To(DataType.Float64), T.F([2], 0.5f, -1.25f)));
        T.Close([0.1f], OpTester.Run(OpTypes.Cast, To(DataType.Float32), T.D([1], 0.1)));
        T.Equal(DataType.Int32, [1], new[] { -2 }, OpTester.Run(OpTypes.Cast, To(DataType.Int32), T.Longs(-2)));
    }

    [Fact]
    public void BadTargetTypeIsAShapeError()
    {
        OpTester.ShapeError(OpTypes.Cast, T.Attrs(("to", 8L)), [T.Iota(1)], "8");
        OpTester.ShapeError(OpTypes.Cast, null, [T.Iota(1)], "'to'");
    }
}
