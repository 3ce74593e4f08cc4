using System.Runtime.InteropServices;
using Atc.Runtime.Format;

namespace Atc.Tests.Format;

/// <summary>16-bit weight storage: bfloat16/float16 rounding, lossless narrowing (refused when a value is not exact),
/// and widening back to the same float32 bits in 64-byte aligned memory.</summary>
public class WeightNarrowingTests
{
    [Theory]
    [InlineData(1.0f, 1.0f)]
    [InlineData(1.00390625f, 1.0f)]             // exactly half an ulp above 1 (even mantissa): rounds down
    [InlineData(1.01171875f, 1.015625f)]        // exactly half an ulp above 1.0078125 (odd mantissa): rounds up to even
    [InlineData(1.0039064f, 1.0078125f)]        // just over half an ulp: rounds up
    [InlineData(-3.14159265f, -3.140625f)]
    [InlineData(float.PositiveInfinity, float.PositiveInfinity)]
    public void Bfloat16_rounds_to_nearest_even(float value, float expected)
        => Assert.Equal(expected, WeightNarrowing.RoundToBFloat16(value));

    [Fact]
    public void Float16_rounding_saturates_instead_of_overflowing()
    {
        Assert.Equal(65504f, WeightNarrowing.RoundToFloat16(1e6f));
        Assert.Equal(-65504f, WeightNarrowing.RoundToFloat16(-1e6f));
        Assert.Equal((float)(Half)0.1f, WeightNarrowing.RoundToFloat16(0.1f));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rounded_values_narrow_and_widen_to_the_same_bits(bool bfloat16)
    {
        var storage = bfloat16 ? WeightStorageType.BFloat16 : WeightStorageType.Float16;
        var random = new Random(3);
        var values = new float[1000];
        for (int i = 0; i < values.Length; i++)
        {
            float v = (float)(random.NextDouble() * 4 - 2);
            values[i] = storage == WeightStorageType.BFloat16 ? WeightNarrowing.RoundToBFloat16(v) : WeightNarrowing.RoundToFloat16(v);
        }
        values[0] = -0f;
        var narrow = WeightNarrowing.TryNarrow(MemoryMarshal.AsBytes(values.AsSpan()), storage);
        Assert.NotNull(narrow);
        Assert.Equal(values.Length * 2, narrow.Length);

        var wide = WeightNarrowing.Widen(narrow, storage);
        Assert.Equal(values.Length * 4, wide.Length);
        Assert.Equal(MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), wide.ToArray());
        unsafe
        {
            fixed (byte* p = wide.Span) Assert.Equal(0, (long)p % 64);
        }
    }

    [Fact]
    public void A_value_that_is_not_exact_keeps_the_tensor_float32()
    {
        float[] values = [1f, 0.1f];
        Assert.Null(WeightNarrowing.TryNarrow(MemoryMarshal.AsBytes(values.AsSpan()), WeightStorageType.BFloat16));
        Assert.Null(WeightNarrowing.TryNarrow(MemoryMarshal.AsBytes(values.AsSpan()), WeightStorageType.Float16));
        Assert.Null(WeightNarrowing.TryNarrow(MemoryMarshal.AsBytes(values.AsSpan()), WeightStorageType.Float32));
    }
}
