using Atc.Runtime.Core;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Runtime.Operators.Recurrent;

/// <summary>
/// One recurrent node under one gear: its attributes and dimensions, checked against ONNX's rules. Inputs are
/// X, W, R, B, sequence_lens, initial_h, initial_c, P (the last two LSTM only); layout 0 is X [seq, batch, input],
/// layout 1 is X [batch, seq, input] (and batch-major initial states and outputs).
/// </summary>
internal sealed class RecurrentSpec
{
    public const int InputX = 0, InputW = 1, InputR = 2, InputB = 3, InputSequenceLens = 4, InputInitialH = 5,
        InputInitialC = 6, InputPeepholes = 7;

    public required RecurrentCellKind Cell { get; init; }
    public required int Directions { get; init; }
    /// <summary>direction="reverse": the one direction runs from the end of each sequence.</summary>
    public required bool ReverseOnly { get; init; }
    public required int Hidden { get; init; }
    public required int InputSize { get; init; }
    public required int SequenceLength { get; init; }
    public required int Batch { get; init; }
    public required bool BatchMajor { get; init; }
    /// <summary>Activations per direction, <see cref="RecurrentCellKinds.ActivationCount"/> each.</summary>
    public required RecurrentActivation[][] Activations { get; init; }
    /// <summary>The clip threshold; +infinity when the node has none.</summary>
    public required float Clip { get; init; }
    public required bool LinearBeforeReset { get; init; }
    public required bool InputForget { get; init; }

    public int Gates => Cell.Gates();

    /// <summary>Whether every direction uses the cell's default activations (their alpha and beta unused).</summary>
    public bool HasDefaultActivations => Activations.All(perDirection => perDirection.Select(a => a.Kind).SequenceEqual(Cell.DefaultActivations()));
    public int GateWidth => Gates * Hidden;

    /// <summary>Whether direction <paramref name="d"/> walks each sequence from its end.</summary>
    public bool IsReverse(int d) => ReverseOnly || d == 1;

    public int[] StateDims => BatchMajor ? [Batch, Directions, Hidden] : [Directions, Batch, Hidden];

    public int[] SequenceOutputDims => BatchMajor ? [Batch, SequenceLength, Directions, Hidden] : [SequenceLength, Directions, Batch, Hidden];

    public static RecurrentSpec Read(OpContext context, RecurrentCellKind cell)
    {
        string op = context.OpType;
        var attributes = context.Attributes;
        if (context.OutputCount > cell.MaxOutputs())
            throw new ShapeException($"{op}: has {context.OutputCount} outputs, at most {cell.MaxOutputs()} are defined");
        long layout = attributes.GetInt("layout", 0);
        if (layout is not (0 or 1)) throw new ShapeException($"{op}: layout {layout} is invalid; use 0 (sequence first) or 1 (batch first)");
        bool batchMajor = layout == 1;

        string direction = attributes.GetString("direction", "forward");
        int directions = direction switch
        {
            "forward" or "reverse" => 1,
            "bidirectional" => 2,
            _ => throw new ShapeException($"{op}: direction '{direction}' is invalid; use \"forward\", \"reverse\" or \"bidirectional\""),
        };

        var x = NeuralNetAttributes.RequireFloat(context, InputX, "X");
        if (x.Rank != 3) throw new ShapeException($"{op}: X must be 3-D ({(batchMajor ? "[batch, seq, input]" : "[seq, batch, input]")}), got {x}");
        int sequence = batchMajor ? x.Dims[1] : x.Dims[0], batch = batchMajor ? x.Dims[0] : x.Dims[1], inputSize = x.Dims[2];

        int gates = cell.Gates();
        var w = NeuralNetAttributes.RequireFloat(context, InputW, "W");
        if (w.Rank != 3 || w.Dims[0] != directions || w.Dims[1] % gates != 0 || w.Dims[2] != inputSize)
            throw new ShapeException($"{op}: W must be [num_directions={directions}, {gates}*hidden_size, input_size={inputSize}], got {w}");
        int hidden = w.Dims[1] / gates;
        long declared = attributes.GetInt("hidden_size", hidden);
        if (declared != hidden)
            throw new ShapeException($"{op}: hidden_size={declared} but W {w} gives {hidden} ({gates} gates); make them agree");

        RequireDims(context, InputR, "R", [directions, gates * hidden, hidden]);
        RequireDims(context, InputB, "B", [directions, 2 * gates * hidden]);
        if (context.HasInput(InputSequenceLens))
        {
            var lens = context.Input(InputSequenceLens);
            if (lens.Type is not (DataType.Int32 or DataType.Int64) || lens.Rank != 1 || lens.Dims[0] != batch)
                throw new ShapeException($"{op}: sequence_lens must be int32 [batch_size={batch}], got {lens}");
        }
        int[] stateDims = batchMajor ? [batch, directions, hidden] : [directions, batch, hidden];
        RequireDims(context, InputInitialH, "initial_h", stateDims);
        if (cell == RecurrentCellKind.Lstm)
        {
            RequireDims(context, InputInitialC, "initial_c", stateDims);
            RequireDims(context, InputPeepholes, "P", [directions, 3 * hidden]);
        }

        float clip = attributes.Has("clip") ? attributes.GetFloat("clip", 0f) : float.PositiveInfinity;
        if (!(clip > 0f)) throw new ShapeException($"{op}: clip {clip} must be a positive threshold; leave it out for no clipping");

        return new RecurrentSpec
        {
            Cell = cell,
            Directions = directions,
            ReverseOnly = direction == "reverse",
            Hidden = hidden,
            InputSize = inputSize,
            SequenceLength = sequence,
            Batch = batch,
            BatchMajor = batchMajor,
            Activations = ReadActivations(context, cell, directions),
            Clip = clip,
            LinearBeforeReset = cell == RecurrentCellKind.Gru && attributes.GetInt("linear_before_reset", 0) != 0,
            InputForget = cell == RecurrentCellKind.Lstm && attributes.GetInt("input_forget", 0) != 0,
        };
    }

    private static void RequireDims(OpContext context, int input, string name, int[] dims)
    {
        if (!context.HasInput(input)) return;
        var t = NeuralNetAttributes.RequireFloat(context, input, name);
        if (!t.Dims.AsSpan().SequenceEqual(dims))
            throw new ShapeException($"{context.OpType}: {name} must be {Shape.Format(dims)}, got {t}");
    }

    // alpha and beta values are consumed in activation order, each by the functions that take one (as ONNX Runtime reads them).
    private static RecurrentActivation[][] ReadActivations(OpContext context, RecurrentCellKind cell, int directions)
    {
        string op = context.OpType;
        int perDirection = cell.ActivationCount();
        string[] names = context.Attributes.GetStrings("activations", []);
        RecurrentActivationKind[] kinds;
        if (names.Length == 0)
        {
            var defaults = cell.DefaultActivations();
            kinds = [.. Enumerable.Range(0, directions).SelectMany(_ => defaults)];
        }
        else
        {
            if (names.Length != perDirection * directions)
                throw new ShapeException($"{op}: activations has {names.Length} names ({string.Join(", ", names)}); " +
                    $"{perDirection} per direction are needed, {perDirection * directions} for {directions} direction(s)");
            kinds = new RecurrentActivationKind[names.Length];
            for (int i = 0; i < names.Length; i++)
                if (!RecurrentActivation.TryParse(names[i], out kinds[i]))
                    throw new ShapeException($"{op}: activation '{names[i]}' is not supported; use one of {RecurrentActivation.Names}");
        }

        float[] alphas = context.Attributes.GetFloats("activation_alpha", []), betas = context.Attributes.GetFloats("activation_beta", []);
        int nextAlpha = 0, nextBeta = 0;
        var result = new RecurrentActivation[directions][];
        for (int d = 0; d < directions; d++)
        {
            result[d] = new RecurrentActivation[perDirection];
            for (int j = 0; j < perDirection; j++)
            {
                var kind = kinds[d * perDirection + j];
                var (alpha, beta) = RecurrentActivation.Defaults(kind);
                if (RecurrentActivation.TakesAlpha(kind) && nextAlpha < alphas.Length) alpha = alphas[nextAlpha++];
                if (RecurrentActivation.TakesBeta(kind) && nextBeta < betas.Length) beta = betas[nextBeta++];
                result[d][j] = new RecurrentActivation(kind, alpha, beta);
            }
        }
        return result;
    }
}
