using Atc.Runtime;

namespace Atc.TestModels.Onnx;

/// <summary>
/// A transformer encoder layer in the QDQ form ONNX Runtime's static quantiser writes: uint8 activations between
/// QuantizeLinear/DequantizeLinear pairs, int8 weights symmetric per output channel, int32 biases at
/// x_scale · w_scale. Attention projections are MatMuls with their biases as QDQ Adds of a uint8 constant, the
/// residuals QDQ Adds of two activations, the feed-forward block Gemms (transB = 1) on the flattened tokens with a
/// sigmoid gate (QDQ Sigmoid and Mul). Softmax and the Reshape/Transpose moves sit between QDQ pairs too.
/// [N, tokens, width] float → [N, tokens, width] float.
/// </summary>
public static class OnnxQdqTransformer
{
    public const string InputName = "x", OutputName = "y";

    public static byte[] Create(int tokens = 16, int width = 64, int seed = 131)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "transformer_qdq" };
        var q = new Quantizer(b);
        string x = b.Input(InputName, DataType.Float32, "N", tokens, width);
        var a0 = q.Qdq(x, 0.02f, 128);
        var query = q.Projection(a0, "q", width, width);
        var key = q.Projection(a0, "k", width, width);
        var value = q.Projection(a0, "v", width, width);
        var keyT = q.Qdq(b.Node("Transpose", [key], ("perm", new long[] { 0, 2, 1 })), 0.03f, 128);
        var scores = q.Qdq(b.Node("MatMul", [query, keyT]), 0.1f, 128);
        var probabilities = q.Qdq(b.Node("Softmax", [scores], ("axis", -1L)), 1f / 255f, 0);
        var context = q.Qdq(b.Node("MatMul", [probabilities, value]), 0.03f, 128);
        var attended = q.Projection(context, "o", width, width);
        var residual1 = q.Qdq(b.Node("Add", [attended, a0]), 0.03f, 128);

        var flat = q.Qdq(b.Node("Reshape", [residual1, b.Int64s("flat_shape", -1, width)]), 0.03f, 128);
        var hidden = q.Gemm(flat, "ffn1", width, 4 * width, 0.04f, 128, 0.03f);
        var gate = q.Qdq(b.Node("Sigmoid", [hidden]), 1f / 255f, 0);
        var gated = q.Qdq(b.Node("Mul", [hidden, gate]), 0.03f, 128);
        var down = q.Gemm(gated, "ffn2", 4 * width, width, 0.03f, 128, 0.03f);
        var unflat = q.Qdq(b.Node("Reshape", [down, b.Int64s("token_shape", -1, tokens, width)]), 0.03f, 128);
        var residual2 = b.Node("Add", [unflat, residual1]);
        var quantized = b.Node("QuantizeLinear", [residual2, b.ScalarFloat("y_scale", 0.04f), q.ZeroPoint(128)]);
        b.NamedNode(OutputName, "DequantizeLinear", [quantized, b.ScalarFloat("y_dq_scale", 0.04f), q.ZeroPoint(128)]);
        b.Output(OutputName, DataType.Float32, "N", tokens, width);
        return b.ToBytes();
    }

    private sealed class Quantizer(OnnxModelBuilder b)
    {
        private int _count;

        private string Fresh(string stem) => $"{stem}_{_count++}";

        public string ZeroPoint(byte value) => b.Initializer(Fresh("zp"), TensorData.FromArray(DataType.UInt8, [], new[] { value }));

        public string Qdq(string x, float scale, byte zeroPoint)
        {
            var s = b.ScalarFloat(Fresh("scale"), scale);
            var zp = ZeroPoint(zeroPoint);
            return b.Node("DequantizeLinear", [b.Node("QuantizeLinear", [x, s, zp]), s, zp]);
        }

        /// <summary>Int8 weights with per-channel scales along <paramref name="axis"/> (output channels), dequantized;
        /// the scales give outputs of about the spread of inputs with scale <paramref name="inputScale"/>.</summary>
        private (string Value, float[] Scales) Weight(string name, int[] dims, int axis, int depth, float inputScale)
        {
            var values = b.NextNormal((long)dims[0] * dims[1], 0, 40).Select(v => (sbyte)Math.Clamp(MathF.Round(v), -127, 127)).ToArray();
            int channels = dims[axis];
            var scales = Enumerable.Range(0, channels).Select(o => (0.8f + 0.05f * (o % 9)) * 0.6f / (40f * MathF.Sqrt(depth) * inputScale * 40f)).ToArray();
            var w = b.Initializer(name + ".w_q", TensorData.FromArray(DataType.Int8, dims, values));
            var ws = b.Initializer(name + ".w_scale", TensorData.Float([channels], scales));
            var wzp = b.Initializer(name + ".w_zp", TensorData.FromArray(DataType.Int8, [channels], new sbyte[channels]));
            return (b.Node("DequantizeLinear", [w, ws, wzp], ("axis", (long)axis)), scales);
        }

        /// <summary>MatMul by [in, out] weights, quantised, then + a uint8 bias constant (a QDQ Add), quantised.</summary>
        public string Projection(string x, string name, int inputs, int outputs)
        {
            var (w, _) = Weight(name, [inputs, outputs], 1, inputs, 0.02f);
            var product = Qdq(b.Node("MatMul", [x, w]), 0.03f, 128);
            var biasValues = Enumerable.Range(0, outputs).Select(o => (byte)(128 + (o * 37 % 41) - 20)).ToArray();
            var biasScale = b.ScalarFloat(name + ".b_scale", 0.005f);
            var biasZero = b.Initializer(name + ".b_zp", TensorData.FromArray(DataType.UInt8, [], new byte[] { 128 }));
            var bias = b.Node("DequantizeLinear", [b.Initializer(name + ".b_q", TensorData.FromArray(DataType.UInt8, [outputs], biasValues)), biasScale, biasZero]);
            return Qdq(b.Node("Add", [product, bias]), 0.03f, 128);
        }

        /// <summary>Gemm (transB = 1) by [out, in] weights with an int32 bias at input scale · weight scale, quantised.</summary>
        public string Gemm(string x, string name, int inputs, int outputs, float scale, byte zeroPoint, float inputScale)
        {
            var (w, scales) = Weight(name, [outputs, inputs], 0, inputs, inputScale);
            var biasScales = scales.Select(s => inputScale * s).ToArray();
            var biasValues = Enumerable.Range(0, outputs).Select(o => (int)MathF.Round((o % 7 - 3) * 0.05f / biasScales[o])).ToArray();
            var bias = b.Node("DequantizeLinear", [b.Initializer(name + ".b_q", TensorData.FromArray(DataType.Int32, [outputs], biasValues)),
                b.Initializer(name + ".b_scale", TensorData.Float([outputs], biasScales)),
                b.Initializer(name + ".b_zp", TensorData.FromArray(DataType.Int32, [outputs], new int[outputs]))], ("axis", 0L));
            return Qdq(b.Node("Gemm", [x, w, bias], ("transB", 1L)), scale, zeroPoint);
        }
    }
}
