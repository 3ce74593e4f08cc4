using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Execution;

/// <summary>
/// A tiny real model for the threading and hostile-input tests: input [N,3,6,6] → Pad (1 pixel) → Conv 3x3 (4
/// channels) → Relu → Conv 1x1 (2 channels) → output [N,2,6,6], compiled with batch gears 1 and 8 so that gears
/// differ in arena size (the two-gear misuse that once crashed in the Pad kernel).
/// </summary>
internal static class PadConvModel
{
    public static readonly int[] Batches = [1, 8];

    private static readonly Lazy<byte[]> Om = new(Compile);

    /// <summary>The .om bytes (compiled once per test run; callers get a copy).</summary>
    public static byte[] Bytes => (byte[])Om.Value.Clone();

    public static InferenceModel Load() => InferenceModel.Load(Om.Value);

    public static int[] InputShape(int batch) => [batch, 3, 6, 6];

    public static float[] Input(int batch, int seed) => ModelPipeline.RandomUniform(seed, batch * 3 * 6 * 6);

    private static byte[] Compile()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 7) { GraphName = "pad_conv" };
        string x = b.Input("input", DataType.Float32, "N", 3, 6, 6);
        string pads = b.Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1);
        string padded = b.NamedNode("pad", "Pad", [x, pads], ("mode", "constant"));
        string conv = b.NamedNode("conv1", "Conv", [padded, b.HeWeight("conv1.weight", 4, 3, 3, 3)],
            ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 0, 0, 0, 0 }));
        string relu = b.NamedNode("relu", "Relu", [conv]);
        b.AddNode("Conv", [relu, b.HeWeight("conv2.weight", 2, 4, 1, 1)], ["output"], "conv2", "", ("kernel_shape", new long[] { 1, 1 }));
        b.Output("output", DataType.Float32, "N", 2, 6, 6);

        return CompiledOm.FromOnnx(b.ToBytes(), "pad_conv", Batches);
    }
}
