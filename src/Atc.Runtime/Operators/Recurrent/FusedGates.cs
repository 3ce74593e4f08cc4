using System.Runtime.CompilerServices;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.Recurrent;

/// <summary>
/// The gate math of one batch entry at one step for the default activations (sigmoid for gates, tanh for the
/// candidate and the cell output), as one pass over hidden_size per step: each block of <c>TOps.Count</c> elements
/// loads its pre-activations once, computes every gate in registers and stores the new state (and its Y row). The
/// blocks starting at <c>j</c> are elements [j, j + Count) of every gate. Clipping bounds every activation's input
/// (+infinity: none).
/// </summary>
internal static unsafe class FusedGates<TOps, TVec> where TOps : struct, IActivationVector<TVec> where TVec : struct
{
    // tanh(x) = x P(x²) / Q(x²) on [-7.9053, 7.9053] (beyond it float tanh is ±1): a minimax rational approximation
    // with Eigen's published float coefficients, within a few ulp of tanh and exact in sign and saturation.
    private const float TanhLimit = 7.90531110763549805f;
    private const float A1 = 4.89352455891786e-03f, A3 = 6.37261928875436e-04f, A5 = 1.48572235717979e-05f,
        A7 = 5.12229709037114e-08f, A9 = -8.60467152213735e-11f, A11 = 2.00018790482477e-13f, A13 = -2.76076847742355e-16f;
    private const float B0 = 4.89352518554385e-03f, B2 = 2.26843463243900e-03f, B4 = 1.18534705686654e-04f, B6 = 1.19825839466702e-06f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Tanh(TVec x)
    {
        x = TOps.Min(TOps.Max(x, TOps.Broadcast(-TanhLimit)), TOps.Broadcast(TanhLimit));
        TVec x2 = TOps.Multiply(x, x);
        TVec p = TOps.MultiplyAdd(x2, TOps.Broadcast(A13), TOps.Broadcast(A11));
        p = TOps.MultiplyAdd(x2, p, TOps.Broadcast(A9));
        p = TOps.MultiplyAdd(x2, p, TOps.Broadcast(A7));
        p = TOps.MultiplyAdd(x2, p, TOps.Broadcast(A5));
        p = TOps.MultiplyAdd(x2, p, TOps.Broadcast(A3));
        p = TOps.MultiplyAdd(x2, p, TOps.Broadcast(A1));
        TVec q = TOps.MultiplyAdd(x2, TOps.Broadcast(B6), TOps.Broadcast(B4));
        q = TOps.MultiplyAdd(x2, q, TOps.Broadcast(B2));
        q = TOps.MultiplyAdd(x2, q, TOps.Broadcast(B0));
        return TOps.Divide(TOps.Multiply(x, p), q);
    }

    /// <summary>sigmoid(x) = 1 / (1 + e^-x): relative accuracy also for small outputs (a gate near 0 scales a state
    /// that may cancel); e^-x overflowing to infinity gives exactly 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Sigmoid(TVec x)
    {
        TVec one = TOps.Broadcast(1f);
        return TOps.Divide(one, TOps.Add(one, TOps.ExpPrecise(TOps.Subtract(TOps.Broadcast(0f), x))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec PreActivation(float* product, float* projection, nint j, float clip)
        => TOps.Min(TOps.Max(TOps.Add(TOps.Load(product + j), TOps.Load(projection + j)), TOps.Broadcast(-clip)), TOps.Broadcast(clip));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Clip(TVec x, float clip) => TOps.Min(TOps.Max(x, TOps.Broadcast(-clip)), TOps.Broadcast(clip));

    /// <summary>LSTM, gates [i o f c]: C = f ⊙ C + i ⊙ g, H = o ⊙ tanh(C); H also to <paramref name="y"/> unless null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Lstm(float* products, float* projection, float* c, float* h, float* y, nint n, nint j, float clip)
    {
        TVec i = Sigmoid(PreActivation(products, projection, j, clip));
        TVec o = Sigmoid(PreActivation(products + n, projection + n, j, clip));
        TVec f = Sigmoid(PreActivation(products + 2 * n, projection + 2 * n, j, clip));
        TVec g = Tanh(PreActivation(products + 3 * n, projection + 3 * n, j, clip));
        TVec cell = TOps.MultiplyAdd(f, TOps.Load(c + j), TOps.Multiply(i, g));
        TOps.Store(cell, c + j);
        TVec hidden = TOps.Multiply(o, Tanh(cell));
        TOps.Store(hidden, h + j);
        if (y != null) TOps.Store(hidden, y + j);
    }

    /// <summary>GRU without linear_before_reset, first half: z (kept in the products' z block) and r ⊙ H.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GruUpdateAndReset(float* products, float* projection, float* h, float* resetHidden, nint n, nint j, float clip)
    {
        TOps.Store(Sigmoid(PreActivation(products, projection, j, clip)), products + j);
        TVec r = Sigmoid(PreActivation(products + n, projection + n, j, clip));
        TOps.Store(TOps.Multiply(r, TOps.Load(h + j)), resetHidden + j);
    }

    /// <summary>
    /// GRU, the state update H = ĥ + z ⊙ (H - ĥ). With linear_before_reset the whole cell is here: ĥ = tanh(x·Wh +
    /// r ⊙ (H·Rh + Rbh)); without it z is the first half's and the h block holds (r ⊙ H)·Rh.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GruFinish(float* products, float* projection, float* h, float* y, nint n, nint j, float clip, bool linearBeforeReset)
    {
        TVec z, candidate;
        if (linearBeforeReset)
        {
            z = Sigmoid(PreActivation(products, projection, j, clip));
            TVec r = Sigmoid(PreActivation(products + n, projection + n, j, clip));
            candidate = Tanh(Clip(TOps.MultiplyAdd(r, TOps.Load(products + 2 * n + j), TOps.Load(projection + 2 * n + j)), clip));
        }
        else
        {
            z = TOps.Load(products + j);
            candidate = Tanh(PreActivation(products + 2 * n, projection + 2 * n, j, clip));
        }
        TVec hidden = TOps.MultiplyAdd(z, TOps.Subtract(TOps.Load(h + j), candidate), candidate);
        TOps.Store(hidden, h + j);
        if (y != null) TOps.Store(hidden, y + j);
    }

    /// <summary>RNN: H = tanh(product + projection).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rnn(float* products, float* projection, float* h, float* y, nint j, float clip)
    {
        TVec hidden = Tanh(PreActivation(products, projection, j, clip));
        TOps.Store(hidden, h + j);
        if (y != null) TOps.Store(hidden, y + j);
    }
}
