using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// QLinearMatMul's output side for rows of int32 sums (zero points already applied): add the int32 column bias (a
/// fused QDQ Gemm's), then y = saturate(round_half_even(float(sum) · multiplier[column]) + y_zp). Eight columns per
/// step on AVX2; the vector path is bit-exact with the scalar one (int→float and the multiply round the same way,
/// the rounding is to nearest even, the float is clamped to ±2^30 before the conversion so that both saturate).
/// Non-finite multipliers take the scalar path, which reproduces NaN's handling.
/// </summary>
internal static unsafe class QuantizedMatMulEpilogue
{
    private const float Limit = 1 << 30;

    /// <param name="multipliers">One entry (per tensor) or one per column.</param>
    /// <param name="bias">Null, or one int32 per column.</param>
    public static void Store(int* sums, int rowStart, int rowEnd, int n, float[] multipliers, int* bias, int yZero, DataType type,
        nint output, bool vector)
    {
        var (min, max) = QuantizedParameters.Range(type);
        bool signed = type == DataType.Int8;
        bool perColumn = multipliers.Length != 1;
        vector &= Avx2.IsSupported && multipliers.All(float.IsFinite);
        fixed (float* m = multipliers)
            for (int i = rowStart; i < rowEnd; i++)
            {
                int* row = sums + (long)i * n;
                byte* destination = (byte*)output + (long)i * n;
                int j = 0;
                if (vector)
                    for (; j + 8 <= n; j += 8)
                    {
                        var v = Vector256.Load(row + j);
                        if (bias != null) v += Vector256.Load(bias + j);
                        var multiplier = perColumn ? Vector256.Load(m + j) : Vector256.Create(m[0]);
                        var scaled = Avx.ConvertToVector256Single(v) * multiplier;
                        scaled = Avx.Min(Avx.Max(scaled, Vector256.Create(-Limit)), Vector256.Create(Limit));
                        var q = Avx.ConvertToVector256Int32WithTruncation(Avx.RoundToNearestInteger(scaled)) + Vector256.Create(yZero);
                        q = Avx2.Min(Avx2.Max(q, Vector256.Create(min)), Vector256.Create(max));
                        // In range already, so the saturating packs only narrow.
                        var words = Sse2.PackSignedSaturate(q.GetLower(), q.GetUpper());
                        var bytes = signed ? Sse2.PackSignedSaturate(words, words).AsByte() : Sse2.PackUnsignedSaturate(words, words);
                        Sse2.StoreScalar((long*)(destination + j), bytes.AsInt64());
                    }
                for (; j < n; j++)
                {
                    int sum = bias != null ? unchecked(row[j] + bias[j]) : row[j];
                    int q = QuantizedParameters.RoundAndSaturate(sum * m[perColumn ? j : 0], yZero, min, max);
                    destination[j] = unchecked((byte)q);
                }
            }
    }
}
