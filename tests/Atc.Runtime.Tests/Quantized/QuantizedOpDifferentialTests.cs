using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Quantized;

/// <summary>
/// The quantised ONNX ops against ONNX Runtime on the same data: QuantizeLinear and DequantizeLinear (per tensor and
/// per axis, uint8 and int8, zero points at the extremes, ties that round half to even, saturation),
/// DynamicQuantizeLinear, MatMulInteger and QLinearMatMul (every uint8/int8 combination ONNX Runtime runs, per-column
/// parameters, batches with broadcasting, weights and runtime B). Integer outputs must be equal exactly, float outputs
/// within 1e-5 relative.
/// </summary>
public class QuantizedOpDifferentialTests(ITestOutputHelper output)
{
    private static TensorData Floats(int[] dims, int seed, float low, float high)
    {
        var random = new Random(seed);
        var values = new float[Shape.ElementCount(dims)];
        for (int i = 0; i < values.Length; i++) values[i] = low + (float)random.NextDouble() * (high - low);
        return TensorData.Float(dims, values);
    }

    private static TensorData Bytes(DataType type, int[] dims, int seed)
    {
        var random = new Random(seed);
        var values = new byte[Shape.ElementCount(dims)];
        random.NextBytes(values);
        return TensorData.FromArray(type, dims, values);
    }

    private static TensorData Scalar(DataType type, int value) => type == DataType.Int8
        ? TensorData.FromArray(type, [], new[] { (sbyte)value })
        : TensorData.FromArray(type, [], new[] { (byte)value });

    private static TensorData Vector(DataType type, int[] values) => type == DataType.Int8
        ? TensorData.FromArray(type, [values.Length], Array.ConvertAll(values, v => (sbyte)v))
        : TensorData.FromArray(type, [values.Length], Array.ConvertAll(values, v => (byte)v));

    private void AssertExact(TensorData ours, TensorData ort, string what)
    {
        Assert.Equal(ort.Type, ours.Type);
        Assert.Equal(ort.Dims, ours.Dims);
        var comparison = TensorCompare.AllClose(ours, ort, 0, 0);
        output.WriteLine($"{what}: {comparison}");
        Assert.True(comparison.Within, $"{what}: {comparison}");
    }

    public static TheoryData<string, int, int> QuantizeCases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var (type, zeros) in new[] { ("uint8", new[] { 0, 128, 255 }), ("int8", new[] { -128, 0, 127 }), ("none", new[] { 0 }) })
            foreach (int zp in zeros)
                foreach (int axis in new[] { -99, 1, -1, 0 })
                    data.Add(type, zp, axis);
        return data;
    }

    /// <summary>axis -99: per tensor; otherwise per axis with scales 0.05-0.3 and zero points around <paramref name="zp"/>.</summary>
    [Theory]
    [MemberData(nameof(QuantizeCases))]
    public void QuantizeLinear_matches(string typeName, int zp, int axis)
    {
        int[] dims = [2, 3, 4, 5];
        var x = Floats(dims, seed: zp + axis * 7 + 500, low: -40, high: 40);
        // Exact ties k + 0.5 of the scale must round half to even.
        var values = x.ToFloatArray();
        for (int i = 0; i < values.Length; i += 3) values[i] = (i % 11 - 5 + 0.5f) * 0.25f;
        x = TensorData.Float(dims, values);
        var type = typeName == "int8" ? DataType.Int8 : DataType.UInt8;
        var test = new QuantizedCase("QuantizeLinear").Feed("x", x);
        if (axis == -99)
        {
            test.Weight("scale", TensorData.Scalar(0.25f));
            if (typeName != "none") test.Weight("zp", Scalar(type, zp));
        }
        else
        {
            int size = dims[axis < 0 ? axis + 4 : axis];
            test.Weight("scale", TensorData.Float([size], [.. Enumerable.Range(0, size).Select(i => 0.25f + 0.05f * (i % 3))]));
            if (typeName != "none")
            {
                var (min, max) = type == DataType.Int8 ? (-128, 127) : (0, 255);
                test.Weight("zp", Vector(type, [.. Enumerable.Range(0, size).Select(i => Math.Clamp(zp + (i % 2 == 0 ? 0 : (zp > 0 ? -3 : 3)), min, max))]));
            }
            test.Attribute("axis", (long)axis);
        }
        var (ours, ort) = test.Outputs(type).Run();
        AssertExact(ours[0], ort[0], $"QuantizeLinear {typeName} zp {zp} axis {axis}");
    }

    public static TheoryData<string, int, int> DequantizeCases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var (type, zeros) in new[] { ("uint8", new[] { 0, 128, 255 }), ("int8", new[] { -128, 0, 127 }), ("int32", new[] { 0 }) })
            foreach (int zp in zeros)
                foreach (int axis in new[] { -99, 1, -2 })
                    data.Add(type, zp, axis);
        return data;
    }

    [Theory]
    [MemberData(nameof(DequantizeCases))]
    public void DequantizeLinear_matches(string typeName, int zp, int axis)
    {
        int[] dims = [3, 4, 6];
        var type = typeName switch { "int8" => DataType.Int8, "int32" => DataType.Int32, _ => DataType.UInt8 };
        var x = type == DataType.Int32
            ? TensorData.FromArray(type, dims, Enumerable.Range(0, 72).Select(i => (i - 36) * 12345).ToArray())
            : Bytes(type, dims, seed: zp + 100);
        var test = new QuantizedCase("DequantizeLinear").Feed("x", x);
        if (axis == -99 || type == DataType.Int32)
        {
            test.Weight("scale", TensorData.Scalar(0.037f));
            if (type != DataType.Int32) test.Weight("zp", Scalar(type, zp));
        }
        else
        {
            int size = dims[axis < 0 ? axis + 3 : axis];
            test.Weight("scale", TensorData.Float([size], [.. Enumerable.Range(0, size).Select(i => 0.013f * (i + 1))]));
            test.Weight("zp", Vector(type, [.. Enumerable.Range(0, size).Select(_ => zp)]));
            test.Attribute("axis", (long)axis);
        }
        var (ours, ort) = test.Outputs(DataType.Float32).Run();
        var comparison = TensorCompare.ScaledClose(ours[0], ort[0], 1e-5);
        output.WriteLine($"DequantizeLinear {typeName} zp {zp} axis {axis}: {comparison}");
        Assert.True(comparison.Within, comparison.ToString());
    }

    [Theory]
    [InlineData(-3f, 5f)]
    [InlineData(0.5f, 9f)]
    [InlineData(-7f, -0.25f)]
    [InlineData(0f, 0f)]
    [InlineData(-1e-3f, 2e-3f)]
    public void DynamicQuantizeLinear_matches(float low, float high)
    {
        var (ours, ort) = new QuantizedCase("DynamicQuantizeLinear", 11).Feed("x", Floats([6, 7], seed: 3, low, high))
            .Outputs(DataType.UInt8, DataType.Float32, DataType.UInt8).Run();
        AssertExact(ours[0], ort[0], "y");
        AssertExact(ours[1], ort[1], "y_scale");
        AssertExact(ours[2], ort[2], "y_zero_point");
    }

    public static TheoryData<string, string, string, bool> MatMulCases()
    {
        var data = new TheoryData<string, string, string, bool>();
        // ONNX Runtime's CPU MatMulInteger/QLinearMatMul take uint8 or int8 A with uint8 or int8 B.
        foreach (var (a, b) in new[] { ("uint8", "uint8"), ("uint8", "int8"), ("int8", "int8"), ("int8", "uint8") })
            foreach (var shape in new[] { "1x1x1", "5x7x3", "17x33x19", "2,3:5x8x6", "3:4x9x21|b2d", "1x64x40" })
                foreach (bool constantB in new[] { true, false })
                    data.Add(a, b, shape, constantB);
        return data;
    }

    private static (int[] A, int[] B) Dims(string shape)
    {
        bool b2d = shape.EndsWith("|b2d", StringComparison.Ordinal);
        shape = shape.Replace("|b2d", "");
        int[] batch = [];
        if (shape.Contains(':'))
        {
            batch = [.. shape[..shape.IndexOf(':')].Split(',').Select(int.Parse)];
            shape = shape[(shape.IndexOf(':') + 1)..];
        }
        var mkn = shape.Split('x').Select(int.Parse).ToArray();
        return ([.. batch, mkn[0], mkn[1]], b2d ? [mkn[1], mkn[2]] : [.. batch, mkn[1], mkn[2]]);
    }

    private static DataType TypeOf(string name) => name == "int8" ? DataType.Int8 : DataType.UInt8;

    private static int Extreme(DataType type, int which) => type == DataType.Int8 ? (which == 0 ? -128 : 127) : (which == 0 ? 0 : 255);

    [Theory]
    [MemberData(nameof(MatMulCases))]
    public void MatMulInteger_matches(string aType, string bType, string shape, bool constantB)
        => MatMulIntegerCase(aType, bType, shape, constantB, centeredB: false);

    private void MatMulIntegerCase(string aType, string bType, string shape, bool constantB, bool centeredB)
    {
        var (aDims, bDims) = Dims(shape);
        var ta = TypeOf(aType); var tb = TypeOf(bType);
        int n = bDims[^1];
        var test = new QuantizedCase("MatMulInteger", 10).Feed("A", Bytes(ta, aDims, 1));
        if (constantB) test.Weight("B", Bytes(tb, bDims, 2)); else test.Feed("B", Bytes(tb, bDims, 2));
        test.Weight("a_zp", Scalar(ta, Extreme(ta, shape.Length % 2)));
        // Per-column zero points where B is 2-D (ONNX Runtime's rule), a scalar otherwise; extreme ones do not fit the
        // packed int8 bytes (the kernel corrects them with A's row sums), centred ones do (folded into the weights).
        if (centeredB) test.Weight("b_zp", bDims.Length == 2 ? Vector(tb, [.. Enumerable.Repeat(Centre(tb), n)]) : Scalar(tb, Centre(tb)));
        else if (bDims.Length == 2) test.Weight("b_zp", Vector(tb, [.. Enumerable.Range(0, n).Select(j => Extreme(tb, j % 2) + (j % 3 == 2 ? (tb == DataType.Int8 ? 5 : 7) * (j % 2 == 0 ? 1 : -1) : 0))]));
        else test.Weight("b_zp", Scalar(tb, Extreme(tb, 1)));
        var (ours, ort) = test.Outputs(DataType.Int32).Run();
        AssertExact(ours[0], ort[0], $"MatMulInteger {aType} x {bType} {shape} constant B {constantB} centred {centeredB}");
    }

    private static int Centre(DataType type) => type == DataType.Int8 ? 0 : 128;

    // ONNX Runtime's CPU QLinearMatMul: y has a's type, and int8 a needs int8 b.
    public static TheoryData<string, string, string, bool> QLinearMatMulCases()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var row in MatMulCases())
            if (!((string)row[0] == "int8" && (string)row[1] == "uint8")) data.Add((string)row[0], (string)row[1], (string)row[2], (bool)row[3]);
        return data;
    }

    [Theory]
    [MemberData(nameof(QLinearMatMulCases))]
    public void QLinearMatMul_matches(string aType, string bType, string shape, bool constantB)
        => QLinearMatMulCase(aType, bType, shape, constantB, centeredB: false);

    private void QLinearMatMulCase(string aType, string bType, string shape, bool constantB, bool centeredB)
    {
        var (aDims, bDims) = Dims(shape);
        var ta = TypeOf(aType); var tb = TypeOf(bType);
        var ty = ta;
        int n = bDims[^1], k = aDims[^1];
        Func<int, int> bZero = centeredB ? _ => Centre(tb) : j => Extreme(tb, j % 2);
        var test = new QuantizedCase("QLinearMatMul", 10).Feed("a", Bytes(ta, aDims, 3))
            .Weight("a_scale", TensorData.Scalar(0.02f)).Weight("a_zp", Scalar(ta, Extreme(ta, 0) + 9));
        if (constantB) test.Weight("b", Bytes(tb, bDims, 4)); else test.Feed("b", Bytes(tb, bDims, 4));
        if (bDims.Length == 2)
        {
            test.Weight("b_scale", TensorData.Float([n], [.. Enumerable.Range(0, n).Select(j => 0.003f + 0.0011f * (j % 5))]));
            test.Weight("b_zp", Vector(tb, [.. Enumerable.Range(0, n).Select(bZero)]));
        }
        else test.Weight("b_scale", TensorData.Scalar(0.004f)).Weight("b_zp", Scalar(tb, bZero(1)));
        // y_scale from the accumulators' range (every row of A against every column of B), so the outputs spread.
        var bScales = bDims.Length == 2 ? Enumerable.Range(0, n).Select(j => 0.003f + 0.0011f * (j % 5)).Max() : 0.004f;
        float yScale = 0.02f * bScales * Math.Max(1, AccumulatorRange(Bytes(ta, aDims, 3), Extreme(ta, 0) + 9, Bytes(tb, bDims, 4), bZero, k, n)) / 200f;
        test.Weight("y_scale", TensorData.Scalar(yScale)).Weight("y_zp", Scalar(ty, ty == DataType.Int8 ? 3 : 131));
        var (ours, ort) = test.Outputs(ty).Run();
        if (ours[0].ElementCount > 4) Assert.True(ours[0].Bytes.ToArray().Distinct().Count() > 2, "the outputs should spread over the range");
        AssertExact(ours[0], ort[0], $"QLinearMatMul {aType} x {bType} -> {ty.Name()} {shape} constant B {constantB} centred {centeredB}");
    }

    /// <summary>The int8 matmul on every instruction path (portable, AVX2 without VNNI, the best: AVX-VNNI here), odd
    /// M, N, K and batch 4, zero points that fold into the packed weights and ones that do not.</summary>
    public static TheoryData<string, string, string, string, bool> PathCases()
    {
        var data = new TheoryData<string, string, string, string, bool>();
        foreach (var isa in new[] { nameof(Isa.Portable), nameof(Isa.Avx2), nameof(Isa.Avx512) })
            foreach (var (a, b) in new[] { ("uint8", "uint8"), ("uint8", "int8"), ("int8", "int8") })
                foreach (var shape in new[] { "13x37x19", "4:7x64x33|b2d", "4:16x20x50" })
                    foreach (bool centred in new[] { true, false })
                        data.Add(isa, a, b, shape, centred);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathCases))]
    public void QLinearMatMul_and_MatMulInteger_match_on_every_path(string isa, string aType, string bType, string shape, bool centredB)
    {
        KernelIsa.Override = Enum.Parse<Isa>(isa);
        try
        {
            output.WriteLine($"ISA {KernelIsa.Current}, int8 path {Atc.Runtime.MicroKernels.Int8.Int8Paths.Current}");
            // A runtime B for the batched shapes (attention's form), a weight for the 2-D one.
            bool constantB = !shape.StartsWith("4:16", StringComparison.Ordinal);
            QLinearMatMulCase(aType, bType, shape, constantB, centredB);
            MatMulIntegerCase(aType, bType, shape, !constantB, centredB);
        }
        finally { KernelIsa.Override = null; }
    }

    private static long AccumulatorRange(TensorData a, int aZero, TensorData b, Func<int, int> bZero, int k, int n)
    {
        var av = a.ToInt64Array();
        var bv = b.ToInt64Array();
        long min = long.MaxValue, max = long.MinValue;
        for (int row = 0; row < av.Length / k; row++)
            for (int column = 0; column < bv.Length / k; column++)
            {
                int bMatrix = column / n, j = column % n;
                long sum = 0;
                for (int kk = 0; kk < k; kk++)
                    sum += (av[row * k + kk] - aZero) * (bv[(long)bMatrix * k * n + kk * n + j] - bZero(j));
                min = Math.Min(min, sum);
                max = Math.Max(max, sum);
            }
        return max - min;
    }
}
