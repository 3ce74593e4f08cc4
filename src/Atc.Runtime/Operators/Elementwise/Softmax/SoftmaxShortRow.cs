using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Atc.Runtime.Kernels;

namespace Atc.Runtime.Operators.Elementwise;

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
            var e = Vector512.Exp(Vector512.Create(lo, hi) - Vector512.Create(max));
            (e * Vector512.Create(1f / Vector512.Sum(e))).Store(row);
        }
        else
        {
            var shift = Vector256.Create(max);
            lo = Vector256.Exp(lo - shift);
            hi = Vector256.Exp(hi - shift);
            var scale = Vector256.Create(1f / Vector256.Sum(lo + hi));
            (lo * scale).Store(row);
            (hi * scale).Store(row + 8);
        }
        for (i = 0; i < length; i++) y[i] = row[i];
    }
}
