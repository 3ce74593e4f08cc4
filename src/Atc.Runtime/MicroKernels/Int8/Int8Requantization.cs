using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Atc.Runtime.Operators.Quantized;

namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>
/// Per output row (channel) of a quantised GEMM: the int32 added to every sum (bias and the zero-point terms that
/// depend on the row only), the zero point of the unsigned operand (times each column sum), and, when the output is
/// requantised, the float multiplier. Lives in the kernel's scratch, filled once per run.
/// </summary>
internal readonly unsafe struct Int8RowTerms(int* offset, int* zeroPoint, float* multiplier)
{
    public int* Offset { get; } = offset;
    public int* ZeroPoint { get; } = zeroPoint;
    /// <summary>Null for an int32 output (ConvInteger).</summary>
    public float* Multiplier { get; } = multiplier;
}

/// <summary>The output side of a requantised tile: zero point, clamp (the type's range, narrowed by a fused
/// Relu/Clip), whether the multipliers are all finite (else the scalar path reproduces NaN/inf handling).</summary>
internal readonly record struct Int8OutputRange(int ZeroPoint, int Min, int Max, bool Signed, bool VectorSafe);

/// <summary>
/// The GEMM epilogue fused into the tile store: sum - zp_a[row] · colsum[col] + offset[row], then for 8-bit outputs
/// ONNX's requantisation y = saturate(round_half_even(float(sum) · multiplier[row]) + y_zp), clamped to the range.
/// The vector path is bit-exact with the scalar one: int→float and the multiply round the same way, the round is to
/// nearest even, and the float is clamped to ±2^30 first so that the conversion cannot overflow (both saturate).
/// </summary>
internal static unsafe class Int8Requantization
{
    private const float Limit = 1 << 30;

    /// <summary>Stores rows [0, height) x columns [0, width) of <paramref name="tile"/> (row r is output row
    /// <paramref name="row0"/> + r, at <paramref name="output"/> + (row0 + r) · ldo elements).</summary>
    public static void Store(Int8Path path, int* tile, int height, int width, int row0, int* columnSums, Int8RowTerms terms,
        Int8OutputRange range, nint output, long ldo)
    {
        bool vector = path != Int8Path.Portable && width == Int8Tile.Columns && (terms.Multiplier == null || range.VectorSafe);
        for (int r = 0; r < height; r++)
        {
            int row = row0 + r;
            int* sums = tile + r * Int8Tile.Columns;
            int offset = terms.Offset[row], zeroPoint = terms.ZeroPoint[row];
            if (vector)
            {
                var v0 = Vector256.Load(sums) - Vector256.Create(zeroPoint) * Vector256.Load(columnSums) + Vector256.Create(offset);
                var v1 = Vector256.Load(sums + 8) - Vector256.Create(zeroPoint) * Vector256.Load(columnSums + 8) + Vector256.Create(offset);
                if (terms.Multiplier == null)
                {
                    v0.Store((int*)output + row * ldo);
                    v1.Store((int*)output + row * ldo + 8);
                    continue;
                }
                var m = Vector256.Create(terms.Multiplier[row]);
                var q0 = Requantize(v0, m, range);
                var q1 = Requantize(v1, m, range);
                // Values are already inside the 8-bit range, so the saturating packs only narrow.
                var low = Sse2.PackSignedSaturate(q0.GetLower(), q0.GetUpper());
                var high = Sse2.PackSignedSaturate(q1.GetLower(), q1.GetUpper());
                var bytes = range.Signed ? Sse2.PackSignedSaturate(low, high).AsByte() : Sse2.PackUnsignedSaturate(low, high);
                bytes.Store((byte*)output + row * ldo);
                continue;
            }
            for (int c = 0; c < width; c++)
            {
                int sum = unchecked(sums[c] - zeroPoint * columnSums[c] + offset);
                if (terms.Multiplier == null) { ((int*)output)[row * ldo + c] = sum; continue; }
                int q = QuantizedParameters.RoundAndSaturate(sum * terms.Multiplier[row], range.ZeroPoint, range.Min, range.Max);
                if (range.Signed) ((sbyte*)output)[row * ldo + c] = (sbyte)q;
                else ((byte*)output)[row * ldo + c] = (byte)q;
            }
        }
    }

    private static Vector256<int> Requantize(Vector256<int> sums, Vector256<float> multiplier, Int8OutputRange range)
    {
        var scaled = Avx.ConvertToVector256Single(sums) * multiplier;
        scaled = Avx.Min(Avx.Max(scaled, Vector256.Create(-Limit)), Vector256.Create(Limit));
        var rounded = Avx.ConvertToVector256Int32WithTruncation(Avx.RoundToNearestInteger(scaled)) + Vector256.Create(range.ZeroPoint);
        return Avx2.Min(Avx2.Max(rounded, Vector256.Create(range.Min)), Vector256.Create(range.Max));
    }
}
