using Atc.Runtime;

namespace Atc.TestModels.Onnx;

/// <summary>
/// Model-zoo families beyond the four benchmark CNNs (issue 12), shaped the way PyTorch's exporter writes them at
/// opset 13: HardSwish as HardSigmoid·x, SiLU as Sigmoid·x, squeeze-excite as GlobalAveragePool → Conv1x1 → act →
/// Conv1x1 → gate → Mul, decomposed LayerNorm, GELU through Erf or Tanh, attention with Reshape/Transpose. Same
/// conventions as <see cref="OnnxModels"/>: one input <see cref="OnnxModels.InputName"/> with a symbolic batch and
/// one output <see cref="OnnxModels.OutputName"/>, seeded non-degenerate weights.
/// </summary>
public static class OnnxZooModels
{
    /// <summary>Sequence length and vocabulary of <see cref="BertLike"/>.</summary>
    public const int BertSequence = 8, BertVocabulary = 1000;

    /// <summary>torchvision mobilenet_v3_small: HardSwish (HardSigmoid·x), squeeze-excite with a HardSigmoid gate,
    /// depthwise 3x3 and 5x5; [N,3,224,224] → [N,1000].</summary>
    public static byte[] MobileNetV3Small(int seed = 3)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "mobilenet_v3_small" };
        var l = new CnnLayers(b);
        string HardSwish(string v, string name)
            => b.NamedNode($"{name}.mul", "Mul", [v, b.NamedNode($"{name}.hsig", "HardSigmoid", [v], ("alpha", 1f / 6f), ("beta", 0.5f))]);
        string Act(string v, string name, bool hs) => hs ? HardSwish(v, name) : l.Relu(v, name);
        string ConvBnAct(string v, string name, int inC, int outC, int k, int stride, int group, bool hs, bool afterInput = false)
            => Act(l.BatchNorm(l.Conv(v, $"{name}.0", inC, outC, k, stride, k / 2, group), $"{name}.1", outC, 1f, afterInput), $"{name}.2", hs);

        string x = b.Input(OnnxModels.InputName, DataType.Float32, CnnLayers.ImageDims(3, 224));
        x = ConvBnAct(x, "features.0", 3, 16, 3, 2, 1, hs: true, afterInput: true);
        // kernel, expanded, out, squeeze-excite, HardSwish, stride (torchvision's table for the small model)
        int[][] settings =
        [
            [3, 16, 16, 1, 0, 2], [3, 72, 24, 0, 0, 2], [3, 88, 24, 0, 0, 1], [5, 96, 40, 1, 1, 2], [5, 240, 40, 1, 1, 1],
            [5, 240, 40, 1, 1, 1], [5, 120, 48, 1, 1, 1], [5, 144, 48, 1, 1, 1], [5, 288, 96, 1, 1, 2], [5, 576, 96, 1, 1, 1],
            [5, 576, 96, 1, 1, 1],
        ];
        int inChannels = 16;
        for (int i = 0; i < settings.Length; i++)
        {
            var s = settings[i];
            int k = s[0], hidden = s[1], outChannels = s[2], stride = s[5];
            bool se = s[3] == 1, hs = s[4] == 1;
            string prefix = $"features.{i + 1}.block", y = x;
            int layer = 0;
            if (hidden != inChannels) y = ConvBnAct(y, $"{prefix}.{layer++}", inChannels, hidden, 1, 1, 1, hs);
            y = ConvBnAct(y, $"{prefix}.{layer++}", hidden, hidden, k, stride, hidden, hs);
            if (se) y = l.SqueezeExcite(y, $"{prefix}.{layer++}", hidden, MakeDivisible(hidden / 4), siluInside: false, hardGate: true);
            y = l.BatchNorm(l.Conv(y, $"{prefix}.{layer}.0", hidden, outChannels, 1), $"{prefix}.{layer}.1", outChannels,
                stride == 1 && inChannels == outChannels ? 0.5f : 1f);
            x = stride == 1 && inChannels == outChannels ? l.Add(x, y, $"features.{i + 1}.add") : y;
            inChannels = outChannels;
        }
        x = ConvBnAct(x, "features.12", inChannels, 576, 1, 1, 1, hs: true);
        string pooled = b.NamedNode("avgpool", "GlobalAveragePool", [x]);
        string flat = b.NamedNode("flatten", "Flatten", [pooled], ("axis", 1));
        string hidden1 = b.NamedNode("classifier.0", "Gemm", [flat, b.HeWeight("classifier.0.weight", 1024, 576),
            b.Normal("classifier.0.bias", 0f, 0.01f, 1024)], ("transB", 1));
        hidden1 = HardSwish(hidden1, "classifier.1");
        b.AddNode("Gemm", [hidden1, b.LinearWeight("classifier.3.weight", 1000, 1024), b.Normal("classifier.3.bias", 0f, 0.01f, 1000)],
            [OnnxModels.OutputName], "classifier.3", "", ("transB", 1));
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", 1000);
        return b.ToBytes();
    }

    /// <summary>EfficientNet-B0 (one block per stage after the first two): SiLU as Sigmoid·x, MBConv with 3x3 and
    /// 5x5 depthwise convs and squeeze-excite (SiLU inside, Sigmoid gate); [N,3,224,224] → [N,1000].</summary>
    public static byte[] EfficientNetB0(int seed = 0)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "efficientnet_b0" };
        var l = new CnnLayers(b);
        string ConvBnSilu(string v, string name, int inC, int outC, int k, int stride, int group, bool afterInput = false)
            => l.ConvNormAct(v, name, inC, outC, k, stride, group, CnnLayers.Activation.Silu, afterInput: afterInput);

        string x = b.Input(OnnxModels.InputName, DataType.Float32, CnnLayers.ImageDims(3, 224));
        x = ConvBnSilu(x, "features.0", 3, 32, 3, 2, 1, afterInput: true);
        // expand ratio, kernel, stride, out channels, blocks
        int[][] stages = [[1, 3, 1, 16, 1], [6, 3, 2, 24, 2], [6, 5, 2, 40, 2], [6, 3, 2, 80, 1], [6, 5, 1, 112, 1], [6, 5, 2, 192, 1], [6, 3, 1, 320, 1]];
        int inChannels = 32;
        for (int stage = 0; stage < stages.Length; stage++)
            for (int block = 0; block < stages[stage][4]; block++)
            {
                var s = stages[stage];
                int stride = block == 0 ? s[2] : 1, outChannels = s[3], hidden = inChannels * s[0], k = s[1], layer = 0;
                string prefix = $"features.{stage + 1}.{block}.block", y = x;
                if (hidden != inChannels) y = ConvBnSilu(y, $"{prefix}.{layer++}", inChannels, hidden, 1, 1, 1);
                y = ConvBnSilu(y, $"{prefix}.{layer++}", hidden, hidden, k, stride, hidden);
                y = l.SqueezeExcite(y, $"{prefix}.{layer++}", hidden, Math.Max(1, inChannels / 4), siluInside: true, hardGate: false);
                bool residual = stride == 1 && inChannels == outChannels;
                // The projection's input went through SiLU (variance ≈ 0.36 of a unit Gaussian's, not ReLU's 0.5) and a
                // Sigmoid gate (≈ 0.5): with unit running variances every block would shrink the signal ~2.5x until
                // the BatchNorm shifts alone decided the output (it barely depended on the image).
                y = l.BatchNorm(l.Conv(y, $"{prefix}.{layer}.0", hidden, outChannels, 1), $"{prefix}.{layer}.1", outChannels,
                    residual ? 0.5f : 1f, varianceScale: 0.18f);
                x = residual ? l.Add(x, y, $"features.{stage + 1}.{block}.add") : y;
                inChannels = outChannels;
            }
        x = ConvBnSilu(x, "features.8", inChannels, 1280, 1, 1, 1);
        l.Classifier(x, "classifier.1", 1280, 1000, OnnxModels.OutputName);
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", 1000);
        return b.ToBytes();
    }

    /// <summary>A small ViT: 4x4 patches of a 32x32 image (64 tokens), dim 192, 3 heads, 4 pre-norm layers with
    /// Erf-GELU, final LayerNorm, mean over tokens, linear head; [N,3,32,32] → [N,10].</summary>
    public static byte[] VitTiny(int seed = 192)
    {
        const int dim = 192, tokens = 64, layers = 4;
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "vit_tiny" };
        var t = new TransformerLayers(b, tokens, dim, heads: 3);
        string x = b.Input(OnnxModels.InputName, DataType.Float32, CnnLayers.ImageDims(3, 32));
        x = b.NamedNode("patch_embed", "Conv", [x, b.HeWeight("patch_embed.weight", dim, 3, 4, 4), b.Normal("patch_embed.bias", 0f, 0.02f, dim)],
            ("kernel_shape", new long[] { 4, 4 }), ("strides", new long[] { 4, 4 }));
        x = b.NamedNode("patch_flatten", "Reshape", [x, b.Int64s("patch_shape", 0, dim, tokens)]);
        x = b.NamedNode("patch_transpose", "Transpose", [x], ("perm", new long[] { 0, 2, 1 }));
        x = b.NamedNode("pos_embed.add", "Add", [x, b.Normal("pos_embed", 0f, 0.5f, 1, tokens, dim)]);
        for (int i = 0; i < layers; i++) x = t.PreNormBlock(x, $"blocks.{i}", 4 * dim, tanhGelu: false);
        x = t.LayerNorm(x, "norm");
        x = b.NamedNode("pool", "ReduceMean", [x], ("axes", new long[] { 1 }), ("keepdims", 0));
        string logits = t.Linear(x, "head", dim, 10);
        b.AddNode("Identity", [logits], [OnnxModels.OutputName], "output_identity");
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", 10);
        return b.ToBytes();
    }

    /// <summary>A BERT-like encoder: int64 token ids [N, 8] → Gather from a word embedding, plus position
    /// embeddings, LayerNorm, 2 post-norm layers (dim 128, 4 heads, Tanh-GELU) → [N, 8, 128]. With
    /// <paramref name="floatIds"/> the input is float32 in [-1, 1) mapped to ids (for harnesses that feed only floats).</summary>
    public static byte[] BertLike(bool floatIds = false, int seed = 128)
    {
        const int dim = 128, layers = 2;
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = floatIds ? "bert_like_float_ids" : "bert_like" };
        var t = new TransformerLayers(b, BertSequence, dim, heads: 4);
        string ids = t.TokenIds(OnnxModels.InputName, BertVocabulary, floatIds);
        string x = t.Embeddings(ids, "embeddings", BertVocabulary);
        x = t.LayerNorm(x, "embeddings.norm");
        for (int i = 0; i < layers; i++) x = t.PostNormBlock(x, $"encoder.{i}", 4 * dim, tanhGelu: true);
        b.AddNode("Identity", [x], [OnnxModels.OutputName], "output_identity");
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", BertSequence, dim);
        return b.ToBytes();
    }

    /// <summary>The zoo models with a float32 image or feature input, by name (the BERT- and GPT-like models' float-id
    /// forms), including those of <see cref="OnnxZooCnnModels"/>, <see cref="OnnxZooDensePredictionModels"/> and
    /// <see cref="OnnxZooSequenceModels"/>.</summary>
    public static IReadOnlyDictionary<string, Func<byte[]>> All { get; } = new Dictionary<string, Func<byte[]>>
    {
        ["mobilenet_v3_small"] = () => MobileNetV3Small(),
        ["efficientnet_b0"] = () => EfficientNetB0(),
        ["vit_tiny"] = () => VitTiny(),
        ["bert_like"] = () => BertLike(floatIds: true),
        ["regnet_y_400mf"] = () => OnnxZooCnnModels.RegNetY400MF(),
        ["shufflenet_v2"] = () => OnnxZooCnnModels.ShuffleNetV2(),
        ["convnext_tiny"] = () => OnnxZooCnnModels.ConvNeXtTiny(),
        ["densenet121"] = () => OnnxZooCnnModels.DenseNet121(),
        ["gpt_like"] = () => OnnxZooSequenceModels.GptLike(floatIds: true),
        ["unet"] = () => OnnxZooDensePredictionModels.UNet(),
        ["yolo_like"] = () => OnnxZooDensePredictionModels.YoloLike(),
        ["keyword_spotter"] = () => OnnxZooSequenceModels.KeywordSpotter(),
        ["lstm_classifier"] = () => OnnxZooSequenceModels.LstmClassifier(),
        ["bigru_classifier"] = () => OnnxZooSequenceModels.BidirectionalGru(),
    };

    private static int MakeDivisible(int v, int divisor = 8)
    {
        int rounded = Math.Max(divisor, (v + divisor / 2) / divisor * divisor);
        return rounded < 0.9 * v ? rounded + divisor : rounded;
    }
}
