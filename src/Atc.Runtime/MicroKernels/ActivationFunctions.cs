using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>x · sigmoid(x).</summary>
internal struct SiluFunction : IActivationFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec x) where TOps : struct, IActivationVector<TVec> where TVec : struct
        => ActivationMath<TOps, TVec>.TimesSigmoid(x, x);
}

/// <summary>x · (1 + tanh(u)) / 2 with u = √(2/π) (x + 0.044715 x³), computed as x · sigmoid(2u) (the same value,
/// without 1 + tanh cancelling for negative x).</summary>
internal struct GeluTanhFunction : IActivationFunction
{
    private const float TwoSqrtTwoOverPi = 1.59576912160573072f;
    private const float Cubic = 0.044715f * TwoSqrtTwoOverPi;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec x) where TOps : struct, IActivationVector<TVec> where TVec : struct
    {
        var twoU = TOps.Multiply(x, TOps.MultiplyAdd(TOps.Multiply(x, x), TOps.Broadcast(Cubic), TOps.Broadcast(TwoSqrtTwoOverPi)));
        return ActivationMath<TOps, TVec>.TimesSigmoid(x, twoU);
    }
}

/// <summary>x · Φ(x), Φ(x) = (1 + erf(x/√2)) / 2 through erfc of |x|/√2 (Abramowitz-Stegun 7.1.26), so negative x
/// takes the small tail directly instead of 1 + erf cancelling.</summary>
internal struct GeluFunction : IActivationFunction
{
    private const float InverseSqrt2 = 0.70710678118654752f;
    private const float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec x) where TOps : struct, IActivationVector<TVec> where TVec : struct
    {
        var z = TOps.Multiply(TOps.Abs(x), TOps.Broadcast(InverseSqrt2));
        var one = TOps.Broadcast(1f);
        var t = TOps.Divide(one, TOps.MultiplyAdd(z, TOps.Broadcast(P), one));
        var q = TOps.MultiplyAdd(TOps.Broadcast(A5), t, TOps.Broadcast(A4));
        q = TOps.MultiplyAdd(q, t, TOps.Broadcast(A3));
        q = TOps.MultiplyAdd(q, t, TOps.Broadcast(A2));
        q = TOps.MultiplyAdd(q, t, TOps.Broadcast(A1));
        q = TOps.Multiply(q, t);
        // Half the complementary error function of |x|/√2: Φ(-|x|).
        var tail = TOps.Multiply(TOps.Multiply(q, TOps.Broadcast(0.5f)), ActivationMath<TOps, TVec>.Exp(TOps.Subtract(TOps.Broadcast(0f), TOps.Multiply(z, z))));
        var phi = TOps.SelectWhereNegative(x, tail, TOps.Subtract(one, tail));
        return TOps.Multiply(x, phi);
    }
}

/// <summary>x · clamp(x / 6 + 1/2, 0, 1).</summary>
internal struct HardSwishFunction : IActivationFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec x) where TOps : struct, IActivationVector<TVec> where TVec : struct
    {
        var gate = TOps.MultiplyAdd(x, TOps.Broadcast(1f / 6f), TOps.Broadcast(0.5f));
        return TOps.Multiply(x, TOps.Min(TOps.Max(gate, TOps.Broadcast(0f)), TOps.Broadcast(1f)));
    }
}

/// <summary>x · tanh(softplus(x)) as x · n / (n + 2) with n = e^x (e^x + 2): the same value, one exp, no log and no
/// cancellation; e^x is taken at min(x, 20), beyond which n / (n + 2) is 1 in float.</summary>
internal struct MishFunction : IActivationFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TOps, TVec>(TVec x) where TOps : struct, IActivationVector<TVec> where TVec : struct
    {
        var e = ActivationMath<TOps, TVec>.Exp(TOps.Min(x, TOps.Broadcast(20f)));
        var n = TOps.Multiply(e, TOps.Add(e, TOps.Broadcast(2f)));
        return TOps.Divide(TOps.Multiply(x, n), TOps.Add(n, TOps.Broadcast(2f)));
    }
}
