namespace Atc.TestModels.Onnx;

/// <summary>Layer helpers over <see cref="OnnxModelBuilder"/> for the ready-made CNNs: torchvision parameter names,
/// He-scaled convolution weights, and batch-norm statistics that keep activations O(1).</summary>
internal sealed class CnnLayers(OnnxModelBuilder b)
{
    public string Conv(string x, string name, int inChannels, int outChannels, int kernel, int stride = 1, int pad = 0,
        int group = 1, bool bias = false)
    {
        var inputs = new List<string> { x, b.HeWeight($"{name}.weight", outChannels, inChannels / group, kernel, kernel) };
        if (bias) inputs.Add(b.Normal($"{name}.bias", 0f, 0.01f, outChannels));
        return b.NamedNode(name, "Conv", [.. inputs],
            ("kernel_shape", new long[] { kernel, kernel }), ("strides", new long[] { stride, stride }),
            ("pads", new long[] { pad, pad, pad, pad }), ("dilations", new long[] { 1, 1 }), ("group", group));
    }

    /// <summary>Inference batch norm with statistics near what He-initialised convolutions produce: mean ≈ 0 and
    /// var ≈ 1 after a ReLU (He scaling keeps the pre-activation variance), ≈ 2 right after the image input
    /// (<paramref name="afterInput"/>), so that Conv-BN-Relu stacks neither grow nor shrink their activations.
    /// <paramref name="gammaScale"/> below 1 damps a residual branch.</summary>
    public string BatchNorm(string x, string name, int channels, float gammaScale = 1f, bool afterInput = false)
    {
        string scale = b.Uniform($"{name}.weight", 0.8f * gammaScale, 1.2f * gammaScale, channels);
        string shift = b.Normal($"{name}.bias", 0f, 0.05f, channels);
        string mean = b.Normal($"{name}.running_mean", 0f, 0.05f, channels);
        string variance = afterInput
            ? b.Uniform($"{name}.running_var", 1.5f, 2.5f, channels)
            : b.Uniform($"{name}.running_var", 0.8f, 1.2f, channels);
        return b.NamedNode(name, "BatchNormalization", [x, scale, shift, mean, variance], ("epsilon", 1e-5f), ("momentum", 0.9f));
    }

    public string Relu(string x, string name) => b.NamedNode(name, "Relu", [x]);

    public string Add(string x, string y, string name) => b.NamedNode(name, "Add", [x, y]);

    public string ConvBnRelu(string x, string name, string bnName, int inChannels, int outChannels, int kernel, int stride,
        int pad, bool afterInput = false)
        => Relu(BatchNorm(Conv(x, name, inChannels, outChannels, kernel, stride, pad), bnName, outChannels, 1f, afterInput), name + ".relu");

    public string MaxPool(string x, string name, int kernel, int stride, int pad, bool ceil = false)
        => b.NamedNode(name, "MaxPool", [x], ("kernel_shape", new long[] { kernel, kernel }),
            ("strides", new long[] { stride, stride }), ("pads", new long[] { pad, pad, pad, pad }), ("ceil_mode", ceil ? 1 : 0));

    /// <summary>GlobalAveragePool, Flatten, and a fully connected layer (Gemm, transB=1) named "fc".</summary>
    public string Classifier(string x, string name, int features, int classes, string output)
    {
        string pooled = b.NamedNode("avgpool", "GlobalAveragePool", [x]);
        string flat = b.NamedNode("flatten", "Flatten", [pooled], ("axis", 1));
        b.AddNode("Gemm", [flat, b.LinearWeight($"{name}.weight", classes, features), b.Normal($"{name}.bias", 0f, 0.01f, classes)],
            [output], name, "", ("alpha", 1f), ("beta", 1f), ("transB", 1));
        return output;
    }

    public static object[] ImageDims(int channels, int size) => ["N", channels, size, size];

}
