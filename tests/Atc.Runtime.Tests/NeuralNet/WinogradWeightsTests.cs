using Atc.Runtime.MicroKernels;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// The Winograd weight transform (U = G g G^T, packed into GEMM panels) against a plain scalar G g G^T packed by the
/// GEMM's own packer: bitwise equal, on channel counts that are not whole vectors or panels, several K blocks,
/// both tiles, and the same bytes on every instruction set.
/// </summary>
[Collection("NeuralNet")]
public class WinogradWeightsTests
{
    private static readonly double[,] G4 =
    {
        { 1.0 / 4, 0, 0 },
        { -1.0 / 6, -1.0 / 6, -1.0 / 6 },
        { -1.0 / 6, 1.0 / 6, -1.0 / 6 },
        { 1.0 / 24, 1.0 / 12, 1.0 / 6 },
        { 1.0 / 24, -1.0 / 12, 1.0 / 6 },
        { 0, 0, 1 },
    };

    private static readonly double[,] G2 =
    {
        { 1, 0, 0 },
        { 0.5, 0.5, 0.5 },
        { 0.5, -0.5, 0.5 },
        { 0, 0, 1 },
    };

    public static IEnumerable<object[]> Shapes() =>
        from shape in new[] { (1, 1), (1, 17), (17, 33), (33, 17), (33, 600), (600, 33) }
        from variant in new[] { 4, 2 }
        select new object[] { shape.Item1, shape.Item2, variant };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesScalarReferenceOnEveryIsa(int inChannels, int outChannels, int variant)
    {
        var tile = new WinogradTile(variant);
        var weights = Weights(inChannels, outChannels, seed: inChannels * 1000 + outChannels);
        var kStarts = GemmLayout.UniformKBlocks(inChannels);
        var expected = Reference(tile, weights, inChannels, outChannels, kStarts);

        foreach (var isa in new Isa?[] { null, Isa.Avx2, Isa.Portable })
            foreach (bool aligned in new[] { true, false })
            {
                var actual = Transform(tile, weights, inChannels, outChannels, kStarts, isa, aligned);
                Assert.Equal(expected.Length, actual.Length);
                for (int i = 0; i < expected.Length; i++)
                    if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                        Assert.Fail($"C={inChannels} O={outChannels} F({variant}x{variant}) {isa?.ToString() ?? "best"} " +
                            $"{(aligned ? "aligned" : "misaligned")}: packed float {i} is {actual[i]:R}, the reference {expected[i]:R}");
            }
    }

    [Fact]
    public void SpansSeveralKBlocksAndPanels()
    {
        // Guards the cases above: 600 input channels are two K blocks, 600 outputs 19 panels, 33 ends on a 16-wide one.
        Assert.Equal(3, GemmLayout.UniformKBlocks(600).Length);
        Assert.Equal(48, GemmLayout.PadColumns(33));
    }

    private static float[] Weights(int inChannels, int outChannels, int seed)
    {
        var random = new Random(seed);
        var w = new float[outChannels * inChannels * 9];
        for (int i = 0; i < w.Length; i++) w[i] = (float)(random.NextDouble() * 2 - 1);
        return w;
    }

    /// <summary>The transform under test, into a buffer filled with NaN so an unwritten float shows; 64-byte aligned
    /// as kernels allocate it (streaming stores) or one float off (ordinary stores).</summary>
    private static unsafe float[] Transform(WinogradTile tile, float[] weights, int inChannels, int outChannels, int[] kStarts, Isa? isa, bool aligned)
    {
        long length = WinogradWeights.PackedFloats(tile, inChannels, outChannels);
        var buffer = new AlignedBuffer(length + 1);
        buffer.Span.Fill(float.NaN);
        float* dst = buffer.Pointer + (aligned ? 0 : 1);
        KernelIsa.Override = isa;
        try
        {
            fixed (float* w = weights)
                WinogradWeights.TransformAndPack(tile, w, inChannels, outChannels, kStarts, dst);
        }
        finally
        {
            KernelIsa.Override = null;
        }
        var packed = new Span<float>(dst, (int)length).ToArray();
        GC.KeepAlive(buffer);
        return packed;
    }

    /// <summary>G g G^T pair by pair in double (G g first, then times G^T, sums left to right), one row-major
    /// [C, O] matrix per point, packed by the GEMM's packer.</summary>
    private static unsafe float[] Reference(WinogradTile tile, float[] weights, int inChannels, int outChannels, int[] kStarts)
    {
        var G = tile.Output == 4 ? G4 : G2;
        int size = tile.Input;
        var u = new float[tile.Points][];
        for (int e = 0; e < tile.Points; e++) u[e] = new float[inChannels * outChannels];
        var gg = new double[size, 3];
        for (int o = 0; o < outChannels; o++)
            for (int c = 0; c < inChannels; c++)
            {
                int w = (o * inChannels + c) * 9;
                for (int i = 0; i < size; i++)
                    for (int col = 0; col < 3; col++)
                        gg[i, col] = G[i, 0] * weights[w + col] + G[i, 1] * weights[w + 3 + col] + G[i, 2] * weights[w + 6 + col];
                for (int i = 0; i < size; i++)
                    for (int j = 0; j < size; j++)
                        u[i * size + j][c * outChannels + o] = (float)(gg[i, 0] * G[j, 0] + gg[i, 1] * G[j, 1] + gg[i, 2] * G[j, 2]);
            }

        long pointFloats = WinogradWeights.PointFloats(inChannels, outChannels);
        var packed = new float[tile.Points * pointFloats];
        fixed (float* dst = packed)
            for (int e = 0; e < tile.Points; e++)
                fixed (float* src = u[e])
                    PrepackedWeights.PackPanels(new RowMajorPanels(src, outChannels, outChannels, 1f), kStarts, outChannels, dst + e * pointFloats);
        return packed;
    }
}
