using Atc.Runtime.MicroKernels;
using Xunit;

namespace Atc.Runtime.Tests.NeuralNet;

/// <summary>
/// The GEMM epilogue on every kernel path (AVX-512 with masked last columns, AVX2/FMA, portable Vector128, the
/// scalar last columns and the K = 0 edge), forced through the driver's ISA argument: every combination of row
/// bias, column bias, residual, clamp and a pre-filled C, on seeded random shapes. The epilogue must be exactly
/// (bit for bit) the scalar steps in their order applied to the same kernel's product without an epilogue; the
/// product itself is checked against a double-precision reference within 1e-4 * (1 + sqrt(K)).
/// </summary>
public sealed unsafe class GemmEpilogueTests
{
    private const float ClampMin = -0.3f, ClampMax = 0.4f;

    [Flags]
    public enum Parts { None = 0, RowBias = 1, ColumnBias = 2, Residual = 4, Clamp = 8, Prefill = 16, All = 31 }

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int> { { 1, 1, 1 }, { 3, 5, 0 }, { 13, 33, 1030 } };
        var random = new Random(1105);
        for (int i = 0; i < 5; i++) data.Add(random.Next(1, 30), random.Next(1, 80), random.Next(1, 300));
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryPathAppliesEveryEpilogueCombinationExactly(int m, int n, int k)
    {
        var random = new Random(m * 10007 + n * 101 + k);
        var data = new Inputs(
            Values(random, m * k), Values(random, k * n), Values(random, m * n), Values(random, m), Values(random, n),
            Values(random, m * n));
        foreach (var isa in Isas())
        {
            int rowTile = GemmLayout.RowTile(isa);
            foreach (var parts in Enumerable.Range(0, (int)Parts.All + 1).Select(p => (Parts)p))
            {
                float[] product = Run(isa, m, n, k, data, parts & Parts.Prefill, 0, 0);
                if (parts == Parts.Prefill || parts == Parts.None) AssertNearReference(isa, m, n, k, data, parts, product);
                float[] expected = ScalarEpilogue(m, n, data, parts, product);
                foreach (var (tileM, tileN) in new[] { (0, 0), (rowTile, 32) })
                {
                    float[] actual = Run(isa, m, n, k, data, parts, tileM, tileN);
                    for (int i = 0; i < actual.Length; i++)
                        Assert.True(BitConverter.SingleToInt32Bits(actual[i]) == BitConverter.SingleToInt32Bits(expected[i]),
                            $"{isa} {parts} tile {tileM}x{tileN} [{i / n},{i % n}]: {actual[i]:R} vs {expected[i]:R}");
                }
            }
        }
    }

    private sealed record Inputs(float[] A, float[] B, float[] Prefill, float[] RowBias, float[] ColumnBias, float[] Residual);

    private static IEnumerable<Isa> Isas()
    {
        for (var isa = Isa.Portable; isa <= KernelIsa.Best; isa++) yield return isa;
    }

    private static float[] Values(Random random, int count)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(random.NextDouble() - 0.5);
        return v;
    }

    /// <summary>The epilogue's steps in scalar float arithmetic, in the documented order.</summary>
    private static float[] ScalarEpilogue(int m, int n, Inputs data, Parts parts, float[] product)
    {
        var result = new float[m * n];
        for (int r = 0; r < m; r++)
            for (int c = 0; c < n; c++)
            {
                float v = product[r * n + c];
                if (parts.HasFlag(Parts.RowBias)) v += data.RowBias[r];
                if (parts.HasFlag(Parts.ColumnBias)) v += data.ColumnBias[c];
                if (parts.HasFlag(Parts.Residual)) v += data.Residual[r * n + c];
                if (parts.HasFlag(Parts.Clamp)) v = MathF.Min(MathF.Max(v, ClampMin), ClampMax);
                result[r * n + c] = v;
            }
        return result;
    }

    private static void AssertNearReference(Isa isa, int m, int n, int k, Inputs data, Parts parts, float[] product)
    {
        for (int r = 0; r < m; r++)
            for (int c = 0; c < n; c++)
            {
                double sum = parts.HasFlag(Parts.Prefill) ? data.Prefill[r * n + c] : 0;
                for (int q = 0; q < k; q++) sum += (double)data.A[r * k + q] * data.B[q * n + c];
                float actual = product[r * n + c];
                Assert.True(Math.Abs(actual - sum) <= 1e-4 * (1 + Math.Sqrt(k)), $"{isa} {parts} [{r},{c}]: {actual} vs {sum}");
            }
    }

    /// <summary>Runs the driver over tiles of tileM x tileN (0: the whole matrix in one tile) with the given parts.</summary>
    private static float[] Run(Isa isa, int m, int n, int k, Inputs data, Parts parts, int tileM, int tileN)
    {
        int[] kStarts = GemmLayout.UniformKBlocks(k);
        var c = parts.HasFlag(Parts.Prefill) ? (float[])data.Prefill.Clone() : new float[m * n];
        fixed (float* pa = data.A, pb = data.B, pc = c, prb = data.RowBias, pcb = data.ColumnBias, pr = data.Residual)
        {
            var packed = PanelPacking.PackAll(new RowMajorPanels(pb, n, n, 1f), kStarts, n);
            var epilogue = parts.HasFlag(Parts.Clamp) ? GemmEpilogue.Create(new Activation(ClampMin, ClampMax)) : GemmEpilogue.None;
            if (parts.HasFlag(Parts.RowBias)) epilogue.RowBias = prb;
            if (parts.HasFlag(Parts.ColumnBias)) epilogue.ColumnBias = pcb;
            if (parts.HasFlag(Parts.Residual))
            {
                epilogue.Residual = pr;
                epilogue.ResidualStride = n;
            }
            tileM = tileM == 0 ? m : tileM;
            tileN = tileN == 0 ? n : tileN;
            for (int m0 = 0; m0 < m; m0 += tileM)
                for (int n0 = 0; n0 < n; n0 += tileN)
                {
                    var spec = new GemmTileSpec
                    {
                        M0 = m0, M1 = Math.Min(m, m0 + tileM), N0 = n0, N1 = Math.Min(n, n0 + tileN),
                        C = pc, Ldc = n, Epilogue = epilogue, AccumulateFirst = parts.HasFlag(Parts.Prefill),
                    };
                    GemmDriver.ComputeTile(isa, new DenseRows(pa, k), new PrePackedPanels(packed.Pointer, GemmLayout.PadColumns(n)), kStarts, null, spec);
                }
            GC.KeepAlive(packed);
        }
        return c;
    }
}
