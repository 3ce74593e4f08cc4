using Atc.Compiler.Frontends.TensorFlow.Proto;
using DataType = Atc.Compiler.Frontends.TensorFlow.Proto.DataType;
using Atc.Runtime;
using Atc.TestModels.TensorFlow;
using static Atc.Tests.TensorFlowOps.TfOpHarness;

namespace Atc.Tests.TensorFlowOps;

/// <summary>FloorDiv, FloorMod, TruncateMod, ClipByValue, ZerosLike, OnesLike and BroadcastTo, end to end.</summary>
public class TfArithmeticTests
{
    private static readonly int[] Dividends = [7, -7, 7, -7, 0, 9, -9, 6];
    private static readonly int[] Divisors = [2, 2, -2, -2, 3, 4, 4, -3];

    [Theory]
    [InlineData("FloorDiv")]
    [InlineData("FloorMod")]
    [InlineData("TruncateMod")]
    public void Integer_division_rounds_as_tensorflow_does(string op)
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [8], DataType.DtInt32);
        b.Op(op, "result", [x, b.ConstInt32("y", [8], Divisors)], ("T", TfAttr.Type(DataType.DtInt32)));

        var y = Assert.Single(Run(b, new TensorData(Atc.Runtime.DataType.Int32, [8], Dividends.SelectMany(BitConverter.GetBytes).ToArray())));

        var expected = Dividends.Zip(Divisors, (a, d) => op switch
        {
            "FloorDiv" => (long)Math.Floor((double)a / d),
            "FloorMod" => a - d * (long)Math.Floor((double)a / d),
            _ => a % d,
        });
        Assert.Equal(expected, y.ToInt64Array());
    }

    [Theory]
    [InlineData("FloorDiv")]
    [InlineData("FloorMod")]
    public void Float_division_rounds_toward_negative_infinity(string op)
    {
        float[] a = [7.5f, -7.5f, 7.5f, -7.5f, 0.25f, 3f];
        float[] d = [2f, 2f, -2f, -2f, 0.1f, 1.5f];
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [6]);
        b.Op(op, "result", [x, b.Const("y", [6], d)], ("T", TfAttr.Type(DataType.DtFloat)));

        var y = Assert.Single(Run(b, TensorData.Float([6], a)));

        var expected = a.Zip(d, (p, q) => op == "FloorDiv" ? Math.Floor((double)p / q) : p - q * Math.Floor((double)p / q));
        AssertClose(new RefTensor([6], [.. expected]), y);
    }

    [Fact]
    public void ClipByValue_broadcasts_its_bounds()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [2, 3]);
        b.Op("ClipByValue", "clipped", [x, b.Const("low", [3], -0.5f, 0f, -2f), b.Const("high", [], 0.25f)], ("T", TfAttr.Type(DataType.DtFloat)));
        var (input, reference) = Random(51, 2, 3);

        var y = Assert.Single(Run(b, input));

        double[] low = [-0.5, 0, -2];
        AssertClose(new RefTensor([2, 3], [.. reference.Data.Select((v, i) => Math.Max(Math.Min(v, 0.25), low[i % 3]))]), y);
    }

    [Fact]
    public void ZerosLike_OnesLike_and_BroadcastTo_follow_the_input_shape()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 3]);
        var zeros = b.Unary("ZerosLike", "zeros", x);
        var ones = b.Unary("OnesLike", "ones", x);
        var row = b.Op("BroadcastTo", "row", [b.Const("row_values", [3], 1f, 2f, 3f), b.ConstInt32("row_shape", [2], 4, 3)],
            ("T", TfAttr.Type(DataType.DtFloat)), ("Tidx", TfAttr.Type(DataType.DtInt32)));
        b.Binary("AddV2", "sum", b.Binary("AddV2", "zeros_plus_ones", zeros, ones), row);
        var input = TensorData.Float([4, 3], [.. Enumerable.Repeat(float.NaN, 12)]);

        var y = Assert.Single(Run(b, input));

        Assert.Equal([4, 3], y.Dims);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => 2f + i % 3), y.ToFloatArray());
    }
}
