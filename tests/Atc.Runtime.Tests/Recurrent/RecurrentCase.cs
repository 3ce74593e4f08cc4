using Atc.Compiler.Shapes;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.TestModels.Onnx;

namespace Atc.Tests.Recurrent;

/// <summary>
/// One ONNX LSTM/GRU/RNN configuration, built as a small model with seeded random weights: inputs x, optional
/// sequence_lens (int32) and initial states (run-time inputs, so every gear gets its own), outputs as requested.
/// Gears vary the batch or (as --dynamic_dims on the seq axis) the sequence length.
/// </summary>
internal sealed record RecurrentCase(string Cell)
{
    public const int InputSize = 5, DefaultSequence = 5, DefaultBatch = 3;

    /// <summary>hidden_size: 7 by default (the kernels' one-element path); larger sizes reach the vector blocks.</summary>
    public int Hidden { get; init; } = 7;

    public string Direction { get; init; } = "forward";
    public int Layout { get; init; }
    public bool SequenceLens { get; init; }
    public bool InitialStates { get; init; }
    public bool Bias { get; init; } = true;
    public bool Peepholes { get; init; }
    public float? Clip { get; init; }
    public int LinearBeforeReset { get; init; }
    public int InputForget { get; init; }
    public string[]? Activations { get; init; }
    public float[]? Alphas { get; init; }
    public float[]? Betas { get; init; }
    /// <summary>Which of Y, Y_h, Y_c the node names (the others are empty names).</summary>
    public bool[] Outputs { get; init; } = [true, true, true];
    /// <summary>Gears over the sequence length (true) or the batch (false).</summary>
    public bool SequenceGears { get; init; }
    public int[] Gears { get; init; } = [1, 5];

    private bool Lstm => Cell == "LSTM";
    private int Gates => Cell switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
    private int Directions => Direction == "bidirectional" ? 2 : 1;
    private int OutputCount => Lstm ? 3 : 2;

    /// <summary>(sequence, batch) of a gear.</summary>
    public (int Sequence, int Batch) GearDims(int gear) => SequenceGears ? (gear, DefaultBatch) : (DefaultSequence, gear);

    private string[] InputNames => [
        "x", .. SequenceLens ? new[] { "seq_lens" } : [], .. InitialStates ? new[] { "initial_h" } : [],
        .. InitialStates && Lstm ? new[] { "initial_c" } : []];

    private int[] StateDims(int batch) => Layout == 1 ? [batch, Directions, Hidden] : [Directions, batch, Hidden];

    public int[] ShapeOf(string input, int gear)
    {
        var (sequence, batch) = GearDims(gear);
        return input switch
        {
            "x" => Layout == 1 ? [batch, sequence, InputSize] : [sequence, batch, InputSize],
            "seq_lens" => [batch],
            _ => StateDims(batch),
        };
    }

    public GearSet GearSet() => new(SequenceGears ? GearKind.Dims : GearKind.Batch,
        [.. Gears.Select(g => new Gear(InputNames.ToDictionary(n => n, n => ShapeOf(n, g), StringComparer.Ordinal), [g]))], []);

    /// <summary>Seeded inputs for one gear, by name in graph order; sequence_lens has full and shorter entries.</summary>
    public List<(string Name, TensorData Value)> Inputs(int gear, int seed)
    {
        var random = new Random(seed);
        var (sequence, batch) = GearDims(gear);
        var result = new List<(string, TensorData)>();
        foreach (var name in InputNames)
        {
            int[] dims = ShapeOf(name, gear);
            if (name == "seq_lens")
            {
                int[] lengths = [.. Enumerable.Range(0, batch).Select(b => b == 0 ? sequence : 1 + random.Next(sequence))];
                result.Add((name, TensorData.FromArray(DataType.Int32, dims, lengths)));
                continue;
            }
            var values = new float[Shape.ElementCount(dims)];
            for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
            result.Add((name, TensorData.Float(dims, values)));
        }
        return result;
    }

    /// <summary>
    /// The model. <paramref name="layoutZeroReference"/>: for layout 1, the same computation as a layout-0 node between
    /// transposes (ONNX Runtime's CPU kernels implement layout 0 only).
    /// </summary>
    public byte[] Build(bool layoutZeroReference = false)
    {
        var b = new OnnxModelBuilder(opset: 14, seed: 29);
        int dirs = Directions, width = Gates * Hidden;
        bool transpose = layoutZeroReference && Layout == 1;
        object batchDim = SequenceGears ? DefaultBatch : "batch", seqDim = SequenceGears ? "seq" : DefaultSequence;
        object[] xDims = Layout == 1 ? [batchDim, seqDim, InputSize] : [seqDim, batchDim, InputSize];
        object[] stateDims = Layout == 1 ? [batchDim, dirs, Hidden] : [dirs, batchDim, Hidden];
        b.Input("x", DataType.Float32, xDims);
        if (SequenceLens) b.Input("seq_lens", DataType.Int32, batchDim);
        if (InitialStates)
        {
            b.Input("initial_h", DataType.Float32, stateDims);
            if (Lstm) b.Input("initial_c", DataType.Float32, stateDims);
        }
        string w = b.Uniform("W", -0.6f, 0.6f, dirs, width, InputSize);
        string r = b.Uniform("R", -0.6f, 0.6f, dirs, width, Hidden);
        string bias = Bias ? b.Uniform("B", -0.5f, 0.5f, dirs, 2 * width) : "";
        string p = Peepholes ? b.Uniform("P", -0.5f, 0.5f, dirs, 3 * Hidden) : "";
        string Maybe(string name, int[] perm) => transpose ? b.Node("Transpose", [name], ("perm", perm)) : name;
        var inputs = new List<string>
        {
            Maybe("x", [1, 0, 2]), w, r, bias, SequenceLens ? "seq_lens" : "",
            InitialStates ? Maybe("initial_h", [1, 0, 2]) : "",
        };
        if (Lstm) inputs.AddRange([InitialStates ? Maybe("initial_c", [1, 0, 2]) : "", p]);
        while (inputs[^1].Length == 0) inputs.RemoveAt(inputs.Count - 1);

        string[] final = ["y", "y_h", "y_c"];
        var nodeOutputs = Enumerable.Range(0, OutputCount).Select(i => !Outputs[i] ? "" : transpose ? final[i] + "_t" : final[i]).ToList();
        while (nodeOutputs[^1].Length == 0) nodeOutputs.RemoveAt(nodeOutputs.Count - 1);

        var attributes = new List<(string, object)> { ("direction", Direction), ("hidden_size", Hidden) };
        if (Layout == 1 && !transpose) attributes.Add(("layout", 1));
        if (Clip is { } clip) attributes.Add(("clip", clip));
        if (Activations is { } activations) attributes.Add(("activations", activations));
        if (Alphas is { } alphas) attributes.Add(("activation_alpha", alphas));
        if (Betas is { } betas) attributes.Add(("activation_beta", betas));
        if (Cell == "GRU") attributes.Add(("linear_before_reset", LinearBeforeReset));
        if (Lstm && InputForget != 0) attributes.Add(("input_forget", InputForget));
        b.AddNode(Cell, [.. inputs], [.. nodeOutputs], "rnn", "", [.. attributes]);

        for (int i = 0; i < OutputCount; i++)
        {
            if (!Outputs[i]) continue;
            if (transpose) b.AddNode("Transpose", [final[i] + "_t"], [final[i]], null, "", ("perm", i == 0 ? new[] { 2, 0, 1, 3 } : [1, 0, 2]));
            b.Output(final[i], DataType.Float32);
        }
        return b.ToBytes();
    }
}
