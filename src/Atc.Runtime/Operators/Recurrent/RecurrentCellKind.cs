namespace Atc.Runtime.Operators.Recurrent;

/// <summary>The three ONNX recurrent cells, with what differs between them in shapes and attributes.</summary>
internal enum RecurrentCellKind { Lstm, Gru, Rnn }

internal static class RecurrentCellKinds
{
    /// <summary>Gates stacked in W, R and B: LSTM iofc, GRU zrh, RNN one.</summary>
    public static int Gates(this RecurrentCellKind cell) => cell switch { RecurrentCellKind.Lstm => 4, RecurrentCellKind.Gru => 3, _ => 1 };

    /// <summary>Activations per direction: LSTM f, g, h; GRU f, g; RNN f.</summary>
    public static int ActivationCount(this RecurrentCellKind cell) => cell switch { RecurrentCellKind.Lstm => 3, RecurrentCellKind.Gru => 2, _ => 1 };

    public static RecurrentActivationKind[] DefaultActivations(this RecurrentCellKind cell) => cell switch
    {
        RecurrentCellKind.Lstm => [RecurrentActivationKind.Sigmoid, RecurrentActivationKind.Tanh, RecurrentActivationKind.Tanh],
        RecurrentCellKind.Gru => [RecurrentActivationKind.Sigmoid, RecurrentActivationKind.Tanh],
        _ => [RecurrentActivationKind.Tanh],
    };

    /// <summary>Outputs: Y, Y_h and, for LSTM, Y_c.</summary>
    public static int MaxOutputs(this RecurrentCellKind cell) => cell == RecurrentCellKind.Lstm ? 3 : 2;

    /// <summary>Inputs: X, W, R, B, sequence_lens, initial_h and, for LSTM, initial_c and P.</summary>
    public static int MaxInputs(this RecurrentCellKind cell) => cell == RecurrentCellKind.Lstm ? 8 : 6;
}
