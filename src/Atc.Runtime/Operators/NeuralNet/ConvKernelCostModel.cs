using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Chooses between the channels-last GEMM (<see cref="ConvNhwcKernel"/>, one GEMM per group) and the narrow-group
/// direct kernel (<see cref="ConvNarrowGroupKernel"/>) by an estimate of vector lanes computed per useful lane,
/// from the shape alone: the choice must not depend on the CPU, since the compiler stores the chosen kernel's
/// weights prepacked and may leave the raw ones out.
/// <list type="bullet">
/// <item>GEMM: a group's output channels round up to 8-lane vectors, and each indirect row (one tap's run of K
/// values, or the whole pointwise K) restarts the micro-kernel's K loop: efficiency run / (run + 16), measured on
/// RegNet's group width 8 (about 20 GFLOP/s against 140 for long runs).</item>
/// <item>Direct: lanes round up to the block (a multiple of 4); one broadcast per multiply-add costs it a constant
/// factor against the GEMM's register tile.</item>
/// </list>
/// </summary>
internal static class ConvKernelCostModel
{
    /// <summary>Largest group width the direct kernel is considered for (wider groups are GEMM-shaped).</summary>
    public const int MaxDirectOutPerGroup = 64;

    /// <summary>Most output channels of an ungrouped conv the direct kernel is considered for.</summary>
    public const int MaxDirectOutChannelsOneGroup = 24;

    /// <summary>Most output channels of an ungrouped conv the pixel-vector kernel is chosen for: one block of 4.</summary>
    public const int MaxPixelVectorOutChannels = 4;

    /// <summary>Narrowest output row the pixel-vector kernel is chosen for (its tiles are 8 to 64 pixels wide).</summary>
    public const int MinPixelVectorRowWidth = 8;

    private const double DirectEfficiency = 0.75;
    private const double GemmRowRestart = 16;
    private const int GemmLaneGranule = 8;

    public static bool PrefersNarrowGroupDirect(ConvGeometry g)
    {
        int og = g.OutChannelsPerGroup;
        if (og > MaxDirectOutPerGroup) return false;
        // One group: only few output channels (where the GEMM tile is mostly padding) and only with taps; a
        // pointwise conv is a plain GEMM with its whole K in one run.
        if (g.Groups == 1 && (og > MaxDirectOutChannelsOneGroup || g.IsPointwise)) return false;
        return DirectLaneCost(g) < GemmLaneCost(g);
    }

    /// <summary>
    /// Whether an ungrouped conv with taps and at most 4 output channels runs vectorised over output pixels (<see
    /// cref="ConvPixelVectorKernel"/>): every lane of its vectors is an output, where the GEMM and the channel-vector
    /// kernels fill a vector of up to 16 lanes with 1-4 channels (the 16→3 9x9 output conv of a style-transfer net
    /// ran at 8 GFLOP/s on the direct kernel). Its input is first laid out as padded planes, one pass over it.
    /// </summary>
    public static bool PrefersPixelVectors(ConvGeometry g) =>
        g.Groups == 1 && g.OutChannels <= MaxPixelVectorOutChannels && !g.IsPointwise && g.OutW >= MinPixelVectorRowWidth
        && ConvPixelVectorKernel.Supports(g, constantWeights: true);

    /// <summary>Relative cost per output pixel and K step of the direct kernel.</summary>
    internal static double DirectLaneCost(ConvGeometry g)
    {
        int computed = (g.OutChannelsPerGroup + 3) & ~3;   // only the vectors holding valid channels run
        return (double)g.Groups * computed / DirectEfficiency;
    }

    /// <summary>Relative cost per output pixel and K step of the per-group GEMM.</summary>
    internal static double GemmLaneCost(ConvGeometry g)
    {
        int og = g.OutChannelsPerGroup, cg = g.InChannelsPerGroup;
        // The K run of one indirect row, as ConvNhwcKernel lays it out.
        int run = g.IsPointwise ? cg * g.KernelSize
            : g.Groups == 1 && cg < 16 && g.DW == 1 ? g.KW * cg
            : cg;
        double efficiency = run / (run + GemmRowRestart);
        int computed = (og + GemmLaneGranule - 1) / GemmLaneGranule * GemmLaneGranule;
        return (double)g.Groups * computed / efficiency;
    }
}
