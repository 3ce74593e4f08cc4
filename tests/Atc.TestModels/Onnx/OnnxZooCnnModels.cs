using Atc.Runtime;

namespace Atc.TestModels.Onnx;

/// <summary>
/// Image classifiers of the model zoo (issue 12) that stress other structure than the benchmark CNNs: grouped convs
/// with squeeze-excite (RegNetY), channel shuffle (ShuffleNetV2), channels-last blocks with decomposed LayerNorm
/// (ConvNeXt) and long Concat chains (DenseNet). torchvision layer names, opset 13, one input
/// <see cref="OnnxModels.InputName"/> [N,3,224,224] and one output <see cref="OnnxModels.OutputName"/> [N,1000].
/// </summary>
public static class OnnxZooCnnModels
{
    private const int Classes = 1000, ImageSize = 224;

    /// <summary>torchvision regnet_y_400mf: stem 3x3/2 (32), stages of width 48/104/208/440 and depth 1/3/6/6,
    /// bottleneck blocks 1x1 → grouped 3x3 (group width 8) → squeeze-excite (ReLU, Sigmoid gate, ratio 1/4 of the
    /// block input) → 1x1, projection shortcut on a change of shape; ≈ 0.4 GFLOP.</summary>
    public static byte[] RegNetY400MF(int seed = 400)
    {
        var (b, l, x) = Start("regnet_y_400mf", seed);
        x = l.ConvNormAct(x, "stem", 3, 32, 3, stride: 2, afterInput: true);
        int[] widths = [48, 104, 208, 440], depths = [1, 3, 6, 6];
        const int groupWidth = 8;
        int inChannels = 32;
        for (int stage = 0; stage < widths.Length; stage++)
            for (int block = 0; block < depths[stage]; block++)
            {
                int width = widths[stage], stride = block == 0 ? 2 : 1;
                string name = $"trunk_output.block{stage + 1}.block{stage + 1}-{block}";
                string y = l.ConvNormAct(x, $"{name}.f.a", inChannels, width, 1);
                y = l.ConvNormAct(y, $"{name}.f.b", width, width, 3, stride, group: width / groupWidth);
                y = l.SqueezeExcite(y, $"{name}.f.se", width, Math.Max(1, (int)Math.Round(0.25 * inChannels)), siluInside: false, hardGate: false);
                y = l.ConvNormAct(y, $"{name}.f.c", width, width, 1, activation: CnnLayers.Activation.None, gammaScale: 0.5f);
                string shortcut = inChannels != width || stride != 1
                    ? l.ConvNormAct(x, $"{name}.proj", inChannels, width, 1, stride, activation: CnnLayers.Activation.None)
                    : x;
                x = l.Relu(l.Add(shortcut, y, $"{name}.add"), $"{name}.activation");
                inChannels = width;
            }
        return Finish(b, l.Classifier(x, "fc", inChannels, Classes, OnnxModels.OutputName));
    }

    /// <summary>torchvision shufflenet_v2_x1_0: stem 3x3/2 (24) and max pool, stages of 116/232/464 channels
    /// (4/8/4 units), each unit Split (stride 1) or two branches (stride 2), Concat, and the channel shuffle
    /// Reshape [N,2,C/2,H,W] → Transpose → Reshape; conv5 (1024), mean over H and W, fc; ≈ 0.15 GFLOP.</summary>
    public static byte[] ShuffleNetV2(int seed = 2)
    {
        var (b, l, x) = Start("shufflenet_v2_x1_0", seed);
        x = l.ConvNormAct(x, "conv1", 3, 24, 3, stride: 2, afterInput: true);
        x = l.MaxPool(x, "maxpool", 3, 2, 1);
        int[] outs = [116, 232, 464], repeats = [4, 8, 4];
        int inChannels = 24, size = ImageSize / 4;
        for (int stage = 0; stage < outs.Length; stage++)
            for (int unit = 0; unit < repeats[stage]; unit++)
            {
                string name = $"stage{stage + 2}.{unit}";
                int half = outs[stage] / 2, stride = unit == 0 ? 2 : 1;
                string left, right;
                if (stride == 1)
                {
                    string[] parts = b.Node("Split", [x, b.Int64s($"{name}.split_sizes", half, half)], 2, ("axis", 1));
                    left = parts[0];
                    right = ShuffleBranch(l, parts[1], $"{name}.branch2", half, half, stride);
                }
                else
                {
                    size /= 2;
                    left = l.ConvNormAct(x, $"{name}.branch1.0", inChannels, inChannels, 3, stride, group: inChannels, activation: CnnLayers.Activation.None);
                    left = l.ConvNormAct(left, $"{name}.branch1.2", inChannels, half, 1);
                    right = ShuffleBranch(l, x, $"{name}.branch2", inChannels, half, stride);
                }
                x = ChannelShuffle(b, l.Concat($"{name}.concat", 1, left, right), name, outs[stage], size);
                inChannels = outs[stage];
            }
        x = l.ConvNormAct(x, "conv5", inChannels, 1024, 1);
        x = b.NamedNode("mean", "ReduceMean", [x], ("axes", new long[] { 2, 3 }), ("keepdims", 0));
        return Finish(b, l.Linear(x, "fc", 1024, Classes, OnnxModels.OutputName));
    }

    /// <summary>ConvNeXt-T with reduced depth (1/1/3/1 blocks of dims 96/192/384/768): patchify stem 4x4/4 and
    /// channels-first LayerNorm, blocks of depthwise 7x7 → permute to NHWC → decomposed LayerNorm → Linear (MatMul +
    /// Add) ×4 → Erf-GELU → Linear → layer-scale Mul → permute back → residual Add; LayerNorm + 2x2/2 conv between
    /// stages; GlobalAveragePool, LayerNorm, Flatten, Linear head.</summary>
    public static byte[] ConvNeXtTiny(int seed = 7)
    {
        var (b, l, x) = Start("convnext_tiny_reduced", seed);
        int[] dims = [96, 192, 384, 768], depths = [1, 1, 3, 1];
        x = l.Conv(x, "features.0.0", 3, dims[0], 4, stride: 4, bias: true);
        x = ChannelsFirstLayerNorm(b, x, "features.0.1", dims[0]);
        for (int stage = 0; stage < dims.Length; stage++)
        {
            int dim = dims[stage];
            var t = new TransformerLayers(b, sequence: 0, dim, heads: 1); // channels-last LayerNorm, Linear and GELU only
            if (stage > 0)
            {
                string downsample = $"features.{2 * stage}";
                x = ChannelsFirstLayerNorm(b, x, $"{downsample}.0", dims[stage - 1]);
                x = l.Conv(x, $"{downsample}.1", dims[stage - 1], dim, 2, stride: 2, bias: true);
            }
            for (int block = 0; block < depths[stage]; block++)
            {
                string name = $"features.{2 * stage + 1}.{block}.block";
                string y = l.Conv(x, $"{name}.0", dim, dim, 7, pad: 3, group: dim, bias: true);
                y = b.NamedNode($"{name}.1", "Transpose", [y], ("perm", new long[] { 0, 2, 3, 1 }));
                y = t.LayerNorm(y, $"{name}.2", 1e-6f);
                y = t.GeluErf(t.Linear(y, $"{name}.3", dim, 4 * dim), $"{name}.4");
                y = t.Linear(y, $"{name}.5", 4 * dim, dim);
                y = b.NamedNode($"{name}.layer_scale", "Mul", [y, b.Uniform($"{name}.gamma", 0.2f, 0.5f, dim)]);
                y = b.NamedNode($"{name}.6", "Transpose", [y], ("perm", new long[] { 0, 3, 1, 2 }));
                x = l.Add(x, y, $"features.{2 * stage + 1}.{block}.add");
            }
        }
        x = b.NamedNode("avgpool", "GlobalAveragePool", [x]);
        x = ChannelsFirstLayerNorm(b, x, "classifier.0", dims[^1]);
        x = b.NamedNode("classifier.1", "Flatten", [x], ("axis", 1));
        return Finish(b, l.Linear(x, "classifier.2", dims[^1], Classes, OnnxModels.OutputName));
    }

    /// <summary>torchvision densenet121: stem 7x7/2 and max pool, dense blocks of 6/12/24/16 layers (growth 32,
    /// bottleneck 4·32), each layer Concat of every earlier feature map → BatchNorm → Relu → Conv1x1 → BatchNorm →
    /// Relu → Conv3x3; transitions BatchNorm → Relu → Conv1x1 (half) → AveragePool 2x2/2; 62 Concats; ≈ 2.9 GFLOP.</summary>
    public static byte[] DenseNet121(int seed = 121)
    {
        var (b, l, x) = Start("densenet121", seed);
        const int growth = 32, bottleneck = 4 * growth;
        x = l.ConvBnRelu(x, "features.conv0", "features.norm0", 3, 64, 7, 2, 3, afterInput: true);
        x = l.MaxPool(x, "features.pool0", 3, 2, 1);
        int[] blocks = [6, 12, 24, 16];
        int channels = 64;
        for (int block = 0; block < blocks.Length; block++)
        {
            var features = new List<string> { x };
            for (int layer = 0; layer < blocks[block]; layer++)
            {
                string name = $"features.denseblock{block + 1}.denselayer{layer + 1}";
                string input = features.Count == 1 ? features[0] : l.Concat($"{name}.concat", 1, [.. features]);
                int inChannels = channels + growth * layer;
                string y = NormReluConv(l, input, name, "1", inChannels, bottleneck, 1);
                features.Add(NormReluConv(l, y, name, "2", bottleneck, growth, 3));
            }
            channels += growth * blocks[block];
            x = l.Concat($"features.denseblock{block + 1}.concat", 1, [.. features]);
            if (block == blocks.Length - 1) break;
            string transition = $"features.transition{block + 1}";
            x = NormReluConv(l, x, transition, "", channels, channels / 2, 1);
            x = b.NamedNode($"{transition}.pool", "AveragePool", [x], ("kernel_shape", new long[] { 2, 2 }),
                ("strides", new long[] { 2, 2 }), ("pads", new long[] { 0, 0, 0, 0 }), ("ceil_mode", 0));
            channels /= 2;
        }
        x = l.Relu(l.BatchNorm(x, "features.norm5", channels), "relu5");
        return Finish(b, l.Classifier(x, "classifier", channels, Classes, OnnxModels.OutputName));
    }

    private static (OnnxModelBuilder Builder, CnnLayers Layers, string Input) Start(string graphName, int seed)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = graphName };
        return (b, new CnnLayers(b), b.Input(OnnxModels.InputName, DataType.Float32, CnnLayers.ImageDims(3, ImageSize)));
    }

    private static byte[] Finish(OnnxModelBuilder b, string output)
    {
        b.Output(output, DataType.Float32, "N", Classes);
        return b.ToBytes();
    }

    /// <summary>ShuffleNetV2's branch2: 1x1 (ReLU) → depthwise 3x3 (no activation) → 1x1 (ReLU).</summary>
    private static string ShuffleBranch(CnnLayers l, string x, string name, int inChannels, int channels, int stride)
    {
        x = l.ConvNormAct(x, $"{name}.0", inChannels, channels, 1);
        x = l.ConvNormAct(x, $"{name}.3", channels, channels, 3, stride, group: channels, activation: CnnLayers.Activation.None);
        return l.ConvNormAct(x, $"{name}.5", channels, channels, 1);
    }

    /// <summary>channel_shuffle with 2 groups, as view/transpose/view exports (batch kept with 0).</summary>
    private static string ChannelShuffle(OnnxModelBuilder b, string x, string name, int channels, int size)
    {
        x = b.NamedNode($"{name}.shuffle.view", "Reshape", [x, b.Int64s($"{name}.shuffle.groups", 0, 2, channels / 2, size, size)]);
        x = b.NamedNode($"{name}.shuffle.transpose", "Transpose", [x], ("perm", new long[] { 0, 2, 1, 3, 4 }));
        return b.NamedNode($"{name}.shuffle.flatten", "Reshape", [x, b.Int64s($"{name}.shuffle.shape", 0, channels, size, size)]);
    }

    /// <summary>torchvision's LayerNorm2d: permute to NHWC, LayerNorm over C, permute back.</summary>
    private static string ChannelsFirstLayerNorm(OnnxModelBuilder b, string x, string name, int channels)
    {
        x = b.NamedNode($"{name}.to_nhwc", "Transpose", [x], ("perm", new long[] { 0, 2, 3, 1 }));
        x = new TransformerLayers(b, sequence: 0, channels, heads: 1).LayerNorm(x, name, 1e-6f);
        return b.NamedNode($"{name}.to_nchw", "Transpose", [x], ("perm", new long[] { 0, 3, 1, 2 }));
    }

    /// <summary>DenseNet's pre-activation unit: BatchNorm (norm&lt;k&gt;) → Relu (relu&lt;k&gt;) → Conv (conv&lt;k&gt;), "same" padding.</summary>
    private static string NormReluConv(CnnLayers l, string x, string name, string k, int inChannels, int outChannels, int kernel)
    {
        string y = l.Relu(l.BatchNorm(x, $"{name}.norm{k}", inChannels), $"{name}.relu{k}");
        return l.Conv(y, $"{name}.conv{k}", inChannels, outChannels, kernel, pad: kernel / 2);
    }
}
