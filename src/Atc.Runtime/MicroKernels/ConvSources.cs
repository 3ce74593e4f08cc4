using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// A of a channels-last (NHWC) convolution read in place (indirect GEMM): row p is output pixel p, and K runs over
/// kernel taps (depth, height, width) then input channels of the group. Each tap of a row points at the input
/// pixel under it, or at a zero buffer where the tap falls in the padding. K blocks are whole taps when a group
/// has at most <see cref="GemmLayout.KcMax"/> channels, else channel slices of one tap (see <see cref="KBlocks"/>).
/// </summary>
internal unsafe struct IndirectConvRows : IRowSource
{
    public float* Input;          // image 0, channel 0
    public float* Zeros;          // at least ChannelsPerGroup zeros
    public int Channels;          // pixel stride of the input
    public int ChannelOffset;     // first channel of the group
    public int ChannelsPerGroup;
    public int OutD, OutH, OutW, InD, InH, InW, KD, KH, KW, SD, SH, SW, DD, DH, DW, PD, PH, PW;

    /// <param name="channelsPerTap">K run of one tap: the group's channels, or (input padded in advance, kernel
    /// width merged into the taps) kernel width x channels.</param>
    public static IndirectConvRows Create(ConvGeometry g, float* input, float* zeros, int group, int channelsPerTap) => new()
    {
        Input = input,
        Zeros = zeros,
        Channels = g.InChannels,
        ChannelOffset = group * g.InChannelsPerGroup,
        ChannelsPerGroup = channelsPerTap,
        OutD = g.OutD, OutH = g.OutH, OutW = g.OutW, InD = g.InD, InH = g.InH, InW = g.InW,
        KD = g.KD, KH = g.KH, KW = g.KW, SD = g.SD, SH = g.SH, SW = g.SW,
        DD = g.DD, DH = g.DH, DW = g.DW, PD = g.PD, PH = g.PH, PW = g.PW,
    };

    /// <summary>K block starts for <paramref name="taps"/> kernel taps of <paramref name="channels"/> channels.</summary>
    public static int[] KBlocks(int taps, int channels)
    {
        var starts = new List<int>();
        if (channels <= GemmLayout.KcMax)
        {
            int perBlock = Math.Clamp(GemmLayout.KcMax / Math.Max(channels, 1), 1, GemmDriver.MaxTapsPerBlock);
            for (int t = 0; t < taps; t += perBlock) starts.Add(t * channels);
        }
        else
        {
            int slices = (channels + GemmLayout.KcMax - 1) / GemmLayout.KcMax;
            for (int t = 0; t < taps; t++)
                for (int j = 0; j < slices; j++) starts.Add(t * channels + (int)((long)channels * j / slices));
        }
        starts.Add(taps * channels);
        return [.. starts];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Rows(int m, int count, int k0, int kc, int rowTile, float** rows, out int taps, out int kPerTap, out nint offset)
    {
        int firstTap = k0 / ChannelsPerGroup;
        if (ChannelsPerGroup <= GemmLayout.KcMax)
        {
            taps = kc / ChannelsPerGroup;
            kPerTap = ChannelsPerGroup;
            offset = 0;
        }
        else
        {
            taps = 1;
            kPerTap = kc;
            offset = k0 - firstTap * ChannelsPerGroup;
        }

        int firstKw = firstTap % KW, firstKh = firstTap / KW % KH, firstKd = firstTap / (KW * KH);
        // Output coordinates of row m, then stepped row by row: no divisions per row.
        int q = m;
        int ow = q % OutW; q /= OutW;
        int oh = q % OutH; q /= OutH;
        int od = q % OutD;
        long image = (long)(q / OutD) * InD;

        // Where the whole kernel window lies inside the input (most pixels), a tap is the window's corner plus a
        // fixed offset: computed once per block instead of bounds checks and index arithmetic per row and tap.
        TapOffsets tapOffsets = default;
        {
            int kd = firstKd, kh = firstKh, kw = firstKw;
            for (int t = 0; t < taps; t++)
            {
                tapOffsets[t] = (((long)kd * DD * InH + kh * DH) * InW + kw * DW) * Channels;
                if (++kw == KW)
                {
                    kw = 0;
                    if (++kh == KH) { kh = 0; kd++; }
                }
            }
        }
        int spanD = (KD - 1) * DD, spanH = (KH - 1) * DH, spanW = (KW - 1) * DW;

        for (int r = 0; r < count; r++)
        {
            int d0 = od * SD - PD, h0 = oh * SH - PH, w0 = ow * SW - PW;
            if (d0 >= 0 && h0 >= 0 && w0 >= 0 && d0 + spanD < InD && h0 + spanH < InH && w0 + spanW < InW)
            {
                float* corner = Input + (((image + d0) * InH + h0) * InW + w0) * Channels + ChannelOffset;
                for (int t = 0; t < taps; t++) rows[t * rowTile + r] = corner + tapOffsets[t];
            }
            else
            {
                EdgeRow(rows + r, rowTile, taps, image, d0, h0, w0, firstKd, firstKh, firstKw);
            }
            if (++ow == OutW)
            {
                ow = 0;
                if (++oh == OutH)
                {
                    oh = 0;
                    if (++od == OutD) { od = 0; image += InD; }
                }
            }
        }
        // Rows past count repeat row m.
        for (int r = count; r < rowTile; r++)
            for (int t = 0; t < taps; t++) rows[t * rowTile + r] = rows[t * rowTile];
    }

    /// <summary>Tap pointers of a row whose window crosses the input's border: the zero buffer where a tap is outside.</summary>
    private readonly void EdgeRow(float** rows, int rowTile, int taps, long image, int d0, int h0, int w0, int kd, int kh, int kw)
    {
        for (int t = 0; t < taps; t++)
        {
            int id = d0 + kd * DD, ih = h0 + kh * DH, iw = w0 + kw * DW;
            rows[t * rowTile] = (uint)id < (uint)InD && (uint)ih < (uint)InH && (uint)iw < (uint)InW
                ? Input + (((image + id) * InH + ih) * InW + iw) * Channels + ChannelOffset
                : Zeros;
            if (++kw == KW)
            {
                kw = 0;
                if (++kh == KH) { kh = 0; kd++; }
            }
        }
    }
}

/// <summary>Per-tap input offsets of one K block (at most <see cref="GemmDriver.MaxTapsPerBlock"/> taps).</summary>
[InlineArray(GemmDriver.MaxTapsPerBlock)]
internal struct TapOffsets
{
    private long _first;
}

/// <summary>
/// B of a channels-last convolution: the weights of one group, W [O, C/group, taps] read as [K = (tap, channel), O/group]
/// and packed into panels (once, at kernel creation, when the weights are constant).
/// </summary>
internal unsafe readonly struct ConvWeightPanels(float* groupWeights, int channelsPerGroup, int taps, int outChannelsPerGroup) : IPanelSource
{
    private readonly float* _w = groupWeights;
    private readonly int _cg = channelsPerGroup;
    private readonly int _taps = taps;
    private readonly int _og = outChannelsPerGroup;

    public float* Block(int k0, int kc, int n0, int n1, float* slot)
    {
        int padded = GemmLayout.PadColumns(n1 - n0);
        long rowStride = (long)_cg * _taps;
        float* dst = slot;
        for (int j = 0; j < padded; j += GemmLayout.PanelWidth)
        {
            int width = Math.Min(GemmLayout.PanelWidth, padded - j);
            int valid = Math.Clamp(n1 - (n0 + j), 0, width);
            for (int k = k0; k < k0 + kc; k++, dst += width)
            {
                int tap = k / _cg, c = k % _cg;
                float* src = _w + (long)(n0 + j) * rowStride + (long)c * _taps + tap;
                int q = 0;
                for (; q < valid; q++, src += rowStride) dst[q] = *src;
                for (; q < width; q++) dst[q] = 0f;
            }
        }
        return slot;
    }
}
