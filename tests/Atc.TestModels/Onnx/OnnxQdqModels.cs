using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.TestModels.Onnx;

/// <summary>
/// Int8 QDQ models in the form ONNX Runtime's static quantiser writes (QuantizeLinear/DequantizeLinear pairs around
/// float ops): uint8 activations, int8 weights symmetric per output channel, int32 biases at x_scale · w_scale, Relu
/// before the QuantizeLinear with zero point 0. Scales are chosen from the weights' statistics instead of a
/// calibration run, so activations stay spread over their range.
/// </summary>
public static class OnnxQdqModels
{
    /// <summary>ResNet-18's layout (basic blocks 2-2-2-2, widths 64-512) quantised, [N,3,S,S] → [N,1000]; the
    /// classifier Gemm stays float between DequantizeLinear and QuantizeLinear.</summary>
    public static byte[] ResNet18(int size = 224, int seed = 118)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "resnet18_qdq" };
        var q = new Quantizer(b);
        string x = b.Input(OnnxModels.InputName, DataType.Float32, CnnLayers.ImageDims(3, size));
        var a = q.QuantizeDequantize(x, 2f / 255f, 128);
        a = q.Conv(a, "conv1", 3, 64, 7, 2, 3, relu: true);
        a = q.MaxPool(a, "maxpool");
        int inChannels = 64;
        int[] widths = [64, 128, 256, 512];
        for (int stage = 0; stage < 4; stage++)
            for (int block = 0; block < 2; block++)
            {
                string prefix = $"layer{stage + 1}.{block}";
                int stride = stage > 0 && block == 0 ? 2 : 1, width = widths[stage];
                var identity = a;
                if (stride != 1 || inChannels != width) identity = q.Conv(a, $"{prefix}.downsample", inChannels, width, 1, stride, 0, relu: false);
                var y = q.Conv(a, $"{prefix}.conv1", inChannels, width, 3, stride, 1, relu: true);
                y = q.Conv(y, $"{prefix}.conv2", width, width, 3, 1, 1, relu: false);
                a = q.AddRelu(y, identity, $"{prefix}.add");
                inChannels = width;
            }
        var pooled = q.QuantizeDequantize(b.Node("GlobalAveragePool", [a.Value]), a.Scale / 2, 0);
        var flat = b.Node("Flatten", [pooled.Value]);
        var fc = b.Node("Gemm", [flat, b.LinearWeight("fc.weight", 1000, inChannels), b.Zeros("fc.bias", 1000)], ("transB", 1L));
        b.NamedNode(OnnxModels.OutputName, "Identity", [fc]);
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", 1000);
        return b.ToBytes();
    }

    /// <summary>A dequantized activation: its value name and the scale/zero point it was quantised with.</summary>
    public readonly record struct Activation(string Value, float Scale, byte ZeroPoint);

    private sealed class Quantizer(OnnxModelBuilder b)
    {
        private int _count;

        private string Fresh(string stem) => $"{stem}_{_count++}";

        public Activation QuantizeDequantize(string x, float scale, byte zeroPoint)
        {
            var s = b.ScalarFloat(Fresh("scale"), scale);
            var zp = b.Initializer(Fresh("zp"), TensorData.FromArray(DataType.UInt8, [], new[] { zeroPoint }));
            var quantized = b.Node("QuantizeLinear", [x, s, zp]);
            return new Activation(b.Node("DequantizeLinear", [quantized, s, zp]), scale, zeroPoint);
        }

        /// <summary>Conv with int8 per-channel weights and an int32 bias, then Relu (output zero point 0) or not
        /// (zero point 128), quantised. The output scale assumes unit-variance outputs.</summary>
        public Activation Conv(Activation x, string name, int inChannels, int outChannels, int kernel, int stride, int pad, bool relu)
        {
            int depth = inChannels * kernel * kernel;
            var values = b.NextNormal((long)outChannels * depth, 0, 40).Select(v => (sbyte)Math.Clamp(MathF.Round(v), -127, 127)).ToArray();
            // w ≈ N(0, 1/depth) · (input's spread): outputs of about unit variance for inputs of the input scale's range.
            float inputStd = x.Scale * 255f / 6f;
            var scales = Enumerable.Range(0, outChannels).Select(o => (0.8f + 0.05f * (o % 9)) / (40f * MathF.Sqrt(depth) * inputStd)).ToArray();
            var w = b.Initializer(name + ".w_q", TensorData.FromArray(DataType.Int8, [outChannels, inChannels, kernel, kernel], values));
            var ws = b.Initializer(name + ".w_scale", TensorData.Float([outChannels], scales));
            var wzp = b.Initializer(name + ".w_zp", TensorData.FromArray(DataType.Int8, [outChannels], new sbyte[outChannels]));
            var wd = b.Node("DequantizeLinear", [w, ws, wzp], ("axis", 0L));
            var biasScales = scales.Select(s => x.Scale * s).ToArray();
            var biasValues = Enumerable.Range(0, outChannels).Select(o => (int)MathF.Round((o % 7 - 3) * 0.05f / biasScales[o])).ToArray();
            var bias = b.Node("DequantizeLinear", [b.Initializer(name + ".b_q", TensorData.FromArray(DataType.Int32, [outChannels], biasValues)),
                b.Initializer(name + ".b_scale", TensorData.Float([outChannels], biasScales)),
                b.Initializer(name + ".b_zp", TensorData.FromArray(DataType.Int32, [outChannels], new int[outChannels]))], ("axis", 0L));
            var y = b.Node("Conv", [x.Value, wd, bias], ("kernel_shape", new long[] { kernel, kernel }),
                ("strides", new long[] { stride, stride }), ("pads", new long[] { pad, pad, pad, pad }));
            return relu ? QuantizeDequantize(b.Node("Relu", [y]), 4f / 255f, 0) : QuantizeDequantize(y, 8f / 255f, 128);
        }

        public Activation MaxPool(Activation x, string name)
        {
            var pooled = b.NamedNode(name, "MaxPool", [x.Value], ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }),
                ("pads", new long[] { 1, 1, 1, 1 }));
            return QuantizeDequantize(pooled, x.Scale, x.ZeroPoint);
        }

        public Activation AddRelu(Activation x, Activation y, string name)
            => QuantizeDequantize(b.Node("Relu", [b.NamedNode(name, "Add", [x.Value, y.Value])]), 6f / 255f, 0);
    }
}
