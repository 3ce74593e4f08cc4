using Atc.Runtime.MicroKernels;
using Xunit;

namespace Atc.Runtime.Tests.NeuralNet;

/// <summary>
/// The SGEMM driver and micro-kernels on their own: every instruction set this CPU has, row counts around the row
/// tile, column counts around the 16/32-wide panels (masked last columns), several K blocks, every epilogue part
/// and a pre-filled C. Checked against a scalar reference, and bit for bit between tilings.
/// </summary>
public sealed unsafe class GemmDriverTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var (m, n, k) in new[]
        {
            (1, 1, 1), (5, 15, 3), (12, 16, 16), (13, 17, 40), (49, 24, 96), (25, 31, 600), (24, 33, 1100),
            (7, 47, 513), (36, 64, 64), (50, 96, 16), (3, 200, 7),
        })
            data.Add(m, n, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void EveryIsaMatchesReferenceWithFullEpilogue(int m, int n, int k)
    {
        var random = new Random(m * 1000 + n * 10 + k);
        float[] a = Values(random, m * k), b = Values(random, k * n), rowBias = Values(random, m), columnBias = Values(random, n);
        float[] residual = Values(random, m * n), prefill = Values(random, m * n);
        var expected = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int q = 0; q < k; q++) sum += (double)a[i * k + q] * b[q * n + j];
                float v = (float)sum + prefill[i * n + j] + rowBias[i] + columnBias[j] + residual[i * n + j];
                expected[i * n + j] = Math.Clamp(v, -1f, 2f);
            }

        foreach (var isa in Isas())
        {
            float[] actual = Run(isa, m, n, k, a, b, prefill, rowBias, columnBias, residual, tileM: 0, tileN: 0);
            for (int i = 0; i < actual.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4f * (1 + Math.Sqrt(k)),
                    $"{isa} [{i / n},{i % n}]: {actual[i]} vs {expected[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void TilingDoesNotChangeAnyBit(int m, int n, int k)
    {
        var random = new Random(k * 7 + n);
        float[] a = Values(random, m * k), b = Values(random, k * n), columnBias = Values(random, n);
        foreach (var isa in Isas())
        {
            float[] whole = Run(isa, m, n, k, a, b, null, null, columnBias, null, tileM: 0, tileN: 0);
            int rowTile = GemmLayout.RowTile(isa);
            foreach (var (tileM, tileN) in new[] { (rowTile, 32), (rowTile * 2, 64), (rowTile * 5, 32) })
                Assert.Equal(whole, Run(isa, m, n, k, a, b, null, null, columnBias, null, tileM, tileN));
        }
    }

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

    /// <summary>Runs the driver over tiles of tileM x tileN (0: the whole matrix in one tile).</summary>
    private static float[] Run(Isa isa, int m, int n, int k, float[] a, float[] b, float[]? prefill, float[]? rowBias,
        float[]? columnBias, float[]? residual, int tileM, int tileN)
    {
        int[] kStarts = GemmLayout.UniformKBlocks(k);
        var c = prefill is null ? new float[m * n] : (float[])prefill.Clone();
        fixed (float* pa = a, pb = b, pc = c, prb = rowBias, pcb = columnBias, pr = residual)
        {
            var packed = PanelPacking.PackAll(new RowMajorPanels(pb, n, n, 1f), kStarts, n);
            var epilogue = rowBias is null ? GemmEpilogue.None : GemmEpilogue.Create(new Activation(-1f, 2f));
            epilogue.RowBias = prb;
            epilogue.ColumnBias = pcb;
            if (residual is not null)
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
                        C = pc, Ldc = n, Epilogue = epilogue, AccumulateFirst = prefill is not null,
                    };
                    GemmDriver.ComputeTile(isa, new DenseRows(pa, k), new PrePackedPanels(packed.Pointer, GemmLayout.PadColumns(n)), kStarts, null, spec);
                }
            GC.KeepAlive(packed);
        }
        return c;
    }
}
