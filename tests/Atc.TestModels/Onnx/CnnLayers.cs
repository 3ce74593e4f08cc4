using Atc.Runtime;

namespace Atc.TestModels.Onnx;

/// <summary>Layer helpers over <see cref="OnnxModelBuilder"/> for the ready-made CNNs: torchvision parameter names,
/// He-scaled convolution weights, and batch-norm statistics that keep activations O(1). Ops are written the way
/// PyTorch 1.13's exporter writes them at opset 13 (SiLU as Sigmoid·x, interpolate as Resize with an empty roi).</summary>
internal sealed class CnnLayers(OnnxModelBuilder b)
{
    public string Conv(string x, string name, int inChannels, int outChannels, int kernel, int stride = 1, int pad = 0,
        int group = 1, bool bias = false, int dilation = 1)
        => ConvNd(x, name, inChannels, outChannels, [kernel, kernel], stride, pad, dilation, group, bias);

    /// <summary>torch.nn.Conv1d on [N, C, L]: the same ONNX Conv with one spatial axis.</summary>
    public string Conv1d(string x, string name, int inChannels, int outChannels, int kernel, int stride = 1, int pad = 0,
        int dilation = 1, bool bias = false)
        => ConvNd(x, name, inChannels, outChannels, [kernel], stride, pad, dilation, group: 1, bias);

    private string ConvNd(string x, string name, int inChannels, int outChannels, int[] kernel, int stride, int pad,
        int dilation, int group, bool bias)
    {
        int rank = kernel.Length;
        var inputs = new List<string> { x, b.HeWeight($"{name}.weight", [outChannels, inChannels / group, .. kernel]) };
        if (bias) inputs.Add(b.Normal($"{name}.bias", 0f, 0.01f, outChannels));
        return b.NamedNode(name, "Conv", [.. inputs],
            ("kernel_shape", kernel.Select(k => (long)k).ToArray()), ("strides", Repeat(stride, rank)),
            ("pads", Repeat(pad, 2 * rank)), ("dilations", Repeat(dilation, rank)), ("group", group));
    }

    /// <summary>torch.nn.ConvTranspose2d with kernel = stride (the U-Net up-sampling), with bias. Weight
    /// [in, out, k, k] scaled by the input channels: each output pixel sums exactly <paramref name="inChannels"/> products.</summary>
    public string ConvTranspose(string x, string name, int inChannels, int outChannels, int kernel, int stride)
    {
        string weight = b.Normal($"{name}.weight", 0f, MathF.Sqrt(2f / inChannels), inChannels, outChannels, kernel, kernel);
        return b.NamedNode(name, "ConvTranspose", [x, weight, b.Normal($"{name}.bias", 0f, 0.01f, outChannels)],
            ("kernel_shape", Repeat(kernel, 2)), ("strides", Repeat(stride, 2)), ("pads", Repeat(0, 4)),
            ("dilations", Repeat(1, 2)), ("group", 1), ("output_padding", Repeat(0, 2)));
    }

    /// <summary>F.interpolate(scale_factor) on NCHW as the 1.13 exporter writes it: Resize(x, empty roi, scales),
    /// nearest with asymmetric/floor, bilinear (align_corners=False) with pytorch_half_pixel.</summary>
    public string Upsample(string x, string name, float scale, bool bilinear)
    {
        string roi = b.Initializer($"{name}.roi", TensorData.Float([0]));
        string scales = b.Floats($"{name}.scales", [4], 1f, 1f, scale, scale);
        return b.NamedNode(name, "Resize", [x, roi, scales],
            ("coordinate_transformation_mode", bilinear ? "pytorch_half_pixel" : "asymmetric"), ("cubic_coeff_a", -0.75f),
            ("mode", bilinear ? "linear" : "nearest"), ("nearest_mode", "floor"));
    }

    /// <summary>Inference batch norm with statistics near what He-initialised convolutions produce: mean ≈ 0 and
    /// var ≈ 1 after a ReLU (He scaling keeps the pre-activation variance), ≈ 2 right after the image input
    /// (<paramref name="afterInput"/>), so that Conv-BN-Relu stacks neither grow nor shrink their activations.
    /// <paramref name="gammaScale"/> below 1 damps a residual branch; <paramref name="varianceScale"/> matches the
    /// statistics to an input that earlier layers shrank (a gate), so the signal stays above the BatchNorm shifts.</summary>
    public string BatchNorm(string x, string name, int channels, float gammaScale = 1f, bool afterInput = false, float varianceScale = 1f)
    {
        string scale = b.Uniform($"{name}.weight", 0.8f * gammaScale, 1.2f * gammaScale, channels);
        string shift = b.Normal($"{name}.bias", 0f, 0.05f, channels);
        string mean = b.Normal($"{name}.running_mean", 0f, 0.05f, channels);
        string variance = afterInput
            ? b.Uniform($"{name}.running_var", 1.5f * varianceScale, 2.5f * varianceScale, channels)
            : b.Uniform($"{name}.running_var", 0.8f * varianceScale, 1.2f * varianceScale, channels);
        return b.NamedNode(name, "BatchNormalization", [x, scale, shift, mean, variance], ("epsilon", 1e-5f), ("momentum", 0.9f));
    }

    public string Relu(string x, string name) => b.NamedNode(name, "Relu", [x]);

    /// <summary>SiLU as the exporter writes it before opset 14 has no SiLU: x · Sigmoid(x).</summary>
    public string Silu(string x, string name)
        => b.NamedNode($"{name}.mul", "Mul", [x, b.NamedNode($"{name}.sigmoid", "Sigmoid", [x])]);

    public string Add(string x, string y, string name) => b.NamedNode(name, "Add", [x, y]);

    public string Concat(string name, int axis, params string[] inputs) => b.NamedNode(name, "Concat", inputs, ("axis", axis));

    public string ConvBnRelu(string x, string name, string bnName, int inChannels, int outChannels, int kernel, int stride,
        int pad, bool afterInput = false)
        => Relu(BatchNorm(Conv(x, name, inChannels, outChannels, kernel, stride, pad), bnName, outChannels, 1f, afterInput), name + ".relu");

    /// <summary>torchvision's Conv2dNormActivation: Conv (no bias, "same" padding) → BatchNorm → SiLU or ReLU or
    /// nothing, named "&lt;name&gt;.0/.1/.2".</summary>
    public string ConvNormAct(string x, string name, int inChannels, int outChannels, int kernel, int stride = 1, int group = 1,
        Activation activation = Activation.Relu, float gammaScale = 1f, bool afterInput = false)
    {
        string y = BatchNorm(Conv(x, $"{name}.0", inChannels, outChannels, kernel, stride, kernel / 2, group), $"{name}.1",
            outChannels, gammaScale, afterInput);
        return activation switch
        {
            Activation.Relu => Relu(y, $"{name}.2"),
            Activation.Silu => Silu(y, $"{name}.2"),
            _ => y,
        };
    }

    /// <summary>GlobalAveragePool → Conv1x1 (bias) → Relu or SiLU → Conv1x1 (bias) → HardSigmoid or Sigmoid → Mul.</summary>
    public string SqueezeExcite(string x, string name, int channels, int squeeze, bool siluInside, bool hardGate)
    {
        string s = b.NamedNode($"{name}.avgpool", "GlobalAveragePool", [x]);
        s = Conv(s, $"{name}.fc1", channels, squeeze, 1, bias: true);
        s = siluInside ? Silu(s, $"{name}.silu") : Relu(s, $"{name}.relu");
        s = Conv(s, $"{name}.fc2", squeeze, channels, 1, bias: true);
        string gate = hardGate
            ? b.NamedNode($"{name}.hsig", "HardSigmoid", [s], ("alpha", 1f / 6f), ("beta", 0.5f))
            : b.NamedNode($"{name}.sigmoid", "Sigmoid", [s]);
        return b.NamedNode($"{name}.scale", "Mul", [x, gate]);
    }

    public string MaxPool(string x, string name, int kernel, int stride, int pad, bool ceil = false)
        => b.NamedNode(name, "MaxPool", [x], ("kernel_shape", new long[] { kernel, kernel }),
            ("strides", new long[] { stride, stride }), ("pads", new long[] { pad, pad, pad, pad }), ("ceil_mode", ceil ? 1 : 0));

    /// <summary>GlobalAveragePool, Flatten, and a fully connected layer (<see cref="Linear"/>).</summary>
    public string Classifier(string x, string name, int features, int classes, string output)
    {
        string pooled = b.NamedNode("avgpool", "GlobalAveragePool", [x]);
        return Linear(b.NamedNode("flatten", "Flatten", [pooled], ("axis", 1)), name, features, classes, output);
    }

    /// <summary>torch.nn.Linear on [N, features] as the exporter writes it: Gemm (alpha 1, beta 1, transB 1) with a
    /// fan-in scaled weight [out, in] and a small bias, writing the graph output <paramref name="output"/>.</summary>
    public string Linear(string x, string name, int features, int outFeatures, string output)
    {
        b.AddNode("Gemm", [x, b.LinearWeight($"{name}.weight", outFeatures, features), b.Normal($"{name}.bias", 0f, 0.01f, outFeatures)],
            [output], name, "", ("alpha", 1f), ("beta", 1f), ("transB", 1));
        return output;
    }

    public static object[] ImageDims(int channels, int size) => ["N", channels, size, size];

    private static long[] Repeat(int value, int count) => Enumerable.Repeat((long)value, count).ToArray();

    /// <summary>The activation after a <see cref="ConvNormAct"/>.</summary>
    public enum Activation { None, Relu, Silu }
}
