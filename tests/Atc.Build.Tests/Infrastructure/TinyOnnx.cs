using System.Text;

namespace Atc.Build.Tests.Infrastructure;

/// <summary>
/// Writes a tiny ONNX model for the end-to-end test: y = x @ W + b, x [N,4] (N symbolic), W [4,3], b [3].
/// A minimal protobuf writer; field numbers are onnx.proto's.
/// </summary>
public static class TinyOnnx
{
    public static readonly float[] Weights = [0.5f, -1f, 2f, 1f, 0.25f, -0.5f, -2f, 1.5f, 0f, 0.125f, 3f, 1f]; // [4,3] row-major
    public static readonly float[] Bias = [0.1f, -0.2f, 0.3f];

    /// <summary>The model's function, for checking the compiled model's numbers.</summary>
    public static float[] Expected(float[] x)
    {
        var rows = x.Length / 4;
        var y = new float[rows * 3];
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < 3; j++)
            {
                var sum = Bias[j];
                for (var k = 0; k < 4; k++) sum += x[r * 4 + k] * Weights[k * 3 + j];
                y[r * 3 + j] = sum;
            }
        return y;
    }

    public static byte[] Model()
    {
        var graph = new Proto()
            .Message(1, new Proto().String(1, "x").String(1, "W").String(2, "xw").String(3, "matmul").String(4, "MatMul"))
            .Message(1, new Proto().String(1, "xw").String(1, "b").String(2, "y").String(3, "bias").String(4, "Add"))
            .String(2, "tiny")
            .Message(5, Tensor("W", [4, 3], Weights))
            .Message(5, Tensor("b", [3], Bias))
            .Message(11, ValueInfo("x", "N", 4))
            .Message(12, ValueInfo("y", "N", 3));
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
