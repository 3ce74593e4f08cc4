using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// An activation as one fused vector function: every step stays in registers, so a block is read and written once
/// (TensorPrimitives would make one pass per step, and its exp works in double).
/// </summary>
internal interface IActivationFunction
{
    static abstract TVec Apply<TOps, TVec>(TVec x) where TOps : struct, IActivationVector<TVec> where TVec : struct;
}

/// <summary>
/// The float math of the mapped activations for one vector width, and the loop that maps a run of floats in place
/// or not (y may alias x). Accuracy: exp has a relative error below 3e-7 on [-87, 88] (range reduction by ln 2
/// in two parts, degree-7 Taylor polynomial on |r| &lt;= ln2/2, whose remainder is below 6e-9), so sigmoid-based
/// activations are within about 5e-7 relative; erf uses Abramowitz-Stegun 7.1.26 (absolute error below 1.5e-7).
/// </summary>
internal static unsafe class ActivationMath<TOps, TVec> where TOps : struct, IActivationVector<TVec> where TVec : struct
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;          // ln 2 with its low bits zero, so n * Ln2High is exact
    private const float Ln2Low = -2.12194440e-4f;        // ln 2 - Ln2High
    private const float ExpMin = -87.33f, ExpMax = 88.3f; // e^x stays a normal float: 2^n with n in [-126, 127]

    /// <summary>e^x; arguments outside [-87.33, 88.3] are clamped to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Exp(TVec x)
    {
        x = TOps.Min(TOps.Max(x, TOps.Broadcast(ExpMin)), TOps.Broadcast(ExpMax));
        var n = TOps.Round(TOps.Multiply(x, TOps.Broadcast(Log2E)));
        var r = TOps.MultiplyAdd(n, TOps.Broadcast(-Ln2High), x);
        r = TOps.MultiplyAdd(n, TOps.Broadcast(-Ln2Low), r);
        var p = TOps.Broadcast(1f / 5040f);
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1f / 720f));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1f / 120f));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1f / 24f));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1f / 6f));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(0.5f));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1f));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1f));
        return TOps.Multiply(p, TOps.Pow2(n));
    }

    /// <summary>x / (1 + e^-(scale · x)): x · sigmoid(scale · x) with no cancellation for negative x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec TimesSigmoid(TVec x, TVec scaledX)
        => TOps.Divide(x, TOps.Add(TOps.Broadcast(1f), Exp(TOps.Subtract(TOps.Broadcast(0f), scaledX))));

    /// <summary>Maps <paramref name="count"/> floats; the last partial vector goes through a stack copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TFunction>(float* x, float* y, int count) where TFunction : struct, IActivationFunction
    {
        int i = 0;
        for (; i <= count - TOps.Count; i += TOps.Count)
            TOps.Store(TFunction.Apply<TOps, TVec>(TOps.Load(x + i)), y + i);
        int rest = count - i;
        if (rest == 0) return;
        float* tail = stackalloc float[TOps.Count];
        for (int j = 0; j < TOps.Count; j++) tail[j] = j < rest ? x[i + j] : 0f;
        TOps.Store(TFunction.Apply<TOps, TVec>(TOps.Load(tail)), tail);
        for (int j = 0; j < rest; j++) y[i + j] = tail[j];
    }
}
