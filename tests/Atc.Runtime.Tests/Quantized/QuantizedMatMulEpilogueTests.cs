using Atc.Runtime;
using Atc.Runtime.Operators.Quantized;

namespace Atc.Tests.Quantized;

/// <summary>
/// QLinearMatMul's vectorised requantisation against the formula y = saturate(round_half_even(float(sum + bias[n]) ·
/// multiplier[n]) + y_zp), written out here: per-tensor and per-column multipliers, with and without a bias, uint8
/// and int8, widths that leave a scalar tail, sums at the int32 extremes and exact ties (x.5) that round to even.
/// </summary>
public unsafe class QuantizedMatMulEpilogueTests
{
    [Theory]
    [InlineData(DataType.UInt8, true, true, 37)]
    [InlineData(DataType.UInt8, false, false, 16)]
    [InlineData(DataType.Int8, true, false, 8)]
    [InlineData(DataType.Int8, false, true, 45)]
    public void Vector_and_scalar_paths_equal_the_formula(DataType type, bool perColumn, bool withBias, int n)
    {
        const int rows = 7;
        var random = new Random(n);
        var sums = new int[rows * n];
        for (int i = 0; i < sums.Length; i++)
            sums[i] = (i % 11) switch
            {
                0 => int.MaxValue - random.Next(100),
                1 => int.MinValue + random.Next(100),
                2 => 2 * random.Next(-300, 300) + 1, // with multiplier 0.5: an exact tie
                _ => random.Next(-40000, 40000),
            };
        var multipliers = perColumn ? Enumerable.Range(0, n).Select(j => j % 4 == 0 ? 0.5f : 0.001f + 0.0007f * j).ToArray() : [0.5f];
        var bias = withBias ? Enumerable.Range(0, n).Select(j => (j - n / 2) * 1013).ToArray() : null;
        int yZero = type == DataType.Int8 ? -3 : 121;
        var (min, max) = type == DataType.Int8 ? (-128, 127) : (0, 255);
        var expected = new int[rows * n];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < n; j++)
            {
                int sum = unchecked(sums[i * n + j] + (bias?[j] ?? 0));
                float scaled = sum * multipliers[perColumn ? j : 0];
                double rounded = Math.Round((double)scaled, MidpointRounding.ToEven) + yZero;
                expected[i * n + j] = (int)Math.Clamp(rounded, min, max);
            }
        foreach (bool vector in new[] { false, true })
        {
            var output = new byte[rows * n];
            fixed (int* s = sums, b = bias)
            fixed (byte* o = output)
                QuantizedMatMulEpilogue.Store(s, 0, rows, n, multipliers, bias is null ? null : b, yZero, type, (nint)o, vector);
            var actual = output.Select(v => type == DataType.Int8 ? (int)(sbyte)v : v).ToArray();
            Assert.Equal(expected, actual);
        }
    }
}
