using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Atc.Runtime.Operators.Quantized;

namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>
/// Stores an <see cref="Int8PixelTile"/> channels last: per pixel, sum + offset[o] (the bias and every zero-point
/// term, per channel), then for an 8-bit output ONNX's requantisation y = saturate(round_half_even(float(sum) ·
/// multiplier[o]) + y_zp) with the clamp of a fused Relu/Clip, 16 channels per step with per-channel vectors. Bit-exact
/// with the scalar formula for the reasons <see cref="Int8Requantization"/> gives (same roundings, the float clamped to
/// ±2^30 before the conversion).
/// </summary>
internal static unsafe class Int8PixelStore
{
    private const float Limit = 1 << 30;

    /// <summary>Stores pixels [0, pixels) x channels [0, width) of the tile; pixel p goes to
    /// <paramref name="output"/> + p · <paramref name="pixelStride"/> elements. <paramref name="offset"/> and
    /// <paramref name="multiplier"/> point at the tile's first channel (multiplier null for an int32 output).</summary>
    public static void Store(Int8Path path, int* tile, int pixels, int width, int* offset, float* multiplier,
        Int8OutputRange range, nint output, long pixelStride)
    {
        bool vector = path != Int8Path.Portable && width == Int8PixelTile.Channels && (multiplier == null || range.VectorSafe);
        if (vector)
        {
            var o0 = Vector256.Load(offset);
            var o1 = Vector256.Load(offset + 8);
            if (multiplier == null)
            {
                for (int p = 0; p < pixels; p++)
                {
                    int* sums = tile + p * Int8PixelTile.Channels, y = (int*)output + p * pixelStride;
                    (Vector256.Load(sums) + o0).Store(y);
                    (Vector256.Load(sums + 8) + o1).Store(y + 8);
                }
                return;
            }
            var m0 = Vector256.Load(multiplier);
            var m1 = Vector256.Load(multiplier + 8);
            var zero = Vector256.Create(range.ZeroPoint);
            var lo = Vector256.Create(range.Min);
            var hi = Vector256.Create(range.Max);
            for (int p = 0; p < pixels; p++)
            {
                int* sums = tile + p * Int8PixelTile.Channels;
                var q0 = Requantize(Vector256.Load(sums) + o0, m0, zero, lo, hi);
                var q1 = Requantize(Vector256.Load(sums + 8) + o1, m1, zero, lo, hi);
                // Values are inside the 8-bit range already, so the saturating packs only narrow.
                var low = Sse2.PackSignedSaturate(q0.GetLower(), q0.GetUpper());
                var high = Sse2.PackSignedSaturate(q1.GetLower(), q1.GetUpper());
                var bytes = range.Signed ? Sse2.PackSignedSaturate(low, high).AsByte() : Sse2.PackUnsignedSaturate(low, high);
                bytes.Store((byte*)output + p * pixelStride);
            }
            return;
        }
        for (int p = 0; p < pixels; p++)
            for (int c = 0; c < width; c++)
            {
                int sum = unchecked(tile[p * Int8PixelTile.Channels + c] + offset[c]);
                long at = p * pixelStride + c;
                if (multiplier == null) { ((int*)output)[at] = sum; continue; }
                int q = QuantizedParameters.RoundAndSaturate(sum * multiplier[c], range.ZeroPoint, range.Min, range.Max);
                if (range.Signed) ((sbyte*)output)[at] = (sbyte)q;
                else ((byte*)output)[at] = (byte)q;
            }
    }

    private static Vector256<int> Requantize(Vector256<int> sums, Vector256<float> multiplier, Vector256<int> zero,
        Vector256<int> lo, Vector256<int> hi)
    {
        var scaled = Avx.ConvertToVector256Single(sums) * multiplier;
        scaled = Avx.Min(Avx.Max(scaled, Vector256.Create(-Limit)), Vector256.Create(Limit));
        var rounded = Avx.ConvertToVector256Int32WithTruncation(Avx.RoundToNearestInteger(scaled)) + zero;
        return Avx2.Min(Avx2.Max(rounded, lo), hi);
    }
}
