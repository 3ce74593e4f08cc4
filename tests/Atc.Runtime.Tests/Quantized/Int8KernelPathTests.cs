using Atc.Runtime;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.MicroKernels.Int8;
using Atc.Runtime.Operators.Quantized;

namespace Atc.Tests.Quantized;

/// <summary>
/// The int8 GEMM pieces on every instruction path against naive integer references: packing (odd K, padded rows),
/// the 6x16 tile, the column sums and the requantising store (zero points 0/128/255, per-channel multipliers, a
/// clamp from a folded Relu). A path the CPU lacks is skipped, so the test states which ones ran.
/// </summary>
public unsafe class Int8KernelPathTests
{
    // Paths by name: the enum is internal and xUnit's theory parameters must be public.
    public static TheoryData<string> Paths() => [nameof(Int8Path.Portable), nameof(Int8Path.Avx2), nameof(Int8Path.AvxVnni)];

    private static (byte[] A, sbyte[] B) Operands(int rows, int k, int columns, int seed)
    {
        var random = new Random(seed);
        var a = new byte[rows * k];
        var b = new byte[k * columns];
        random.NextBytes(a);
        random.NextBytes(b);
        return (a, (sbyte[])(Array)b);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Tile_and_column_sums_equal_the_integer_reference(string pathName)
    {
        var path = Enum.Parse<Int8Path>(pathName);
        if (!Int8Paths.IsSupported(path)) return;
        foreach (int k in new[] { 1, 3, 4, 7, 64, 147, 577 })
        {
            const int rows = 5, columns = 13; // fewer than a tile: padding must contribute nothing
            var (aRaw, bRaw) = Operands(rows, k, columns, k);
            // A as int8 weights (packing shifts them to unsigned), B as a [K, P] uint8 row matrix (flipped to signed).
            var weights = Array.ConvertAll(aRaw, v => (sbyte)v);
            var activations = (byte[])(Array)bRaw;
            var packedA = new byte[Int8WeightPanels.PackedBytes(rows, k)];
            var rowSums = new int[rows];
            var panel = new sbyte[Int8ActivationPanels.PanelBytes(k)];
            var tile = new int[Int8Tile.Rows * Int8Tile.Columns];
            var sums = new int[Int8Tile.Columns];
            fixed (sbyte* w = weights)
            fixed (byte* pa = packedA, x = activations)
            fixed (int* rs = rowSums, t = tile, s = sums)
            fixed (sbyte* pb = panel)
            {
                Int8WeightPanels.Pack(new ByteInt8Source((byte*)w, signed: true), 0, true, rows, k, pa, rs);
                Int8ActivationPanels.Pack(path, x, columns, k, 0, columns, 0x80, pb);
                Int8Tile.Multiply(path, pa, pb, Int8WeightPanels.PaddedDepth(k) / 4, t);
                Int8Tile.ColumnSums(path, pb, Int8WeightPanels.PaddedDepth(k) / 4, s);
            }
            for (int r = 0; r < rows; r++)
            {
                Assert.Equal(Enumerable.Range(0, k).Sum(kk => weights[r * k + kk] + 128), rowSums[r]);
                for (int c = 0; c < columns; c++)
                {
                    int expected = Enumerable.Range(0, k).Sum(kk => (weights[r * k + kk] + 128) * (activations[kk * columns + c] - 128));
                    Assert.True(expected == tile[r * Int8Tile.Columns + c], $"{path} k={k} [{r},{c}]: {tile[r * Int8Tile.Columns + c]} != {expected}");
                }
            }
            for (int c = 0; c < columns; c++) Assert.Equal(Enumerable.Range(0, k).Sum(kk => activations[kk * columns + c] - 128), sums[c]);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Full_width_panels_pack_as_the_scalar_code_does(string pathName)
    {
        var path = Enum.Parse<Int8Path>(pathName);
        if (!Int8Paths.IsSupported(path)) return;
        foreach (int k in new[] { 1, 2, 3, 5, 36 })
        {
            const int pixels = 40;
            var (_, source) = Operands(1, k, pixels, 100 + k);
            var vector = new sbyte[Int8ActivationPanels.PanelBytes(k)];
            var scalar = new sbyte[Int8ActivationPanels.PanelBytes(k)];
            fixed (sbyte* s = source, v = vector, r = scalar)
                foreach (byte flip in new byte[] { 0, 0x80 })
                {
                    Int8ActivationPanels.Pack(path, (byte*)s, pixels, k, 16, 16, flip, v);
                    Int8ActivationPanels.Pack(Int8Path.Portable, (byte*)s, pixels, k, 16, 16, flip, r);
                    Assert.Equal(scalar, vector);
                }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Requantising_store_equals_onnx_formula(string pathName)
    {
        var path = Enum.Parse<Int8Path>(pathName);
        if (!Int8Paths.IsSupported(path)) return;
        var random = new Random(7);
        const int rows = 6, columns = 16;
        var tile = Enumerable.Range(0, rows * columns).Select(_ => random.Next(-3_000_000, 3_000_000)).ToArray();
        // Extremes too: sums that saturate either way and a value exactly halfway between two integers.
        tile[0] = int.MaxValue / 2; tile[1] = int.MinValue / 2; tile[2] = 5;
        var columnSums = Enumerable.Range(0, columns).Select(_ => random.Next(-2000, 2000)).ToArray();
        var offsets = Enumerable.Range(0, rows).Select(_ => random.Next(-100_000, 100_000)).ToArray();
        var zeroPoints = new[] { 0, 128, 255, 1, 127, 0 };
        var multipliers = Enumerable.Range(0, rows).Select(o => 0.0001f * (1 + o)).ToArray();
        multipliers[0] = 0.1f;
        multipliers[5] = 0.5f; // odd sums land exactly halfway: round half to even
        foreach (var (yZero, signed, min, max) in new[] { (0, false, 0, 255), (128, false, 0, 255), (255, false, 0, 255), (-3, true, -128, 127), (128, false, 128, 255) })
        {
            var output = new byte[rows * columns];
            fixed (int* t = tile, cs = columnSums, off = offsets, zp = zeroPoints)
            fixed (float* m = multipliers)
            fixed (byte* o = output)
                Int8Requantization.Store(path, t, rows, columns, 0, cs, new Int8RowTerms(off, zp, m),
                    new Int8OutputRange(yZero, min, max, signed, VectorSafe: true), (nint)o, columns);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++)
                {
                    int sum = unchecked(tile[r * columns + c] - zeroPoints[r] * columnSums[c] + offsets[r]);
                    int expected = QuantizedParameters.RoundAndSaturate(sum * multipliers[r], yZero, min, max);
                    int actual = signed ? (sbyte)output[r * columns + c] : output[r * columns + c];
                    Assert.True(expected == actual, $"{path} y_zp {yZero} [{r},{c}]: {actual} != {expected}");
                }
        }
    }

    [Fact]
    public void Paths_follow_the_kernel_isa()
    {
        try
        {
            KernelIsa.Override = Isa.Portable;
            Assert.Equal(Int8Path.Portable, Int8Paths.Current);
            KernelIsa.Override = null;
            if (System.Runtime.Intrinsics.X86.AvxVnni.IsSupported) Assert.Equal(Int8Path.AvxVnni, Int8Paths.Current);
        }
        finally
        {
            KernelIsa.Override = null;
        }
    }
}
