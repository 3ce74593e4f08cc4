using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Quantized;

/// <summary>
/// ONNX Runtime's contrib ops QLinearAdd, QLinearMul, QLinearSigmoid and QLinearLeakyRelu (com.microsoft): bit-exact
/// with the reference formula C = saturate(round_half_even((DQ(A) op DQ(B)) / C_scale) + C_zp) written out here
/// element by element (broadcasting, uint8 and int8, zero points at the extremes, saturation), and within one output
/// step of ONNX Runtime, whose AVX2 QLinearAdd uses a fixed-point approximation of the same formula.
/// </summary>
public class QLinearElementwiseTests(ITestOutputHelper output)
{
    private const string Microsoft = "com.microsoft";

    private static TensorData Bytes(DataType type, int[] dims, int seed)
    {
        var values = new byte[Shape.ElementCount(dims)];
        new Random(seed).NextBytes(values);
        return TensorData.FromArray(type, dims, values);
    }

    private static TensorData Scalar(DataType type, int value) => type == DataType.Int8
        ? TensorData.FromArray(type, [], new[] { (sbyte)value })
        : TensorData.FromArray(type, [], new[] { (byte)value });

    private static int[] Dims(string text) => text.Length == 0 ? [] : [.. text.Split('x').Select(int.Parse)];

    public static TheoryData<string, string, string, string> BinaryCases()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var op in new[] { "QLinearAdd", "QLinearMul" })
            foreach (var type in new[] { "uint8", "int8" })
                foreach (var (a, b) in new[] { ("2x3x40", "2x3x40"), ("2x3x40", "40"), ("4x1x5", "3x1"), ("", "2x7"), ("3x33", "") })
                    data.Add(op, type, a, b);
        return data;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_ops_equal_the_reference_formula_and_onnx_runtime_within_one_step(string op, string typeName, string aShape, string bShape)
    {
        var type = typeName == "int8" ? DataType.Int8 : DataType.UInt8;
        bool signed = type == DataType.Int8;
        var (aScale, bScale, cScale) = op == "QLinearAdd" ? (0.05f, 0.031f, 0.07f) : (0.05f, 0.031f, 0.15f);
        int aZero = signed ? -128 : 255, bZero = signed ? 3 : 128, cZero = signed ? 10 : 100;
        var a = Bytes(type, Dims(aShape), 1);
        var b = Bytes(type, Dims(bShape), 2);
        var test = new QuantizedCase(op, 13, Microsoft).Feed("A", a).Weight("A_scale", TensorData.Scalar(aScale)).Weight("A_zp", Scalar(type, aZero))
            .Feed("B", b).Weight("B_scale", TensorData.Scalar(bScale)).Weight("B_zp", Scalar(type, bZero))
            .Weight("C_scale", TensorData.Scalar(cScale)).Weight("C_zp", Scalar(type, cZero)).Outputs(type);
        var (ours, ort) = test.Run();

        var outDims = Shape.Broadcast(a.Dims, b.Dims);
        var plan = BroadcastPlan.Create(outDims, a.Dims, b.Dims);
        var av = a.ToInt64Array(); var bv = b.ToInt64Array();
        var expected = new long[Shape.ElementCount(outDims)];
        var (min, max) = signed ? (-128, 127) : (0, 255);
        for (long i = 0; i < expected.Length; i++)
        {
            var (ia, ib) = Indices(plan, i);
            float x = aScale * (av[ia] - aZero), y = bScale * (bv[ib] - bZero);
            float value = (op == "QLinearAdd" ? x + y : x * y) / cScale;
            expected[i] = Math.Clamp((long)MathF.Round(value) + cZero, min, max);
        }
        Assert.Equal(outDims, ours[0].Dims);
        Assert.Equal(expected, ours[0].ToInt64Array());
        if (expected.Length >= 40) Assert.True(expected.Distinct().Count() > 20, "the outputs should spread");
        var steps = ours[0].ToInt64Array().Zip(ort[0].ToInt64Array(), (p, q) => Math.Abs(p - q)).ToArray();
        output.WriteLine($"{op} {typeName} {aShape} + {bShape}: vs ONNX Runtime max {steps.Max()} step(s), {steps.Count(s => s == 0)}/{steps.Length} equal");
        Assert.True(steps.Max() <= 1, $"ONNX Runtime differs by {steps.Max()} steps");
    }

    private static (long A, long B) Indices(BroadcastPlan plan, long flat)
    {
        long a = 0, b = 0, rest = flat;
        for (int d = plan.Dims.Length - 1; d >= 0; d--)
        {
            long i = rest % plan.Dims[d];
            rest /= plan.Dims[d];
            a += i * plan.Strides[0][d];
            b += i * plan.Strides[1][d];
        }
        return (a, b);
    }

    [Theory]
    [InlineData("QLinearSigmoid", "uint8")]
    [InlineData("QLinearSigmoid", "int8")]
    [InlineData("QLinearLeakyRelu", "uint8")]
    [InlineData("QLinearLeakyRelu", "int8")]
    public void Lookup_ops_equal_the_reference_formula_and_onnx_runtime_within_one_step(string op, string typeName)
    {
        var type = typeName == "int8" ? DataType.Int8 : DataType.UInt8;
        bool signed = type == DataType.Int8;
        const float xScale = 0.05f, alpha = 0.3f;
        float yScale = op == "QLinearSigmoid" ? 1f / 255f : 0.04f;
        int xZero = signed ? 0 : 128, yZero = op == "QLinearSigmoid" ? (signed ? -128 : 0) : (signed ? 5 : 133);
        // Every byte value once, in a 3-D shape.
        var x = TensorData.FromArray(type, [4, 8, 8], Enumerable.Range(0, 256).Select(v => (byte)v).ToArray());
        var test = new QuantizedCase(op, 13, Microsoft).Feed("X", x).Weight("X_scale", TensorData.Scalar(xScale)).Weight("X_zp", Scalar(type, xZero))
            .Weight("Y_scale", TensorData.Scalar(yScale)).Weight("Y_zp", Scalar(type, yZero)).Outputs(type);
        if (op == "QLinearLeakyRelu") test.Attribute("alpha", alpha);
        var (ours, ort) = test.Run();

        var (min, max) = signed ? (-128, 127) : (0, 255);
        var expected = x.ToInt64Array().Select(q =>
        {
            float v = xScale * (q - xZero);
            // LeakyRelu is exact in float; sigmoid from the float64 formula, rounded to float.
            float f = op == "QLinearSigmoid" ? (float)(1 / (1 + Math.Exp(-v))) : v >= 0 ? v : alpha * v;
            return Math.Clamp((long)MathF.Round(f / yScale) + yZero, min, max);
        }).ToArray();
        var actual = ours[0].ToInt64Array();
        var reference = actual.Zip(expected, (p, q) => Math.Abs(p - q)).ToArray();
        var steps = actual.Zip(ort[0].ToInt64Array(), (p, q) => Math.Abs(p - q)).ToArray();
        output.WriteLine($"{op} {typeName}: vs float64 reference max {reference.Max()}, vs ONNX Runtime max {steps.Max()} step(s), {steps.Count(s => s == 0)}/256 equal");
        if (op == "QLinearLeakyRelu") Assert.Equal(expected, actual);
        else Assert.True(reference.Max() <= 1, "sigmoid more than one step from the float64 reference");
        Assert.True(steps.Max() <= 1, $"ONNX Runtime differs by {steps.Max()} steps");
    }
}
