using System.Numerics.Tensors;

namespace Atc.Runtime.Operators.Recurrent;

/// <summary>
/// The fused gate math of one batch entry at one step, on spans of hidden_size (vectorised by TensorPrimitives).
/// Pre-activations arrive as recurrent product + input projection (biases already folded in); clipping applies to
/// every activation's input, as ONNX specifies.
/// </summary>
internal static class RecurrentGates
{
    public static void Clip(Span<float> x, float threshold)
    {
        if (float.IsPositiveInfinity(threshold)) return;
        TensorPrimitives.Max(x, -threshold, x);
        TensorPrimitives.Min(x, threshold, x);
    }

    private static void Activate(Span<float> x, float clip, in RecurrentActivation activation)
    {
        Clip(x, clip);
        activation.Apply(x);
    }

    /// <summary>
    /// LSTM: <paramref name="gates"/> holds the recurrent product [i o f c] and receives scratch values;
    /// <paramref name="c"/> and <paramref name="h"/> are updated in place. Peepholes [Pi Po Pf] may be empty.
    /// </summary>
    public static void Lstm(Span<float> gates, ReadOnlySpan<float> projection, Span<float> c, Span<float> h,
        ReadOnlySpan<float> peepholes, RecurrentActivation[] activations, float clip, bool inputForget)
    {
        int n = h.Length;
        TensorPrimitives.Add(gates, projection, gates);
        Span<float> i = gates[..n], o = gates.Slice(n, n), f = gates.Slice(2 * n, n), cell = gates.Slice(3 * n, n);
        bool peep = !peepholes.IsEmpty;
        if (peep) TensorPrimitives.MultiplyAdd(peepholes[..n], c, i, i);
        Activate(i, clip, activations[0]);
        if (inputForget)
        {
            // Coupled gates: f = 1 - i.
            TensorPrimitives.Negate(i, f);
            TensorPrimitives.Add(f, 1f, f);
        }
        else
        {
            if (peep) TensorPrimitives.MultiplyAdd(peepholes.Slice(2 * n, n), c, f, f);
            Activate(f, clip, activations[0]);
        }
        Activate(cell, clip, activations[1]);
        TensorPrimitives.Multiply(f, c, c);
        TensorPrimitives.MultiplyAdd(i, cell, c, c);
        if (peep) TensorPrimitives.MultiplyAdd(peepholes.Slice(n, n), c, o, o);
        Activate(o, clip, activations[0]);
        c.CopyTo(cell);
        activations[2].Apply(cell);
        TensorPrimitives.Multiply(o, cell, h);
    }

    /// <summary>GRU, first half: z and r from [z r] recurrent products plus projections (in place in <paramref name="zr"/>).</summary>
    public static void GruUpdateAndReset(Span<float> zr, ReadOnlySpan<float> projection, RecurrentActivation f, float clip)
    {
        TensorPrimitives.Add(zr, projection[..zr.Length], zr);
        Activate(zr, clip, f);
    }

    /// <summary>
    /// GRU, second half: <paramref name="candidate"/> holds the candidate's pre-activation (projection included);
    /// H = (1 - z) ⊙ candidate + z ⊙ H, written to <paramref name="h"/>. <paramref name="spare"/> is H-sized scratch.
    /// </summary>
    public static void GruUpdate(Span<float> candidate, ReadOnlySpan<float> z, Span<float> h, Span<float> spare,
        RecurrentActivation g, float clip)
    {
        Activate(candidate, clip, g);
        TensorPrimitives.Subtract(h, candidate, spare);
        TensorPrimitives.MultiplyAdd(z, spare, candidate, h);
    }

    /// <summary>RNN: H = f(recurrent product + projection).</summary>
    public static void Rnn(Span<float> gate, ReadOnlySpan<float> projection, Span<float> h, RecurrentActivation f, float clip)
    {
        TensorPrimitives.Add(gate, projection, gate);
        Activate(gate, clip, f);
        gate.CopyTo(h);
    }
}
