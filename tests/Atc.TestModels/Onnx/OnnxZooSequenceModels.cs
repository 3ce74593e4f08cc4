using Atc.Runtime;

namespace Atc.TestModels.Onnx;

/// <summary>
/// Sequence models of the zoo (issue 12): a GPT-like decoder (causal mask through Where), a 1-D conv keyword
/// spotter with dilations, a 2-layer LSTM classifier and a bidirectional GRU, shaped as PyTorch 1.13 exports them at
/// opset 13 (batch_first recurrent layers as Transpose → LSTM/GRU → Squeeze or Transpose/Reshape). Input
/// <see cref="OnnxModels.InputName"/>, output <see cref="OnnxModels.OutputName"/>, symbolic batch.
/// </summary>
public static class OnnxZooSequenceModels
{
    /// <summary>Sequence length and vocabulary of <see cref="GptLike"/>.</summary>
    public const int GptSequence = 16, GptVocabulary = 512;

    /// <summary>Features (MFCCs) and frames of <see cref="KeywordSpotter"/>'s input [N, 40, 98], and its classes.</summary>
    public const int SpotterFeatures = 40, SpotterFrames = 98, SpotterClasses = 12;

    /// <summary>Time steps and features per step of the recurrent models' input [N, 32, 40], and their classes.</summary>
    public const int RecurrentSteps = 32, RecurrentFeatures = 40, RecurrentClasses = 10;

    /// <summary>A GPT-like decoder: token ids [N,16] → Gather + position embedding, 2 pre-norm blocks (dim 128,
    /// 4 heads, causal attention masked by Where, Tanh-GELU MLP), final LayerNorm, LM head MatMul → [N,16,512].
    /// <paramref name="floatIds"/> as <see cref="OnnxZooModels.BertLike"/>.</summary>
    public static byte[] GptLike(bool floatIds = false, int seed = 2)
    {
        const int dim = 128, layers = 2;
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = floatIds ? "gpt_like_float_ids" : "gpt_like" };
        var t = new TransformerLayers(b, GptSequence, dim, heads: 4);
        string x = t.Embeddings(t.TokenIds(OnnxModels.InputName, GptVocabulary, floatIds), "transformer.w", GptVocabulary);
        for (int i = 0; i < layers; i++) x = t.PreNormBlock(x, $"transformer.h.{i}", 4 * dim, tanhGelu: true, causal: true);
        x = t.LayerNorm(x, "transformer.ln_f");
        b.AddNode("MatMul", [x, b.LinearWeight("lm_head.weight_t", dim, GptVocabulary)], [OnnxModels.OutputName], "lm_head");
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", GptSequence, GptVocabulary);
        return b.ToBytes();
    }

    /// <summary>A keyword spotter on MFCC frames [N,40,98]: Conv1d 3 (64) → BatchNorm → ReLU, four residual blocks
    /// of two dilated Conv1d 3 (dilation 1, 2, 4, 8, "same" padding), GlobalAveragePool over time, Gemm → [N,12].</summary>
    public static byte[] KeywordSpotter(int seed = 12)
    {
        const int channels = 64;
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "keyword_spotter" };
        var l = new CnnLayers(b);
        string x = b.Input(OnnxModels.InputName, DataType.Float32, "N", SpotterFeatures, SpotterFrames);
        x = l.Relu(l.BatchNorm(l.Conv1d(x, "conv0", SpotterFeatures, channels, 3, pad: 1), "bn0", channels, afterInput: true), "relu0");
        int[] dilations = [1, 2, 4, 8];
        for (int i = 0; i < dilations.Length; i++)
        {
            int d = dilations[i];
            string name = $"blocks.{i}";
            string y = l.Relu(l.BatchNorm(l.Conv1d(x, $"{name}.conv1", channels, channels, 3, pad: d, dilation: d), $"{name}.bn1", channels), $"{name}.relu1");
            y = l.BatchNorm(l.Conv1d(y, $"{name}.conv2", channels, channels, 3, pad: d, dilation: d), $"{name}.bn2", channels, gammaScale: 0.5f);
            x = l.Relu(l.Add(x, y, $"{name}.add"), $"{name}.relu2");
        }
        l.Classifier(x, "fc", channels, SpotterClasses, OnnxModels.OutputName);
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", SpotterClasses);
        return b.ToBytes();
    }

    /// <summary>nn.LSTM(40, 64, num_layers=2, batch_first=True) on [N,32,40], last step, Linear → [N,10]. Each layer is
    /// its own LSTM node (no initial state) whose Y [S,1,N,H] is squeezed on axis 1.</summary>
    public static byte[] LstmClassifier(int seed = 32)
    {
        const int hidden = 64;
        var (b, x) = StartRecurrent("lstm_classifier", seed);
        string Layer(string v, int index, int inputSize)
        {
            string y = Recurrent(b, "LSTM", v, $"lstm.l{index}", inputSize, hidden, directions: 1, gates: 4);
            return b.NamedNode($"lstm.l{index}.squeeze", "Squeeze", [y, b.Int64s($"lstm.l{index}.squeeze_axes", 1)]);
        }
        x = Layer(Layer(x, 0, RecurrentFeatures), 1, hidden);
        x = b.NamedNode("lstm.batch_first", "Transpose", [x], ("perm", new long[] { 1, 0, 2 }));
        x = b.NamedNode("last_step", "Gather", [x, b.Initializer("last_index", TensorData.Int64([], -1))], ("axis", 1));
        return FinishRecurrent(b, x, hidden);
    }

    /// <summary>nn.GRU(40, 48, bidirectional=True, batch_first=True) on [N,32,40] (linear_before_reset=1, as PyTorch
    /// exports it): Y [S,2,N,H] → Transpose [S,N,2,H] → Reshape [S,N,2H] → batch first, mean over time, Linear → [N,10].</summary>
    public static byte[] BidirectionalGru(int seed = 48)
    {
        const int hidden = 48;
        var (b, x) = StartRecurrent("bigru_classifier", seed);
        x = Recurrent(b, "GRU", x, "gru", RecurrentFeatures, hidden, directions: 2, gates: 3, ("linear_before_reset", 1));
        x = b.NamedNode("gru.directions_last", "Transpose", [x], ("perm", new long[] { 0, 2, 1, 3 }));
        x = b.NamedNode("gru.merge_directions", "Reshape", [x, b.Int64s("gru.merge_shape", 0, 0, 2 * hidden)]);
        x = b.NamedNode("gru.batch_first", "Transpose", [x], ("perm", new long[] { 1, 0, 2 }));
        x = b.NamedNode("mean_over_time", "ReduceMean", [x], ("axes", new long[] { 1 }), ("keepdims", 0));
        return FinishRecurrent(b, x, 2 * hidden);
    }

    /// <summary>A batch_first input [N,32,40] transposed to the time-major [32,N,40] that ONNX recurrent ops take.</summary>
    private static (OnnxModelBuilder Builder, string TimeMajor) StartRecurrent(string graphName, int seed)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = graphName };
        string x = b.Input(OnnxModels.InputName, DataType.Float32, "N", RecurrentSteps, RecurrentFeatures);
        return (b, b.NamedNode("time_major", "Transpose", [x], ("perm", new long[] { 1, 0, 2 })));
    }

    private static byte[] FinishRecurrent(OnnxModelBuilder b, string features, int width)
    {
        new CnnLayers(b).Linear(features, "fc", width, RecurrentClasses, OnnxModels.OutputName);
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", RecurrentClasses);
        return b.ToBytes();
    }

    /// <summary>One ONNX LSTM or GRU node with PyTorch's initialisation U(-1/√H, 1/√H) for W, R and both biases;
    /// returns Y [S, directions, N, H].</summary>
    internal static string Recurrent(OnnxModelBuilder b, string opType, string x, string name, int inputSize, int hidden,
        int directions, int gates, params (string Name, object Value)[] extra)
    {
        float bound = 1f / MathF.Sqrt(hidden);
        string w = b.Uniform($"{name}.weight_ih", -bound, bound, directions, gates * hidden, inputSize);
        string r = b.Uniform($"{name}.weight_hh", -bound, bound, directions, gates * hidden, hidden);
        string bias = b.Uniform($"{name}.bias", -bound, bound, directions, 2 * gates * hidden);
        (string, object)[] attributes = [("direction", directions == 2 ? "bidirectional" : "forward"), ("hidden_size", hidden), .. extra];
        b.AddNode(opType, [x, w, r, bias], [$"{name}.y", $"{name}.y_h"], name, "", attributes);
        return $"{name}.y";
    }
}
