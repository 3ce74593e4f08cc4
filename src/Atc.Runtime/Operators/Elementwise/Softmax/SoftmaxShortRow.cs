using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.Elementwise.Softmax;

/// <summary>
/// Softmax of a row of at most <see cref="MaxLength"/> values (a classifier's output) in registers: the row is
/// copied into 16 lanes padded with -inf (exp gives 0 there, so the sum is unchanged), then max, exp, sum and
/// scale are one vector step each, where the general path makes five library calls on a 10-value span.
/// </summary>
[SkipLocalsInit]
internal static unsafe class SoftmaxShortRow
{
    public const int MaxLength = 16;

    /// <summary>Whether <paramref name="isa"/> has the short path (AVX-512: one vector; AVX2: two).</summary>
    public static bool Supports(Isa isa, int length) => isa != Isa.Portable && length is > 0 and <= MaxLength;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Isa isa, float* x, float* y, int length)
    {
        float* row = stackalloc float[MaxLength];
        int i = 0;
        for (; i < length; i++) row[i] = x[i];
        for (; i < MaxLength; i++) row[i] = float.NegativeInfinity;

        // The row maximum by halving (vmaxps: a NaN may not win here, but it still makes its exp and so the sum NaN).
        var lo = Vector256.Load(row);
        var hi = Vector256.Load(row + 8);
        var m = Vector256.MaxNative(lo, hi);
        var q = Vector128.MaxNative(m.GetLower(), m.GetUpper());
        q = Vector128.MaxNative(q, Vector128.Shuffle(q, Vector128.Create(2, 3, 0, 1)));
        q = Vector128.MaxNative(q, Vector128.Shuffle(q, Vector128.Create(1, 0, 3, 2)));
        float max = q.ToScalar();

        if (isa == Isa.Avx512)
        {
            var e = Exp(Vector512.Create(lo, hi) - Vector512.Create(max));
            (e * Vector512.Create(1f / Vector512.Sum(e))).Store(row);
        }
        else
        {
            var shift = Vector256.Create(max);
            lo = Exp(lo - shift);
            hi = Exp(hi - shift);
            var scale = Vector256.Create(1f / Vector256.Sum(lo + hi));
            (lo * scale).Store(row);
            (hi * scale).Store(row + 8);
        }
        for (i = 0; i < length; i++) y[i] = row[i];
    }

    // exp(x) for x <= 0 in single precision (the library's vector Exp computes in double and is not inlined):
    // x = n ln2 + r with |r| <= ln2/2 (ln2 split in two for an exact reduction), exp(r) = 1 + r + r^2 p(r) with the
    // classic degree-5 minimax p (about 1 ulp), times 2^n built in the exponent bits. Below -87.3 (including the
    // -inf padding) the result is 0; a NaN stays NaN.
    private const float Log2E = 1.44269504f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f, Underflow = -87.3f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f,
        P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp(Vector512<float> x)
    {
        var clamped = Vector512.Max(x, Vector512.Create(Underflow));
        var n = Vector512.Round(clamped * Vector512.Create(Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(P0), r, Vector512.Create(P1));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P5));
        p = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512<float>.One;
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Underflow)), Vector512<float>.Zero, p * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> x)
    {
        var clamped = Vector256.Max(x, Vector256.Create(Underflow));
        var n = Vector256.Round(clamped * Vector256.Create(Log2E));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(P0), r, Vector256.Create(P1));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P5));
        p = Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256<float>.One;
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Underflow)), Vector256<float>.Zero, p * scale);
    }
}
