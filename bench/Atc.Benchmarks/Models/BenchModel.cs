using Atc.Benchmarks.Modes;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.TestModels.Onnx;

namespace Atc.Benchmarks.Models;

/// <summary>
/// A model the suite runs on both runtimes: its ONNX bytes (built by the project's C# builders with seeded weights)
/// and the input shapes for a batch size. Most models have one float32 input <see cref="OnnxModels.InputName"/>
/// with a symbolic batch and one output <see cref="OnnxModels.OutputName"/>; a model with several inputs names its
/// first (<see cref="InputName"/>) and lists the others in <see cref="ExtraInputs"/>, all float32 with the batch first.
/// </summary>
/// <param name="GflopPerImage">Nominal work: 2 × multiply-accumulates of the convolutions and matrix products
/// (the usual published figure), for the GFLOP/s column; 0 when not meaningful.</param>
public sealed record BenchModel(string Name, Func<byte[]> Build, int[] InputDimsAfterBatch, double GflopPerImage, string Description)
{
    public int[] InputShape(int batch) => [batch, .. InputDimsAfterBatch];

    /// <summary>Name of the first input.</summary>
    public string InputName { get; init; } = OnnxModels.InputName;

    /// <summary>Inputs after the first: name and dims after the batch.</summary>
    public (string Name, int[] DimsAfterBatch)[] ExtraInputs { get; init; } = [];

    /// <summary>Every input's name and dims after the batch, in the model's order.</summary>
    public IEnumerable<(string Name, int[] DimsAfterBatch)> Inputs => [(InputName, InputDimsAfterBatch), .. ExtraInputs];

    /// <summary>Seeded data for every input at <paramref name="batch"/> (the first input's data is what
    /// <see cref="BenchModels.InputData"/> gives for its shape, as before).</summary>
    public BenchFeed[] Feeds(int batch)
        => [.. Inputs.Select((input, k) => { int[] shape = [batch, .. input.DimsAfterBatch]; return new BenchFeed(input.Name, shape, BenchModels.InputData(shape, seed: k + 1)); })];

    public override string ToString() => Name;
}

/// <summary>One input of one benchmark case: its name, shape and seeded data.</summary>
public sealed record BenchFeed(string Name, int[] Shape, float[] Data);

/// <summary>The models of the suite, by name.</summary>
public static class BenchModels
{
    public const string ResNet50 = "resnet50";

    /// <summary>Environment variable that narrows the inference/load model list (comma separated), e.g. "mlp,resnet18".
    /// It reaches BenchmarkDotNet's child processes because they inherit the environment.</summary>
    public const string ModelsVariable = "ATC_BENCH_MODELS";

    private static readonly BenchModel[] Catalog =
    [
        new(ResNet50, () => OnnxModels.ResNet50(), [3, 224, 224], 8.18, "torchvision resnet50"),
        new("resnet18", () => OnnxModels.ResNet18(), [3, 224, 224], 3.63, "torchvision resnet18"),
        new("mobilenet_v2", () => OnnxModels.MobileNetV2(), [3, 224, 224], 0.60, "torchvision mobilenet_v2"),
        new("squeezenet1_1", () => OnnxModels.SqueezeNet11(), [3, 224, 224], 0.70, "torchvision squeezenet1_1"),
        new("mlp", () => OnnxModels.Mlp(), [64], 2.0 * (64 * 128 + 128 * 64 + 64 * 10) / 1e9, "Gemm+Relu x2, Gemm, Softmax: [N,64] -> [N,10]"),
        // The model zoo of issue 12 (PyTorch-export-shaped C# builders; GFLOP/s column not judged for them).
        new("mobilenet_v3_small", () => OnnxZooModels.MobileNetV3Small(), [3, 224, 224], 0, "MobileNetV3-Small: HardSigmoid·x, squeeze-excite"),
        new("efficientnet_b0", () => OnnxZooModels.EfficientNetB0(), [3, 224, 224], 0, "EfficientNet-B0, one block per late stage: Sigmoid·x, squeeze-excite"),
        new("vit_tiny", () => OnnxZooModels.VitTiny(), [3, 32, 32], 0, "ViT dim 192, 4 layers, 64 tokens: LayerNorm, Erf-GELU, attention"),
        new("bert_like", () => OnnxZooModels.BertLike(floatIds: true), [OnnxZooModels.BertSequence], 0,
            "BERT-like, 2 layers, dim 128, seq 8: Gather, Tanh-GELU, attention (float input mapped to ids: the harness feeds floats)"),
        new("regnet_y_400mf", () => OnnxZooCnnModels.RegNetY400MF(), [3, 224, 224], 0, "RegNetY-400MF: grouped 3x3 (group width 8), squeeze-excite"),
        new("shufflenet_v2", () => OnnxZooCnnModels.ShuffleNetV2(), [3, 224, 224], 0, "ShuffleNetV2 x1.0: Split, Concat, channel shuffle Reshape/Transpose/Reshape"),
        new("convnext_tiny", () => OnnxZooCnnModels.ConvNeXtTiny(), [3, 224, 224], 0,
            "ConvNeXt-T, depths 1/1/3/1: depthwise 7x7, NHWC permute, decomposed LayerNorm, MatMul+Add, Erf-GELU, layer scale"),
        new("densenet121", () => OnnxZooCnnModels.DenseNet121(), [3, 224, 224], 0, "DenseNet-121: 62 Concats, BatchNorm->Relu->Conv"),
        new("gpt_like", () => OnnxZooSequenceModels.GptLike(floatIds: true), [OnnxZooSequenceModels.GptSequence], 0,
            "GPT-like decoder, 2 layers, dim 128, seq 16: Gather, causal mask via Where, attention (float input mapped to ids)"),
        new("unet", () => OnnxZooDensePredictionModels.UNet(), [3, OnnxZooDensePredictionModels.UNetSize, OnnxZooDensePredictionModels.UNetSize], 0,
            "U-Net 128x128: ConvTranspose and bilinear Resize up-sampling, skip Concat"),
        new("yolo_like", () => OnnxZooDensePredictionModels.YoloLike(), [3, OnnxZooDensePredictionModels.YoloSize, OnnxZooDensePredictionModels.YoloSize], 0,
            "YOLO-like 256x256: Conv-BN-SiLU, SPPF, nearest Resize, head Reshape/Transpose"),
        new("keyword_spotter", () => OnnxZooSequenceModels.KeywordSpotter(),
            [OnnxZooSequenceModels.SpotterFeatures, OnnxZooSequenceModels.SpotterFrames], 0, "1-D conv keyword spotter: Conv1d with dilations 1-8"),
        new("lstm_classifier", () => OnnxZooSequenceModels.LstmClassifier(),
            [OnnxZooSequenceModels.RecurrentSteps, OnnxZooSequenceModels.RecurrentFeatures], 0, "2-layer LSTM (hidden 64) over 32 steps, last step, Linear"),
        new("bigru_classifier", () => OnnxZooSequenceModels.BidirectionalGru(),
            [OnnxZooSequenceModels.RecurrentSteps, OnnxZooSequenceModels.RecurrentFeatures], 0, "bidirectional GRU (hidden 48) over 32 steps, mean, Linear"),
        // Per-call overhead (issue 12 item 4): a ~3 MFLOP model with two inputs and two outputs, and one short transformer block.
        new("two_tower", () => OnnxSmallModels.TwoTower(), [3, OnnxSmallModels.ImageSize, OnnxSmallModels.ImageSize], 0,
            "two inputs (image 3x64x64, vector 16), two outputs: 3 stride-2 Conv-Relu, GlobalAveragePool, Concat, Gemm heads; ~2.7 MFLOP")
        {
            InputName = OnnxSmallModels.ImageInput,
            ExtraInputs = [(OnnxSmallModels.VectorInput, [OnnxSmallModels.VectorLength])],
        },
        new("tiny_transformer", () => OnnxSmallModels.TinyTransformer(), [OnnxSmallModels.TransformerSequence, OnnxSmallModels.TransformerDim], 0,
            "one pre-norm transformer block, seq 16, dim 64, 4 heads: LayerNorm, attention, Erf-GELU MLP"),
        // Int8 (issue 13): ResNet-18 quantised in ONNX Runtime's QDQ form; both runtimes run the same file in int8
        // (select it with --models resnet18_qdq).
        new("resnet18_qdq", () => OnnxQdqModels.ResNet18(), [3, 224, 224], 3.63, "ResNet-18 QDQ int8: uint8 activations, int8 per-channel weights"),
        // A transformer layer in QDQ form (MatMul/Gemm/Add/Mul/Sigmoid; --models transformer_qdq).
        new("transformer_qdq", () => OnnxQdqTransformer.Create(), [16, 64], 0.0016,
            "transformer layer QDQ int8, seq 16, dim 64: QDQ MatMul/Gemm/Add/Mul/Sigmoid, float Softmax")
        {
            InputName = OnnxQdqTransformer.InputName,
        },
        // A held-out zoo (issue 12, generality): architectures written after the tuning, measured as they come.
        new("mlp_mixer", () => OnnxHeldOutZooModels.MlpMixer(), OnnxHeldOutZooModels.All["mlp_mixer"].InputDims, 0,
            "MLP-Mixer, 64 tokens x 128 channels, 4 blocks: token MLP between Transposes, LayerNorm, Erf-GELU"),
        new("fast_style", () => OnnxHeldOutZooModels.FastStyle(), OnnxHeldOutZooModels.All["fast_style"].InputDims, 0,
            "fast style transfer 128x128: reflection Pad, 9x9 convs, InstanceNormalization, nearest up-sampling"),
        new("crnn_ocr", () => OnnxHeldOutZooModels.Crnn(), OnnxHeldOutZooModels.All["crnn_ocr"].InputDims, 0,
            "CRNN text recogniser 32x128: conv/2x1 max pools, two bidirectional LSTMs, LogSoftmax"),
        new("deeplab_like", () => OnnxHeldOutZooModels.DeepLabLike(), OnnxHeldOutZooModels.All["deeplab_like"].InputDims, 0,
            "DeepLabV3-like 128x128: dilated 3x3 convs (2-12), ASPP with image pooling, bilinear x8"),
        // Not in the default list: a model of element-wise ops only, to exercise the harness before the
        // neural-net kernels exist (select it with --models eltwise).
        new("eltwise", ElementwiseModel.Build, [64, 56, 56], 0, "Mul, Add, Relu, Sigmoid, Mul, Softmax on [N,64,56,56]"),
    ];

    /// <summary>The models the issue's targets name, in the order the tables list them.</summary>
    public static readonly string[] DefaultNames = [ResNet50, "resnet18", "mobilenet_v2", "squeezenet1_1", "mlp"];

    /// <summary>The model zoo of issue 12: select with --models (or <see cref="ModelsVariable"/>).</summary>
    public static readonly string[] ZooNames =
    [
        "mobilenet_v3_small", "efficientnet_b0", "regnet_y_400mf", "shufflenet_v2", "convnext_tiny", "densenet121", "vit_tiny",
        "bert_like", "gpt_like", "unet", "yolo_like", "keyword_spotter", "lstm_classifier", "bigru_classifier", "two_tower", "tiny_transformer",
    ];

    /// <summary>The held-out zoo: models the kernels and passes were not tuned on (--models to select them).</summary>
    public static readonly string[] HeldOutNames = ["mlp_mixer", "fast_style", "crnn_ocr", "deeplab_like"];

    public static IEnumerable<string> AllNames => Catalog.Select(m => m.Name);

    public static BenchModel Get(string name)
        => Catalog.FirstOrDefault(m => m.Name == name)
           ?? throw new ArgumentException($"unknown model '{name}'; the suite has: {string.Join(", ", AllNames)}");

    /// <summary>The models selected for this run: <see cref="ModelsVariable"/> if set, else <see cref="DefaultNames"/>.</summary>
    public static IEnumerable<string> Selected()
    {
        var names = Environment.GetEnvironmentVariable(ModelsVariable);
        if (string.IsNullOrWhiteSpace(names)) return DefaultNames;
        var list = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in list) Get(name); // unknown names fail here, with the list of known ones
        return list;
    }

    /// <summary>Seeded input data in [-1, 1), the same for both runtimes.</summary>
    public static float[] InputData(int[] shape, int seed = 1)
    {
        var random = new Random(seed);
        var data = new float[ShapeText.ElementCount(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }
}
