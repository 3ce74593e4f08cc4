using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>
/// LSTM, GRU and RNN map one to one onto the canonical recurrent ops, which keep ONNX's inputs, attributes and
/// outputs. Every output is produced (an omitted one gets an internal name), so a model may ask for any subset.
/// Opsets before 7 had output_sequence, which only said whether Y is wanted; Y is always computed here.
/// </summary>
internal static class RecurrentLowerings
{
    private static readonly string[] Shared = ["direction", "hidden_size", "activations", "activation_alpha", "activation_beta", "clip", "layout"];

    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        table[OpTypes.Lstm] = n => Recurrent(n, OpTypes.Lstm, 3, "input_forget");
        table[OpTypes.Gru] = n => Recurrent(n, OpTypes.Gru, 2, "linear_before_reset");
        table[OpTypes.Rnn] = n => Recurrent(n, OpTypes.Rnn, 2);
    }

    private static void Recurrent(NodeLowering n, string opType, int outputs, params string[] own)
    {
        n.RequiredInput(0, "X");
        n.RequiredInput(1, "W");
        n.RequiredInput(2, "R");
        n.Emit(opType, NeuralNetLowerings.Inputs(n), OnnxAttributes.Copy(n, [.. Shared, .. own]), outputs, DataType.Float32);
    }
}
