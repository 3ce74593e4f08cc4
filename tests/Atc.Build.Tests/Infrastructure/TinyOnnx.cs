using System.Text;

namespace Atc.Build.Tests.Infrastructure;

/// <summary>
/// Writes a tiny ONNX model for the build tests: y = x * Scale + Bias (element-wise, broadcast over the batch),
/// x and y [N,4] with N symbolic. A minimal protobuf writer; field numbers are onnx.proto's.
/// </summary>
public static class TinyOnnx
{
    public static readonly float[] Scale = [0.5f, -1f, 2f, 0.25f];
    public static readonly float[] Bias = [0.1f, -0.2f, 0.3f, 1f];

    /// <summary>The model's function, for checking the compiled model's numbers.</summary>
    public static float[] Expected(float[] x) => x.Select((value, i) => value * Scale[i % 4] + Bias[i % 4]).ToArray();

    public static byte[] Model()
    {
        var graph = new Proto()
            .Message(1, new Proto().String(1, "x").String(1, "scale").String(2, "scaled").String(3, "scale_x").String(4, "Mul"))
            .Message(1, new Proto().String(1, "scaled").String(1, "bias").String(2, "y").String(3, "add_bias").String(4, "Add"))
            .String(2, "tiny")
            .Message(5, Tensor("scale", [4], Scale))
            .Message(5, Tensor("bias", [4], Bias))
            .Message(11, ValueInfo("x", "N", 4))
            .Message(12, ValueInfo("y", "N", 4));
        return new Proto()
            .Varint(1, 8)                                        // ir_version
            .String(2, "atc-dotnet tests")                       // producer_name
            .Message(7, graph)                                   // graph
            .Message(8, new Proto().String(1, "").Varint(2, 13)) // opset_import
            .ToArray();
    }

    private static Proto Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new Proto();
        foreach (var dim in dims) tensor.Varint(1, dim);
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        return tensor.Varint(2, 1).String(8, name).Bytes(9, raw); // FLOAT, name, raw_data (little-endian)
    }

    private static Proto ValueInfo(string name, string batch, long width)
    {
        var shape = new Proto()
            .Message(1, new Proto().String(2, batch))   // dim_param
            .Message(1, new Proto().Varint(1, width));  // dim_value
        var tensorType = new Proto().Varint(1, 1).Message(2, shape);
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensorType));
    }

    private sealed class Proto
    {
        private readonly MemoryStream _bytes = new();

        public Proto Varint(int field, long value) { Key(field, 0); WriteVarint((ulong)value); return this; }
        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));
        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public Proto Bytes(int field, byte[] value)
        {
            Key(field, 2);
            WriteVarint((ulong)value.Length);
            _bytes.Write(value);
            return this;
        }

        public byte[] ToArray() => _bytes.ToArray();

        private void Key(int field, int wireType) => WriteVarint((ulong)(field << 3 | wireType));

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _bytes.WriteByte((byte)value);
        }
    }
}
