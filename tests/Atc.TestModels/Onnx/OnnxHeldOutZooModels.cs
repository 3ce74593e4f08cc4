using Atc.Runtime;

namespace Atc.TestModels.Onnx;

/// <summary>
/// A held-out zoo (issue 12, "generality over benchmarks"): four common architectures written after the kernels and
/// passes were tuned on <see cref="OnnxZooModels.All"/>, to see how the compiler does on graphs it was not shaped
/// for. An MLP-Mixer (token mixing through Transpose + MatMul on the other axis), a fast neural style-transfer net
/// (reflection Pad, InstanceNormalization, 9x9 convs, nearest up-sampling), a CRNN text recogniser (non-square max
/// pools, conv features reshaped into a sequence, two bidirectional LSTMs, LogSoftmax) and a DeepLab-like segmenter
/// (dilated 3x3 convs up to dilation 12, ASPP with an image-pooling branch resized by a Shape-computed size, bilinear
/// ×8 up-sampling). Opset 13 as PyTorch 1.13 exports them; input <see cref="OnnxModels.InputName"/>, output
/// <see cref="OnnxModels.OutputName"/>, symbolic batch first.
/// </summary>
public static class OnnxHeldOutZooModels
{
    /// <summary>Image side of <see cref="MlpMixer"/>, its patch size and classes.</summary>
    public const int MixerSize = 64, MixerPatch = 8, MixerClasses = 10;

    /// <summary>Image side of <see cref="FastStyle"/> (input and output [N,3,128,128]).</summary>
    public const int StyleSize = 128;

    /// <summary>Text-line image of <see cref="Crnn"/>: [N,1,32,128]; output [N,32,37] (32 time steps, 36 symbols + blank).</summary>
    public const int CrnnHeight = 32, CrnnWidth = 128, CrnnSteps = 32, CrnnSymbols = 37;

    /// <summary>Image side of <see cref="DeepLabLike"/> and its classes (output [N,21,128,128]).</summary>
    public const int DeepLabSize = 128, DeepLabClasses = 21;

    /// <summary>The held-out models by name, with the dims of their one float32 input after the batch.</summary>
    public static IReadOnlyDictionary<string, (Func<byte[]> Build, int[] InputDims)> All { get; } = new Dictionary<string, (Func<byte[]>, int[])>
    {
        ["mlp_mixer"] = (() => MlpMixer(), [3, MixerSize, MixerSize]),
        ["fast_style"] = (() => FastStyle(), [3, StyleSize, StyleSize]),
        ["crnn_ocr"] = (() => Crnn(), [1, CrnnHeight, CrnnWidth]),
        ["deeplab_like"] = (() => DeepLabLike(), [3, DeepLabSize, DeepLabSize]),
    };

    /// <summary>MLP-Mixer on [N,3,64,64]: 8x8/8 patch Conv to 128 channels, flatten(2).transpose(1,2) to 64 tokens,
    /// 4 mixer blocks (token MLP 64→96→64 applied across tokens between two Transposes; channel MLP 128→256→128; both
    /// pre-LayerNorm with Erf-GELU and residual Adds), final LayerNorm, mean over tokens, Linear → [N,10].</summary>
    public static byte[] MlpMixer(int seed = 71)
    {
        const int channels = 128, tokens = MixerSize / MixerPatch * (MixerSize / MixerPatch), blocks = 4;
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "mlp_mixer" };
        var l = new CnnLayers(b);
        var t = new TransformerLayers(b, tokens, channels, heads: 1);
        string x = b.Input(OnnxModels.InputName, DataType.Float32, CnnLayers.ImageDims(3, MixerSize));
        x = l.Conv(x, "stem", 3, channels, MixerPatch, MixerPatch, bias: true);
        x = b.NamedNode("stem.flatten", "Reshape", [x, b.Int64s("stem.flatten_shape", 0, channels, -1)]);
        x = b.NamedNode("stem.transpose", "Transpose", [x], ("perm", new long[] { 0, 2, 1 }));
        for (int i = 0; i < blocks; i++)
        {
            string name = $"blocks.{i}";
            string y = b.NamedNode($"{name}.token.t_in", "Transpose", [t.LayerNorm(x, $"{name}.norm1")], ("perm", new long[] { 0, 2, 1 }));
            y = t.Linear(t.GeluErf(t.Linear(y, $"{name}.token.fc1", tokens, 96), $"{name}.token.gelu"), $"{name}.token.fc2", 96, tokens);
            y = b.NamedNode($"{name}.token.t_out", "Transpose", [y], ("perm", new long[] { 0, 2, 1 }));
            x = b.NamedNode($"{name}.res1", "Add", [x, y]);
            y = t.LayerNorm(x, $"{name}.norm2");
            y = t.Linear(t.GeluErf(t.Linear(y, $"{name}.channel.fc1", channels, 2 * channels), $"{name}.channel.gelu"), $"{name}.channel.fc2", 2 * channels, channels);
            x = b.NamedNode($"{name}.res2", "Add", [x, y]);
        }
        x = t.LayerNorm(x, "norm");
        x = b.NamedNode("pool", "ReduceMean", [x], ("axes", new long[] { 1 }), ("keepdims", 0));
        l.Linear(x, "head", channels, MixerClasses, OnnxModels.OutputName);
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", MixerClasses);
        return b.ToBytes();
    }

    /// <summary>Johnson et al.'s fast style-transfer net on [N,3,128,128]: reflection-padded convs (9x9 3→16, 3x3/2
    /// 16→32, 3x3/2 32→64) with affine InstanceNorm and ReLU, three residual blocks, two nearest ×2 up-samplings each
    /// followed by a padded 3x3 conv, InstanceNorm and ReLU, and a padded 9x9 conv back to 3 channels.</summary>
    public static byte[] FastStyle(int seed = 9)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "fast_style" };
        var l = new CnnLayers(b);
        string PaddedConv(string v, string name, int inC, int outC, int k, int stride = 1)
        {
            int p = k / 2;
            string padded = b.NamedNode($"{name}.pad", "Pad", [v, b.Int64s($"{name}.pads", 0, 0, p, p, 0, 0, p, p)], ("mode", "reflect"));
            return l.Conv(padded, $"{name}.conv", inC, outC, k, stride, pad: 0, bias: true);
        }
        string Norm(string v, string name, int c)
            => b.NamedNode(name, "InstanceNormalization", [v, b.Uniform($"{name}.weight", 0.8f, 1.2f, c), b.Normal($"{name}.bias", 0f, 0.1f, c)],
                ("epsilon", 1e-5f));
        string Layer(string v, string name, int inC, int outC, int k, int stride = 1)
            => l.Relu(Norm(PaddedConv(v, name, inC, outC, k, stride), $"{name}.in", outC), $"{name}.relu");

        string x = b.Input(OnnxModels.InputName, DataType.Float32, CnnLayers.ImageDims(3, StyleSize));
        x = Layer(x, "conv1", 3, 16, 9);
        x = Layer(x, "conv2", 16, 32, 3, 2);
        x = Layer(x, "conv3", 32, 64, 3, 2);
        for (int i = 1; i <= 3; i++)
        {
            string r = Layer(x, $"res{i}.a", 64, 64, 3);
            r = Norm(PaddedConv(r, $"res{i}.b", 64, 64, 3), $"res{i}.b.in", 64);
            x = l.Add(x, r, $"res{i}.add");
        }
        x = Layer(l.Upsample(x, "up1.resize", 2f, bilinear: false), "up1", 64, 32, 3);
        x = Layer(l.Upsample(x, "up2.resize", 2f, bilinear: false), "up2", 32, 16, 3);
        x = PaddedConv(x, "out", 16, 3, 9);
        b.AddNode("Identity", [x], [OnnxModels.OutputName], "output_identity");
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", 3, StyleSize, StyleSize);
        return b.ToBytes();
    }

    /// <summary>A CRNN text recogniser on [N,1,32,128]: 3x3 conv-ReLU blocks (32, 64, 128+BN, 128, 128+BN) with 2x2
    /// then 2x1 max pools down to [N,128,2,32], viewed as [N,256,32] and permuted to the time-major [32,N,256], two
    /// bidirectional LSTMs (hidden 64; Y [T,2,N,64] → Transpose/Reshape [T,N,128]), a Linear to 37 symbols,
    /// LogSoftmax, and batch first again → [N,32,37].</summary>
    public static byte[] Crnn(int seed = 37)
    {
        const int hidden = 64;
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "crnn_ocr" };
        var l = new CnnLayers(b);
        string Pool(string v, string name, int kh, int kw)
            => b.NamedNode(name, "MaxPool", [v], ("kernel_shape", new long[] { kh, kw }), ("strides", new long[] { kh, kw }),
                ("pads", new long[] { 0, 0, 0, 0 }), ("ceil_mode", 0));
        string ConvRelu(string v, string name, int inC, int outC, bool norm, bool afterInput = false)
        {
            string y = l.Conv(v, $"{name}.conv", inC, outC, 3, 1, pad: 1, bias: !norm);
            if (norm) y = l.BatchNorm(y, $"{name}.bn", outC, afterInput: afterInput);
            return l.Relu(y, $"{name}.relu");
        }
        string BiLstm(string v, string name, int inputSize)
        {
            string y = OnnxZooSequenceModels.Recurrent(b, "LSTM", v, name, inputSize, hidden, directions: 2, gates: 4);
            y = b.NamedNode($"{name}.directions_last", "Transpose", [y], ("perm", new long[] { 0, 2, 1, 3 }));
            return b.NamedNode($"{name}.merge", "Reshape", [y, b.Int64s($"{name}.merge_shape", 0, 0, 2 * hidden)]);
        }

        string x = b.Input(OnnxModels.InputName, DataType.Float32, "N", 1, CrnnHeight, CrnnWidth);
        x = Pool(ConvRelu(x, "cnn.0", 1, 32, norm: false), "cnn.pool0", 2, 2);         // [32,16,64]
        x = Pool(ConvRelu(x, "cnn.1", 32, 64, norm: false), "cnn.pool1", 2, 2);        // [64,8,32]
        x = ConvRelu(x, "cnn.2", 64, 128, norm: true);
        x = Pool(ConvRelu(x, "cnn.3", 128, 128, norm: false), "cnn.pool3", 2, 1);      // [128,4,32]
        x = Pool(ConvRelu(x, "cnn.4", 128, 128, norm: true), "cnn.pool4", 2, 1);       // [128,2,32]
        x = b.NamedNode("to_sequence.view", "Reshape", [x, b.Int64s("to_sequence.shape", 0, 256, CrnnSteps)]);
        x = b.NamedNode("to_sequence.permute", "Transpose", [x], ("perm", new long[] { 2, 0, 1 }));   // [T,N,256]
        x = BiLstm(BiLstm(x, "rnn.0", 256), "rnn.1", 2 * hidden);
        string w = b.LinearWeight("fc.weight_t", 2 * hidden, CrnnSymbols);
        x = b.NamedNode("fc.add", "Add", [b.NamedNode("fc.matmul", "MatMul", [x, w]), b.Normal("fc.bias", 0f, 0.02f, CrnnSymbols)]);
        x = b.NamedNode("log_softmax", "LogSoftmax", [x], ("axis", 2));
        b.AddNode("Transpose", [x], [OnnxModels.OutputName], "batch_first", "", ("perm", new long[] { 1, 0, 2 }));
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", CrnnSteps, CrnnSymbols);
        return b.ToBytes();
    }

    /// <summary>A DeepLabV3-like segmenter on [N,3,128,128]: Conv-BN-ReLU stem down to 16x16 (output stride 8), two
    /// dilated 3x3 convs (dilation 2 and 4), ASPP (1x1; 3x3 with dilation 6 and 12; image pooling: GlobalAveragePool,
    /// 1x1 Conv-BN-ReLU, bilinear Resize back to the feature size through Shape/Slice/Concat sizes as the exporter
    /// writes F.interpolate(size=...)), Concat, 1x1 projection, 3x3 head, 1x1 classifier, bilinear ×8 → [N,21,128,128].</summary>
    public static byte[] DeepLabLike(int seed = 21)
    {
        const int features = 16, width = 64;
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "deeplab_like" };
        var l = new CnnLayers(b);
        string DilatedConv(string v, string name, int inC, int outC, int dilation)
            => l.Relu(l.BatchNorm(l.Conv(v, $"{name}.0", inC, outC, 3, 1, pad: dilation, dilation: dilation), $"{name}.1", outC), $"{name}.2");

        string x = b.Input(OnnxModels.InputName, DataType.Float32, CnnLayers.ImageDims(3, DeepLabSize));
        x = l.ConvNormAct(x, "backbone.0", 3, 32, 3, 2, afterInput: true);    // 64
        x = l.ConvNormAct(x, "backbone.1", 32, 64, 3, 2);                     // 32
        x = l.ConvNormAct(x, "backbone.2", 64, 64, 3);
        x = l.ConvNormAct(x, "backbone.3", 64, 128, 3, 2);                    // 16
        x = DilatedConv(x, "backbone.4", 128, 128, 2);
        x = DilatedConv(x, "backbone.5", 128, 128, 4);

        string b0 = l.ConvNormAct(x, "aspp.b0", 128, width, 1);
        string b1 = DilatedConv(x, "aspp.b1", 128, width, 6);
        string b2 = DilatedConv(x, "aspp.b2", 128, width, 12);
        string pooled = l.ConvNormAct(b.NamedNode("aspp.pool.gap", "GlobalAveragePool", [x]), "aspp.pool", 128, width, 1);
        string batchAndChannels = b.NamedNode("aspp.pool.shape_nc", "Slice",
            [b.NamedNode("aspp.pool.shape", "Shape", [pooled]), b.Int64s("aspp.pool.starts", 0), b.Int64s("aspp.pool.ends", 2)]);
        string sizes = b.NamedNode("aspp.pool.sizes", "Concat", [batchAndChannels, b.Int64s("aspp.pool.hw", features, features)], ("axis", 0));
        string empty = b.Initializer("aspp.pool.empty", TensorData.Float([0]));
        string b3 = b.NamedNode("aspp.pool.resize", "Resize", [pooled, empty, empty, sizes],
            ("coordinate_transformation_mode", "pytorch_half_pixel"), ("cubic_coeff_a", -0.75f), ("mode", "linear"), ("nearest_mode", "floor"));
        x = l.ConvNormAct(l.Concat("aspp.concat", 1, b0, b1, b2, b3), "aspp.project", 4 * width, width, 1);
        x = l.ConvNormAct(x, "head.0", width, width, 3);
        x = l.Conv(x, "head.classifier", width, DeepLabClasses, 1, bias: true);
        x = l.Upsample(x, "upsample", DeepLabSize / features, bilinear: true);
        b.AddNode("Identity", [x], [OnnxModels.OutputName], "output_identity");
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", DeepLabClasses, DeepLabSize, DeepLabSize);
        return b.ToBytes();
    }
}
