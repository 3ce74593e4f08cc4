namespace Atc.Runtime.MicroKernels;

/// <summary>
/// A convolution or pooling window resolved for concrete shapes. Every spatial rank is held as 3-D (depth, height,
/// width): a 2-D op has depth 1, a 1-D op depth and height 1, with kernel 1, stride 1 and no padding on the
/// added axes, which changes nothing numerically. Pads are the begin pads; the end pads are implied by the output
/// size.
/// </summary>
internal sealed record ConvGeometry
{
    public int Batch { get; init; }
    public int InChannels { get; init; }
    public int OutChannels { get; init; }
    public int Groups { get; init; } = 1;
    public bool ChannelsLast { get; init; }
    public int SpatialRank { get; init; }

    public int InD { get; init; } = 1;
    public int InH { get; init; } = 1;
    public int InW { get; init; } = 1;
    public int OutD { get; init; } = 1;
    public int OutH { get; init; } = 1;
    public int OutW { get; init; } = 1;
    public int KD { get; init; } = 1;
    public int KH { get; init; } = 1;
    public int KW { get; init; } = 1;
    public int SD { get; init; } = 1;
    public int SH { get; init; } = 1;
    public int SW { get; init; } = 1;
    public int DD { get; init; } = 1;
    public int DH { get; init; } = 1;
    public int DW { get; init; } = 1;
    public int PD { get; init; }
    public int PH { get; init; }
    public int PW { get; init; }

    public int InPixels => InD * InH * InW;
    public int OutPixels => OutD * OutH * OutW;
    public int KernelSize => KD * KH * KW;
    public int InChannelsPerGroup => InChannels / Groups;
    public int OutChannelsPerGroup => OutChannels / Groups;

    public bool IsPointwise => KernelSize == 1 && SD == 1 && SH == 1 && SW == 1 && PD == 0 && PH == 0 && PW == 0;

    /// <summary>Builds the 3-D form from per-axis values of the op's own spatial rank (1, 2 or 3).</summary>
    public static ConvGeometry FromSpatial(int batch, int inChannels, int outChannels, int groups, bool channelsLast,
        int[] inSize, int[] outSize, int[] kernel, int[] strides, int[] dilations, int[] padsBegin)
    {
        int r = inSize.Length;
        int At(int[] v, int axis3, int fallback) => axis3 - (3 - r) is var i && i >= 0 ? v[i] : fallback;
        return new ConvGeometry
        {
            Batch = batch,
            InChannels = inChannels,
            OutChannels = outChannels,
            Groups = groups,
            ChannelsLast = channelsLast,
            SpatialRank = r,
            InD = At(inSize, 0, 1), InH = At(inSize, 1, 1), InW = At(inSize, 2, 1),
            OutD = At(outSize, 0, 1), OutH = At(outSize, 1, 1), OutW = At(outSize, 2, 1),
            KD = At(kernel, 0, 1), KH = At(kernel, 1, 1), KW = At(kernel, 2, 1),
            SD = At(strides, 0, 1), SH = At(strides, 1, 1), SW = At(strides, 2, 1),
            DD = At(dilations, 0, 1), DH = At(dilations, 1, 1), DW = At(dilations, 2, 1),
            PD = At(padsBegin, 0, 0), PH = At(padsBegin, 1, 0), PW = At(padsBegin, 2, 0),
        };
    }
}
