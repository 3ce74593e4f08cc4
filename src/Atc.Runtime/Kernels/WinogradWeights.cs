namespace Atc.Runtime.Kernels;

/// <summary>
/// Winograd weight transform: U = G g G^T for every (output, input) channel pair, computed once in double from
/// constant weights. The result is one matrix [C_in, C_out] per point of the transformed tile (36 for F(4x4, 3x3),
/// 16 for F(2x2, 3x3)), each packed into GEMM panels so the products run on the ordinary micro-kernels.
/// </summary>
internal static unsafe class WinogradWeights
{
    /// <summary>G of F(4x4, 3x3) (Lavin and Gray), 6 x 3.</summary>
    private static readonly double[,] G4 =
    {
        { 1.0 / 4, 0, 0 },
        { -1.0 / 6, -1.0 / 6, -1.0 / 6 },
        { -1.0 / 6, 1.0 / 6, -1.0 / 6 },
        { 1.0 / 24, 1.0 / 12, 1.0 / 6 },
        { 1.0 / 24, -1.0 / 12, 1.0 / 6 },
        { 0, 0, 1 },
    };

    /// <summary>G of F(2x2, 3x3), 4 x 3.</summary>
    private static readonly double[,] G2 =
    {
        { 1, 0, 0 },
        { 0.5, 0.5, 0.5 },
        { 0.5, -0.5, 0.5 },
        { 0, 0, 1 },
    };

    /// <summary>The prepacked-weights key of what the kernel transforms from: W [O, C, 3, 3] as it is.</summary>
    public static string SourceKey(int inChannels, int outChannels) =>
        PrepackedWeights.Key("conv3x3-weights/v1", ("src", "conv-o.c.3.3"), ("o", outChannels), ("c", inChannels));

    /// <summary>Floats of the whole packed U: one packed [C_in, C_out] matrix per point.</summary>
    public static long PackedFloats(WinogradTile tile, int inChannels, int outChannels) =>
        tile.Points * PointFloats(inChannels, outChannels);

    /// <summary>Transforms W [O, C, 3, 3] for a variant and packs point e's matrix at <c>dst + e * PointFloats(C, O)</c>.</summary>
    public static void TransformAndPack(WinogradTile tile, float* weights, int inChannels, int outChannels, int[] kStarts, float* dst)
    {
        var G = tile.Output == 4 ? G4 : G2;
        int size = tile.Input, points = tile.Points;
        long pointFloats = PointFloats(inChannels, outChannels);
        // Row-major [C, O] per point, then packed point by point.
        var u = new float[points * (long)inChannels * outChannels];
        Span<double> g = stackalloc double[9];
        Span<double> gg = stackalloc double[18]; // G g: size x 3
        // Input channel outer, output channel inner: each point's row for one c is written as a run over o (o outer
        // scattered every write to a new cache line: 0.4 s more for ResNet-50's weights).
        for (int c = 0; c < inChannels; c++)
            for (int o = 0; o < outChannels; o++)
            {
                for (int i = 0; i < 9; i++) g[i] = weights[((long)o * inChannels + c) * 9 + i];
                for (int i = 0; i < size; i++)
                    for (int b = 0; b < 3; b++)
                        gg[i * 3 + b] = G[i, 0] * g[b] + G[i, 1] * g[3 + b] + G[i, 2] * g[6 + b];
                for (int i = 0; i < size; i++)
                    for (int j = 0; j < size; j++)
                    {
                        double v = gg[i * 3] * G[j, 0] + gg[i * 3 + 1] * G[j, 1] + gg[i * 3 + 2] * G[j, 2];
                        u[((long)(i * size + j) * inChannels + c) * outChannels + o] = (float)v;
                    }
            }
        fixed (float* src = u)
            for (int e = 0; e < points; e++)
            {
                var source = new RowMajorPanels(src + (long)e * inChannels * outChannels, outChannels, outChannels, 1f);
                PrepackedWeights.PackPanels(source, kStarts, outChannels, dst + e * pointFloats);
            }
    }

    /// <summary>Floats of one point's packed [C_in, C_out] matrix.</summary>
    public static long PointFloats(int inChannels, int outChannels) => GemmLayout.PackedLength(inChannels, outChannels);
}
