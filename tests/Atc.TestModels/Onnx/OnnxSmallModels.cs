using Atc.Runtime;

namespace Atc.TestModels.Onnx;

/// <summary>
/// Small models where a call's fixed cost, not arithmetic, decides the speed (issue 12, items 4 and 5): a two-input,
/// two-output model of about 3 MFLOP and a tiny transformer block. Opset 13, symbolic batch, seeded weights.
/// </summary>
public static class OnnxSmallModels
{
    /// <summary>Input and output names of <see cref="TwoTower"/>.</summary>
    public const string ImageInput = "image", VectorInput = "features", ClassOutput = "class_probs", BoxOutput = "box";

    /// <summary>Image side and vector length of <see cref="TwoTower"/>.</summary>
    public const int ImageSize = 64, VectorLength = 16;

    /// <summary>Sequence length and width of <see cref="TinyTransformer"/>.</summary>
    public const int TransformerSequence = 16, TransformerDim = 64;

    /// <summary>
    /// Two inputs (image [N,3,64,64], vector [N,16]), two outputs (class probabilities [N,10], box [N,4]): three
    /// stride-2 Conv-Relu on the image, GlobalAveragePool, a Gemm-Relu on the vector, Concat, a shared Gemm-Relu and
    /// two Gemm heads (one with Softmax). About 2.7 MFLOP per sample, nearly all of it in the convolutions.
    /// </summary>
    public static byte[] TwoTower(int seed = 33)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "two_tower" };
        var l = new CnnLayers(b);
        string image = b.Input(ImageInput, DataType.Float32, CnnLayers.ImageDims(3, ImageSize));
        string vector = b.Input(VectorInput, DataType.Float32, "N", VectorLength);

        string x = l.Relu(l.Conv(image, "conv1", 3, 16, 3, 2, 1, bias: true), "relu1");
        x = l.Relu(l.Conv(x, "conv2", 16, 16, 3, 2, 1, bias: true), "relu2");
        x = l.Relu(l.Conv(x, "conv3", 16, 32, 3, 2, 1, bias: true), "relu3");
        x = b.NamedNode("flatten", "Flatten", [b.NamedNode("avgpool", "GlobalAveragePool", [x])], ("axis", 1));

        string v = l.Relu(Gemm(b, vector, "vector_fc", VectorLength, 32), "vector_relu");
        string joined = b.NamedNode("concat", "Concat", [x, v], ("axis", 1));
        string shared = l.Relu(Gemm(b, joined, "shared_fc", 64, 64), "shared_relu");
        b.AddNode("Softmax", [Gemm(b, shared, "class_fc", 64, 10)], [ClassOutput], "class_softmax", "", ("axis", -1));
        b.AddNode("Gemm", [shared, b.LinearWeight("box_fc.weight", 4, 64), b.Normal("box_fc.bias", 0f, 0.01f, 4)], [BoxOutput], "box_fc", "", ("transB", 1));
        b.Output(ClassOutput, DataType.Float32, "N", 10);
        b.Output(BoxOutput, DataType.Float32, "N", 4);
        return b.ToBytes();
    }

    /// <summary>One pre-norm transformer block (decomposed LayerNorm, attention, Erf-GELU MLP) on [N,16,64] tokens,
    /// 4 heads; [N,16,64] → [N,16,64] (input <see cref="OnnxModels.InputName"/>, output <see cref="OnnxModels.OutputName"/>).</summary>
    public static byte[] TinyTransformer(int seed = 16)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "tiny_transformer" };
        var t = new TransformerLayers(b, TransformerSequence, TransformerDim, heads: 4);
        string x = b.Input(OnnxModels.InputName, DataType.Float32, "N", TransformerSequence, TransformerDim);
        x = t.PreNormBlock(x, "block", 4 * TransformerDim, tanhGelu: false);
        b.AddNode("Identity", [x], [OnnxModels.OutputName], "output_identity");
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", TransformerSequence, TransformerDim);
        return b.ToBytes();
    }

    private static string Gemm(OnnxModelBuilder b, string x, string name, int inFeatures, int outFeatures)
        => b.NamedNode(name, "Gemm", [x, b.HeWeight($"{name}.weight", outFeatures, inFeatures), b.Normal($"{name}.bias", 0f, 0.01f, outFeatures)],
            ("transB", 1));
}
