using Atc.Runtime;

namespace Atc.TestModels.Onnx;

/// <summary>
/// Ready-made ONNX models with seeded weights, for differential tests against ONNX Runtime and for benchmarks. Every
/// model has one float32 input named <see cref="InputName"/> with a symbolic batch "N" and one output
/// <see cref="OutputName"/>; weights are He-scaled and batch-norm statistics realistic, so outputs are O(1).
/// </summary>
public static class OnnxModels
{
    public const string InputName = "input";
    public const string OutputName = "output";

    /// <summary>torchvision resnet18 (BasicBlock [2,2,2,2]), opset 13, input [N,3,224,224] → [N,1000].</summary>
    public static byte[] ResNet18(int seed = 18) => ResNet("resnet18", [2, 2, 2, 2], bottleneck: false, seed);

    /// <summary>torchvision resnet50 (Bottleneck [3,4,6,3], stride on the 3×3 conv), opset 13, [N,3,224,224] → [N,1000].</summary>
    public static byte[] ResNet50(int seed = 50) => ResNet("resnet50", [3, 4, 6, 3], bottleneck: true, seed);

    /// <summary>Input shape of the image models for a batch size.</summary>
    public static int[] ImageInputShape(int batch, int size = 224) => [batch, 3, size, size];

    private static byte[] ResNet(string name, int[] blocks, bool bottleneck, int seed)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = name };
        var l = new CnnLayers(b);
        string x = b.Input(InputName, DataType.Float32, CnnLayers.ImageDims(3, 224));
        x = l.ConvBnRelu(x, "conv1", "bn1", 3, 64, 7, 2, 3, afterInput: true);
        x = l.MaxPool(x, "maxpool", 3, 2, 1);

        int expansion = bottleneck ? 4 : 1, inChannels = 64;
        int[] widths = [64, 128, 256, 512];
        for (int stage = 0; stage < 4; stage++)
            for (int block = 0; block < blocks[stage]; block++)
            {
                string prefix = $"layer{stage + 1}.{block}";
                int stride = stage > 0 && block == 0 ? 2 : 1, width = widths[stage], outChannels = width * expansion;
                string identity = x;
                if (stride != 1 || inChannels != outChannels)
                    identity = l.BatchNorm(l.Conv(x, $"{prefix}.downsample.0", inChannels, outChannels, 1, stride),
                        $"{prefix}.downsample.1", outChannels, 0.5f);
                string y = bottleneck
                    ? Bottleneck(l, x, prefix, inChannels, width, outChannels, stride)
                    : BasicBlock(l, x, prefix, inChannels, width, stride);
                x = l.Relu(l.Add(y, identity, $"{prefix}.add"), $"{prefix}.relu");
                inChannels = outChannels;
            }
        l.Classifier(x, "fc", inChannels, 1000, OutputName);
        b.Output(OutputName, DataType.Float32, "N", 1000);
        return b.ToBytes();
    }

    private static string BasicBlock(CnnLayers l, string x, string prefix, int inChannels, int width, int stride)
    {
        x = l.ConvBnRelu(x, $"{prefix}.conv1", $"{prefix}.bn1", inChannels, width, 3, stride, 1);
        return l.BatchNorm(l.Conv(x, $"{prefix}.conv2", width, width, 3, 1, 1), $"{prefix}.bn2", width, 0.5f);
    }

    private static string Bottleneck(CnnLayers l, string x, string prefix, int inChannels, int width, int outChannels, int stride)
    {
        x = l.ConvBnRelu(x, $"{prefix}.conv1", $"{prefix}.bn1", inChannels, width, 1, 1, 0);
        x = l.ConvBnRelu(x, $"{prefix}.conv2", $"{prefix}.bn2", width, width, 3, stride, 1);
        return l.BatchNorm(l.Conv(x, $"{prefix}.conv3", width, outChannels, 1, 1, 0), $"{prefix}.bn3", outChannels, 0.5f);
    }

    /// <summary>torchvision mobilenet_v2: inverted residuals with depthwise convs (group = channels) and ReLU6 as
    /// Clip(x, 0, 6) in opset 13's input form; [N,3,224,224] → [N,1000].</summary>
    public static byte[] MobileNetV2(int seed = 2)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "mobilenet_v2" };
        var l = new CnnLayers(b);
        string min = b.ScalarFloat("relu6.min", 0f), max = b.ScalarFloat("relu6.max", 6f);
        string Relu6(string v, string name) => b.NamedNode(name, "Clip", [v, min, max]);
        string ConvBnRelu6(string v, string name, int inC, int outC, int k, int stride, int group)
        {
            v = l.Conv(v, $"{name}.0", inC, outC, k, stride, k / 2, group);
            return Relu6(l.BatchNorm(v, $"{name}.1", outC, 1f, afterInput: name == "features.0"), $"{name}.2");
        }

        string x = b.Input(InputName, DataType.Float32, CnnLayers.ImageDims(3, 224));
        x = ConvBnRelu6(x, "features.0", 3, 32, 3, 2, 1);
        int inChannels = 32, index = 1;
        int[][] settings = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
        foreach (var s in settings)
            for (int i = 0; i < s[2]; i++, index++)
            {
                int expand = s[0], outChannels = s[1], stride = i == 0 ? s[3] : 1, hidden = inChannels * expand, layer = 0;
                string prefix = $"features.{index}.conv", y = x;
                if (expand != 1) y = ConvBnRelu6(y, $"{prefix}.{layer++}", inChannels, hidden, 1, 1, 1);
                y = ConvBnRelu6(y, $"{prefix}.{layer++}", hidden, hidden, 3, stride, hidden);
                y = l.BatchNorm(l.Conv(y, $"{prefix}.{layer}", hidden, outChannels, 1), $"{prefix}.{layer + 1}", outChannels,
                    stride == 1 && inChannels == outChannels ? 0.5f : 1f);
                x = stride == 1 && inChannels == outChannels ? l.Add(x, y, $"features.{index}.add") : y;
                inChannels = outChannels;
            }
        x = ConvBnRelu6(x, "features.18", inChannels, 1280, 1, 1, 1);
        l.Classifier(x, "classifier.1", 1280, 1000, OutputName);
        b.Output(OutputName, DataType.Float32, "N", 1000);
        return b.ToBytes();
    }

    /// <summary>torchvision squeezenet1_1: fire modules (squeeze 1×1, expand 1×1 and 3×3, Concat), ceil-mode max
    /// pooling, a 1×1 conv classifier and GlobalAveragePool; [N,3,224,224] → [N,1000].</summary>
    public static byte[] SqueezeNet11(int seed = 11)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "squeezenet1_1" };
        var l = new CnnLayers(b);
        string Fire(string v, string name, int inC, int squeeze, int expand1, int expand3)
        {
            string s = l.Relu(l.Conv(v, $"{name}.squeeze", inC, squeeze, 1, bias: true), $"{name}.squeeze_activation");
            string e1 = l.Relu(l.Conv(s, $"{name}.expand1x1", squeeze, expand1, 1, bias: true), $"{name}.expand1x1_activation");
            string e3 = l.Relu(l.Conv(s, $"{name}.expand3x3", squeeze, expand3, 3, 1, 1, bias: true), $"{name}.expand3x3_activation");
            return b.NamedNode($"{name}.cat", "Concat", [e1, e3], ("axis", 1));
        }

        string x = b.Input(InputName, DataType.Float32, CnnLayers.ImageDims(3, 224));
        x = l.Relu(l.Conv(x, "features.0", 3, 64, 3, 2, bias: true), "features.1");
        x = l.MaxPool(x, "features.2", 3, 2, 0, ceil: true);
        x = Fire(x, "features.3", 64, 16, 64, 64);
        x = Fire(x, "features.4", 128, 16, 64, 64);
        x = l.MaxPool(x, "features.5", 3, 2, 0, ceil: true);
        x = Fire(x, "features.6", 128, 32, 128, 128);
        x = Fire(x, "features.7", 256, 32, 128, 128);
        x = l.MaxPool(x, "features.8", 3, 2, 0, ceil: true);
        x = Fire(x, "features.9", 256, 48, 192, 192);
        x = Fire(x, "features.10", 384, 48, 192, 192);
        x = Fire(x, "features.11", 384, 64, 256, 256);
        x = Fire(x, "features.12", 512, 64, 256, 256);
        x = l.Relu(l.Conv(x, "classifier.1", 512, 1000, 1, bias: true), "classifier.2");
        string pooled = b.NamedNode("classifier.3", "GlobalAveragePool", [x]);
        b.AddNode("Flatten", [pooled], [OutputName], "flatten", "", ("axis", 1));
        b.Output(OutputName, DataType.Float32, "N", 1000);
        return b.ToBytes();
    }

    /// <summary>A small multilayer perceptron: Gemm+Relu, Gemm+Relu, Gemm, Softmax; opset 13, [N,64] → [N,10].</summary>
    public static byte[] Mlp(int seed = 64)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "mlp" };
        string x = b.Input(InputName, DataType.Float32, "N", 64);
        int[] sizes = [64, 128, 64, 10];
        for (int i = 0; i < 3; i++)
        {
            var weight = i < 2 ? b.HeWeight($"fc{i + 1}.weight", sizes[i + 1], sizes[i]) : b.LinearWeight($"fc{i + 1}.weight", sizes[i + 1], sizes[i]);
            x = b.NamedNode($"fc{i + 1}", "Gemm", [x, weight, b.Normal($"fc{i + 1}.bias", 0f, 0.01f, sizes[i + 1])], ("transB", 1));
            if (i < 2) x = b.NamedNode($"relu{i + 1}", "Relu", [x]);
        }
        b.AddNode("Softmax", [x], [OutputName], "softmax", "", ("axis", -1));
        b.Output(OutputName, DataType.Float32, "N", 10);
        return b.ToBytes();
    }

    /// <summary>A tiny CNN for fast tests: Conv-BN-Relu, MaxPool, Conv(bias)-Relu, GlobalAveragePool, Flatten, Gemm;
    /// opset 13, [N,3,32,32] → [N,10].</summary>
    public static byte[] TinyCnn(int seed = 7)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "tiny_cnn" };
        var l = new CnnLayers(b);
        string x = b.Input(InputName, DataType.Float32, CnnLayers.ImageDims(3, 32));
        x = l.ConvBnRelu(x, "conv1", "bn1", 3, 8, 3, 1, 1, afterInput: true);
        x = l.MaxPool(x, "pool1", 2, 2, 0);
        x = l.Relu(l.Conv(x, "conv2", 8, 16, 3, 1, 1, bias: true), "relu2");
        l.Classifier(x, "fc", 16, 10, OutputName);
        b.Output(OutputName, DataType.Float32, "N", 10);
        return b.ToBytes();
    }

    /// <summary>Every ready-made model by name (for tests and benchmarks that iterate over them).</summary>
    public static IReadOnlyDictionary<string, Func<byte[]>> All { get; } = new Dictionary<string, Func<byte[]>>
    {
        ["resnet18"] = () => ResNet18(),
        ["resnet50"] = () => ResNet50(),
        ["mobilenet_v2"] = () => MobileNetV2(),
        ["squeezenet1_1"] = () => SqueezeNet11(),
        ["mlp"] = () => Mlp(),
        ["tiny_cnn"] = () => TinyCnn(),
    };
}
