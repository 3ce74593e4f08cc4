using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>
/// Per-tensor QuantizeLinear and DequantizeLinear eight values at a time with AVX2, bit-exact with the scalar
/// formulas: x = float(q - zp) · scale, and q = saturate(round_half_even(x / scale) + zp) with NaN to the zero point
/// (the division, not a reciprocal, as ONNX specifies). The caller handles the last count % 8 elements.
/// </summary>
internal static unsafe class Int8Conversions
{
    public const int Lanes = 8;
    private const float Limit = 1 << 30;

    public static bool Available => Avx2.IsSupported && KernelIsa.Current != Isa.Portable;

    /// <summary>Dequantizes the first count - count % 8 elements; returns how many it did.</summary>
    public static long Dequantize(byte* x, bool signed, int zeroPoint, float scale, float* y, long count)
    {
        long vectorEnd = count - count % Lanes;
        var zp = Vector256.Create(zeroPoint);
        var s = Vector256.Create(scale);
        for (long i = 0; i < vectorEnd; i += Lanes)
        {
            var q = signed ? Avx2.ConvertToVector256Int32((sbyte*)x + i) : Avx2.ConvertToVector256Int32(x + i);
            (Avx.ConvertToVector256Single(q - zp) * s).Store(y + i);
        }
        return vectorEnd;
    }

    /// <summary>Quantizes the first count - count % 8 elements; returns how many it did.</summary>
    public static long Quantize(float* x, float scale, int zeroPoint, int min, int max, bool signed, byte* y, long count)
    {
        long vectorEnd = count - count % Lanes;
        var s = Vector256.Create(scale);
        var zp = Vector256.Create(zeroPoint);
        var lo = Vector256.Create(min);
        var hi = Vector256.Create(max);
        for (long i = 0; i < vectorEnd; i += Lanes)
        {
            var v = Vector256.Load(x + i) / s;
            v = Vector256.ConditionalSelect(Vector256.Equals(v, v), v, Vector256<float>.Zero); // NaN → the zero point
            v = Avx.Min(Avx.Max(v, Vector256.Create(-Limit)), Vector256.Create(Limit));
            var q = Avx2.Min(Avx2.Max(Avx.ConvertToVector256Int32WithTruncation(Avx.RoundToNearestInteger(v)) + zp, lo), hi);
            var words = Sse2.PackSignedSaturate(q.GetLower(), q.GetUpper());
            var bytes = signed ? Sse2.PackSignedSaturate(words, words).AsByte() : Sse2.PackUnsignedSaturate(words, words);
            *(long*)(y + i) = bytes.AsInt64().ToScalar();
        }
        return vectorEnd;
    }
}
