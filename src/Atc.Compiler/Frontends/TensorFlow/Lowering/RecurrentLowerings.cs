using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>
/// The static fused LSTM forms of TF1 (tf.contrib.rnn / tf.raw_ops) lowered onto the canonical (ONNX-semantics) LSTM:
/// BlockLSTM (gates i, c, f, o; forget_bias added to f), BlockLSTMV2 (gates i, f, c, o; no forget_bias) over a whole
/// sequence, and LSTMBlockCell (one step, gates i, c, f, o). The weights w [input + cell, 4 cell] and b [4 cell] must be
/// constant: they are split into ONNX's W, R and B with gates re-ordered to i, o, f, c; peepholes wci, wcf, wco become
/// P (i, o, f). Only the cell's h (and LSTMBlockCell's final cs) are produced: the per-step gate activations (i, f, o,
/// ci, co) and BlockLSTM's per-step cs have no ONNX twin, so reading one is ATC1200, as is a positive cell_clip (it
/// clips the cell state, which ONNX's clip does not).
/// </summary>
internal static class RecurrentLowerings
{
    public static void Register(Dictionary<string, TfLowering> table)
    {
        table["BlockLSTM"] = (c, n) => Block(c, n, GateOrder.Icfo, n.GetFloat("forget_bias", 1f));
        table["BlockLSTMV2"] = (c, n) => Block(c, n, GateOrder.Ifco, 0f);
        table["LSTMBlockCell"] = Cell;
    }

    private enum GateOrder { Icfo, Ifco }

    /// <summary>seq_len_max, x [T, B, input], cs_prev, h_prev, w, wci, wcf, wco, b → i, cs, f, o, ci, co, h [T, B, cell].
    /// seq_len_max becomes every batch row's sequence_lens: steps past it give zeros, as TensorFlow's do.</summary>
    private static void Block(TfLoweringContext c, TfNode node, GateOrder order, float forgetBias)
    {
        c.RequireInputs(node, 9);
        RequireOnlyReadOutputs(c, node, [6]);
        var x = c.Input(node, 1);
        var weights = Weights(c, node, order, forgetBias, wIndex: 4, bIndex: 8, peepholeIndex: 5, x);
        // sequence_lens [B]: seq_len_max (an int64 scalar) broadcast over the batch taken from x's shape.
        var shape = c.EmitHelper(node, "x_shape", OpTypes.Shape, [x], DataType.Int64);
        var batch = c.EmitHelper(node, "batch", OpTypes.Slice, [shape, c.Int64Constant(node, "batch_start", [1]), c.Int64Constant(node, "batch_end", [2])], DataType.Int64);
        var length = c.EmitHelper(node, "seq_len", OpTypes.Cast, [c.Input(node, 0)], DataType.Int32, new OpAttributes().Set("to", (long)DataType.Int32));
        var lengths = c.EmitHelper(node, "sequence_lens", OpTypes.Expand, [length, batch], DataType.Int32);
        var lstm = EmitLstm(c, node, x, weights, lengths, c.Input(node, 3), c.Input(node, 2));
        c.EmitAt(node, 6, OpTypes.Squeeze, [lstm.Outputs[0]], x.Type, new OpAttributes().Set("axes", new long[] { 1 }));
    }

    /// <summary>x [B, input], cs_prev, h_prev, w, wci, wcf, wco, b → i, cs, f, o, ci, co, h [B, cell]: one step.</summary>
    private static void Cell(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 8);
        RequireOnlyReadOutputs(c, node, [1, 6]);
        var x = c.Input(node, 0);
        var weights = Weights(c, node, GateOrder.Icfo, node.GetFloat("forget_bias", 1f), wIndex: 3, bIndex: 7, peepholeIndex: 4, x);
        var sequence = c.EmitHelper(node, "x_sequence", OpTypes.Unsqueeze, [x], x.Type, new OpAttributes().Set("axes", new long[] { 0 }));
        var lstm = EmitLstm(c, node, sequence, weights, null, c.Input(node, 2), c.Input(node, 1));
        var squeeze = new OpAttributes().Set("axes", new long[] { 0 });
        if (c.Tf.IsOutputRead(node.Name, 1)) c.EmitAt(node, 1, OpTypes.Squeeze, [lstm.Outputs[2]], x.Type, squeeze);
        c.EmitAt(node, 6, OpTypes.Squeeze, [lstm.Outputs[1]], x.Type, squeeze);
    }

    private static void RequireOnlyReadOutputs(TfLoweringContext c, TfNode node, int[] supported)
    {
        string[] names = ["i", "cs", "f", "o", "ci", "co", "h"];
        for (int k = 0; k < names.Length; k++)
            if (!supported.Contains(k) && c.Tf.IsOutputRead(node.Name, k))
                throw new TfUnsupportedException($"{node.Op} (output {k}, '{names[k]}', is read)");
        float clip = node.GetFloat("cell_clip", node.Op == "BlockLSTMV2" ? 0f : 3f);
        if (clip > 0) throw new TfUnsupportedException($"{node.Op} (cell_clip {clip}: set it to -1 or 0)");
    }

    private sealed record LstmWeights(Value W, Value R, Value B, Value? P, int Cell);

    private static LstmWeights Weights(TfLoweringContext c, TfNode node, GateOrder order, float forgetBias, int wIndex, int bIndex, int peepholeIndex, Value x)
    {
        var w = c.Input(node, wIndex).Constant ?? throw new TfUnsupportedException(node.Op + " (non-constant w)");
        var b = c.Input(node, bIndex).Constant ?? throw new TfUnsupportedException(node.Op + " (non-constant b)");
        if (w.Dims.Length != 2 || w.Dims[1] % 4 != 0 || b.ElementCount != w.Dims[1])
            throw new TfUnsupportedException($"{node.Op} (w [{string.Join(", ", w.Dims)}] and b of {b.ElementCount} values are not [input + cell, 4 cell] and [4 cell])");
        int cell = w.Dims[1] / 4, input = w.Dims[0] - cell;
        if (input < 1) throw new TfUnsupportedException($"{node.Op} (w has {w.Dims[0]} rows for a cell of {cell})");
        float[] wv = w.ToFloatArray(), bv = b.ToFloatArray();
        // TensorFlow's block of each ONNX gate (i, o, f, c).
        int[] blocks = order == GateOrder.Icfo ? [0, 3, 2, 1] : [0, 3, 1, 2];
        var wOnnx = new float[4 * cell * input];
        var rOnnx = new float[4 * cell * cell];
        var bOnnx = new float[8 * cell];
        for (int g = 0; g < 4; g++)
            for (int j = 0; j < cell; j++)
            {
                int column = blocks[g] * cell + j, row = g * cell + j;
                for (int k = 0; k < input; k++) wOnnx[row * input + k] = wv[k * 4 * cell + column];
                for (int k = 0; k < cell; k++) rOnnx[row * cell + k] = wv[(input + k) * 4 * cell + column];
                bOnnx[row] = bv[column] + (g == 2 ? forgetBias : 0f);
            }
        Value? p = null;
        if (node.GetBool("use_peephole", false))
        {
            var peepholes = new float[3 * cell];
            // ONNX's P is (i, o, f); TensorFlow's inputs are wci, wcf, wco.
            int[] inputs = [peepholeIndex, peepholeIndex + 2, peepholeIndex + 1];
            for (int g = 0; g < 3; g++)
            {
                var values = c.Input(node, inputs[g]).Constant?.ToFloatArray() ?? throw new TfUnsupportedException(node.Op + " (non-constant peephole)");
                if (values.Length != cell) throw new TfUnsupportedException($"{node.Op} (a peephole of {values.Length} values for a cell of {cell})");
                values.CopyTo(peepholes, g * cell);
            }
            p = c.Constant(node.Name + "/P", TensorData.Float([1, 3 * cell], peepholes));
        }
        return new LstmWeights(c.Constant(node.Name + "/W", TensorData.Float([1, 4 * cell, input], wOnnx)),
            c.Constant(node.Name + "/R", TensorData.Float([1, 4 * cell, cell], rOnnx)),
            c.Constant(node.Name + "/B", TensorData.Float([1, 8 * cell], bOnnx)), p, cell);
    }

    private static Node EmitLstm(TfLoweringContext c, TfNode node, Value sequence, LstmWeights weights, Value? lengths, Value h, Value cs)
    {
        var state = new OpAttributes().Set("axes", new long[] { 0 });
        var initialH = c.EmitHelper(node, "initial_h", OpTypes.Unsqueeze, [h], h.Type, state);
        var initialC = c.EmitHelper(node, "initial_c", OpTypes.Unsqueeze, [cs], cs.Type, state);
        var attributes = new OpAttributes().Set("hidden_size", (long)weights.Cell).Set("direction", "forward");
        return c.EmitMultiHelper(node, "lstm", OpTypes.Lstm,
            [sequence, weights.W, weights.R, weights.B, lengths, initialH, initialC, weights.P],
            [sequence.Type, sequence.Type, sequence.Type], attributes);
    }
}
