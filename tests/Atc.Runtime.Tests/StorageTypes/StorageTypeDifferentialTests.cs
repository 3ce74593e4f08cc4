using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.StorageTypes;

/// <summary>
/// The storage-only ONNX element types (UINT16, INT16, UINT32, UINT64, BFLOAT16) against ONNX Runtime: initializers
/// in raw_data and in the typed fields, graph inputs and outputs of the type, arithmetic and shape ops on it (computed
/// in the wider type inside), and Cast to and from it. Integer results must be bit-identical; bfloat16 ones too (one
/// rounding of the same float32).
/// </summary>
public class StorageTypeDifferentialTests(ITestOutputHelper output)
{
    public static TheoryData<DataType, bool> IntegerTypes() => new()
    {
        { DataType.UInt16, false }, { DataType.UInt16, true },
        { DataType.Int16, false }, { DataType.Int16, true },
        { DataType.UInt32, false }, { DataType.UInt32, true },
        { DataType.UInt64, false }, { DataType.UInt64, true },
    };

    /// <summary>x, c of the type: Add and Mul (which may overflow: the boundary Cast must wrap), Concat, Transpose and a
    /// Cast to float; an int64 input cast to the type (wraps) and a float input cast to it (in range).</summary>
    private static byte[] IntegerModel(DataType type, bool typedFields)
    {
        var b = new OnnxModelBuilder(opset: 14, seed: 3) { UseTypedFields = typedFields };
        b.Input("x", type, "N", 6);
        b.Input("wide", DataType.Int64, "N", 6);
        b.Input("f", DataType.Float32, "N", 6);
        var c = b.Initializer("c", Elements(type, [6], [1, 2, 300, 40000, 7, 65535]));
        var sum = b.Node("Add", ["x", c]);
        var product = b.Node("Mul", [sum, c]);
        b.NamedNode("joined", "Concat", ["x", product], ("axis", 1L));
        b.NamedNode("swapped", "Transpose", ["x"], ("perm", new long[] { 1, 0 }));
        b.NamedNode("as_float", "Cast", ["x"], ("to", 1L));
        b.NamedNode("narrowed", "Cast", ["wide"], ("to", (long)type));
        b.NamedNode("from_float", "Cast", ["f"], ("to", (long)type));
        b.Output("joined", type, "N", 12);
        b.Output("swapped", type, 6, "N");
        b.Output("as_float", DataType.Float32, "N", 6);
        b.Output("narrowed", type, "N", 6);
        b.Output("from_float", type, "N", 6);
        return b.ToBytes();
    }

    [Theory]
    [MemberData(nameof(IntegerTypes))]
    public void Integer_storage_types_match_onnx_runtime(DataType type, bool typedFields)
    {
        var onnx = IntegerModel(type, typedFields);
        var graph = ModelPipeline.ImportOnnx(onnx, "storage_" + type + ".onnx");
        var model = ModelPipeline.Compile(graph, ModelPipeline.BatchGears(graph, 1, 3));
        Assert.Equal(type, model.Signature.Inputs[0].Type);
        Assert.Equal([type, type, DataType.Float32, type, type], model.Signature.Outputs.Select(o => o.Type));
        foreach (int batch in new[] { 1, 3 })
        {
            var random = new Random(10 + batch);
            int n = batch * 6;
            var x = Elements(type, [batch, 6], [.. Enumerable.Range(0, n).Select(_ => (double)random.Next(0, 60000))]);
            var wide = TensorData.Int64([batch, 6], [.. Enumerable.Range(0, n).Select(i => (long)random.Next() * (i % 2 == 0 ? 1 : -1) * 1000003L)]);
            var f = TensorData.Float([batch, 6], [.. Enumerable.Range(0, n).Select(_ => (float)Math.Floor(random.NextDouble() * 30000))]);
            var inputs = new Dictionary<string, TensorData> { ["x"] = x, ["wide"] = wide, ["f"] = f };
            var ours = model.Run(x, wide, f);
            var expected = OrtRunner.Run(onnx, inputs);
            for (int k = 0; k < expected.Length; k++)
            {
                output.WriteLine($"{type} batch {batch} output {k}: {expected[k].Type}{string.Join(",", expected[k].Dims)}");
                Assert.Equal(expected[k].Type, ours[k].Type);
                Assert.Equal(expected[k].Dims, ours[k].Dims);
                Assert.Equal(expected[k].Bytes.ToArray(), ours[k].Bytes.ToArray());
            }
        }
    }

    /// <summary>bfloat16 in and out: an input cast up, a MatMul with bfloat16 weights cast up, the result cast down (an
    /// output) and through bfloat16 and back inside the graph; a bfloat16 input passed to an output unchanged.</summary>
    private static byte[] BFloat16Model(bool typedFields)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 4) { UseTypedFields = typedFields };
        b.Input("x", DataType.BFloat16, "N", 8);
        var xf = b.Node("Cast", ["x"], ("to", 1L));
        var w = b.Initializer("w", BFloat16s([8, 4], b.NextNormal(32, 0, 0.5f)));
        var wf = b.Node("Cast", [w], ("to", 1L));
        var y = b.Node("MatMul", [xf, wf]);
        b.NamedNode("y16", "Cast", [y], ("to", 16L));
        var rounded = b.Node("Cast", [y], ("to", 16L));
        var back = b.Node("Cast", [rounded], ("to", 1L));
        b.NamedNode("z", "Mul", [back, back]);
        b.NamedNode("same", "Identity", ["x"]);
        b.Output("y16", DataType.BFloat16, "N", 4);
        b.Output("z", DataType.Float32, "N", 4);
        b.Output("same", DataType.BFloat16, "N", 8);
        return b.ToBytes();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BFloat16_matches_onnx_runtime(bool typedFields)
    {
        var onnx = BFloat16Model(typedFields);
        var graph = ModelPipeline.ImportOnnx(onnx, "bf16.onnx");
        var model = ModelPipeline.Compile(graph, ModelPipeline.BatchGears(graph, 2, 5));
        Assert.Equal(DataType.BFloat16, model.Signature.Inputs[0].Type);
        Assert.Equal([DataType.BFloat16, DataType.Float32, DataType.BFloat16], model.Signature.Outputs.Select(o => o.Type));
        foreach (int batch in new[] { 2, 5 })
        {
            var values = ModelPipeline.RandomUniform(80 + batch, batch * 8);
            values[0] = float.NaN;
            values[1] = 3.4e38f; // rounds to infinity in bfloat16
            var x = BFloat16s([batch, 8], values);
            var ours = model.Run(x);
            var expected = OrtRunner.Run(onnx, new Dictionary<string, TensorData> { ["x"] = x });
            Assert.Equal(expected[2].Bytes.ToArray(), ours[2].Bytes.ToArray());
            var comparison = TensorCompare.ScaledClose(ours[1], expected[1], 1e-5);
            output.WriteLine($"batch {batch} z: {comparison}");
            Assert.True(comparison.Within, comparison.ToString());
            // y16 rounds the same float32 sums as ONNX Runtime up to summation order: at most one bfloat16 step apart.
            var ourBits = ours[0].AsSpan<ushort>().ToArray();
            var theirBits = expected[0].AsSpan<ushort>().ToArray();
            for (int i = 0; i < ourBits.Length; i++)
                Assert.True(Math.Abs(ourBits[i] - theirBits[i]) <= 1 || (IsNaN(ourBits[i]) && IsNaN(theirBits[i])),
                    $"y16[{i}]: ours 0x{ourBits[i]:X4}, ONNX Runtime 0x{theirBits[i]:X4}");
        }
    }

    [Fact]
    public void Ushort_spans_carry_bfloat16_and_uint16_in_a_session()
    {
        var graph = ModelPipeline.ImportOnnx(BFloat16Model(false), "bf16.onnx");
        var model = ModelPipeline.Compile(graph, ModelPipeline.BatchGears(graph, 1));
        using var session = model.CreateSession();
        ushort[] x = [0x3F80, 0xC000, 0x0000, 0x8000, 0x7F80, 0x4049, 0x3E80, 0x7FC0]; // 1, -2, 0, -0, inf, 3.14, 0.25, NaN
        session.SetInput<ushort>(0, x, [1, 8]);
        session.Run();
        Assert.Equal(x, session.GetOutput<ushort>(2).ToArray());
        var error = Assert.Throws<InferenceInputException>(() => session.SetInput<float>(0, new float[8], [1, 8]));
        Assert.Contains("bfloat16", error.Message);
    }

    private static bool IsNaN(ushort bits) => (bits & 0x7F80) == 0x7F80 && (bits & 0x007F) != 0;

    private static TensorData BFloat16s(int[] dims, float[] values)
    {
        var bits = new ushort[values.Length];
        for (int i = 0; i < values.Length; i++) bits[i] = ReferenceBFloat16(values[i]);
        return TensorData.FromArray(DataType.BFloat16, dims, bits);
    }

    // Round to nearest even on the float32 bits, written independently of the runtime's conversion.
    private static ushort ReferenceBFloat16(float value)
    {
        if (float.IsNaN(value)) return 0x7FC0;
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint lower = bits & 0xFFFF, upper = bits >> 16;
        if (lower > 0x8000 || (lower == 0x8000 && (upper & 1) == 1)) upper++;
        return (ushort)upper;
    }

    private static TensorData Elements(DataType type, int[] dims, double[] values) => type switch
    {
        DataType.UInt16 => TensorData.FromArray(type, dims, Array.ConvertAll(values, v => (ushort)v)),
        DataType.Int16 => TensorData.FromArray(type, dims, Array.ConvertAll(values, v => unchecked((short)(ushort)v))),
        DataType.UInt32 => TensorData.FromArray(type, dims, Array.ConvertAll(values, v => (uint)v * 70001u)),
        DataType.UInt64 => TensorData.FromArray(type, dims, Array.ConvertAll(values, v => (ulong)v * 0x0000_1234_5678_9ABFUL)),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

}
