using Atc.Runtime;
using Atc.TestModels.Onnx;

namespace Atc.Benchmarks.Models;

/// <summary>A model of element-wise ops only (per-channel scale and shift, Relu, a sigmoid gate, Softmax over the
/// channels): runnable with the element-wise kernels alone, so the harness can be checked end to end early.</summary>
internal static class ElementwiseModel
{
    public static byte[] Build()
    {
        const int channels = 64;
        var b = new OnnxModelBuilder(opset: 13, seed: 3) { GraphName = "eltwise" };
        string x = b.Input(OnnxModels.InputName, DataType.Float32, "N", channels, 56, 56);
        string scale = b.Normal("scale", 1f, 0.1f, channels, 1, 1);
        string shift = b.Normal("shift", 0f, 0.1f, channels, 1, 1);
        string y = b.NamedNode("relu", "Relu", [b.NamedNode("shift_add", "Add", [b.NamedNode("scale_mul", "Mul", [x, scale]), shift])]);
        string gated = b.NamedNode("gate_mul", "Mul", [y, b.NamedNode("gate", "Sigmoid", [x])]);
        b.AddNode("Softmax", [gated], [OnnxModels.OutputName], "softmax", "", ("axis", 1));
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", channels, 56, 56);
        return b.ToBytes();
    }
}
