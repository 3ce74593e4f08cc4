namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>
/// The signed operand of <see cref="Int8PixelTile"/>: a conv's OIHW weights per group in blocks of
/// <see cref="Int8PixelTile.Channels"/> output channels, each block [segment][quad][16 channels][4 bytes]
/// (<see cref="Int8PixelSegments"/>: a segment's bytes padded to a multiple of 4, the block's channels padded, both with
/// zeros). The stored value is
/// w - w_zero_point[o], which must fit int8 (symmetric int8 weights, or uint8 with zero point 128): the weight zero
/// point then costs nothing per pixel. The row sums Σ (w - zw) go with it, one int per output channel.
/// </summary>
internal static unsafe class Int8PixelWeights
{
    public static int Blocks(int outChannelsPerGroup) => (outChannelsPerGroup + Int8PixelTile.Channels - 1) / Int8PixelTile.Channels;

    public static long BlockBytes(Int8PixelSegments segments) => (long)segments.Count * segments.Quads * 4 * Int8PixelTile.Channels;

    public static long GroupBytes(Int8PixelSegments segments, int outChannelsPerGroup) => Blocks(outChannelsPerGroup) * BlockBytes(segments);

    /// <summary>Packed bytes of every group followed by the int32 row sums.</summary>
    public static long TotalBytes(int groups, Int8PixelSegments segments, int outChannelsPerGroup)
        => groups * GroupBytes(segments, outChannelsPerGroup) + 4L * groups * outChannelsPerGroup;

    /// <summary>Packs OIHW weights ([O, C/group, taps]) into <paramref name="packed"/> (<see cref="TotalBytes"/>).</summary>
    public static void Pack<TSource>(TSource source, Func<int, int> zeroPoint, int groups, int taps, Int8PixelSegments segments,
        int outChannelsPerGroup, byte* packed) where TSource : struct, IInt8Source
    {
        long total = TotalBytes(groups, segments, outChannelsPerGroup);
        new Span<byte>(packed, checked((int)total)).Clear();
        long groupBytes = GroupBytes(segments, outChannelsPerGroup), blockBytes = BlockBytes(segments);
        int channelsPerGroup = segments.Channels;
        int* rowSums = (int*)(packed + groups * groupBytes);
        for (int o = 0; o < groups * outChannelsPerGroup; o++)
        {
            int group = o / outChannelsPerGroup, local = o % outChannelsPerGroup, zero = zeroPoint(o), sum = 0;
            sbyte* block = (sbyte*)packed + group * groupBytes + local / Int8PixelTile.Channels * blockBytes;
            int lane = local % Int8PixelTile.Channels;
            for (int c = 0; c < channelsPerGroup; c++)
                for (int t = 0; t < taps; t++)
                {
                    int value = source.At(((long)o * channelsPerGroup + c) * taps + t) - zero;
                    if ((uint)(value + 128) > 255)
                        throw new InvalidOperationException($"weight {value + zero} minus zero point {zero} of output channel {o} does not fit int8");
                    var (segment, at) = segments.Of(c, t);
                    long quad = (long)segment * segments.Quads + at / 4;
                    block[(quad * Int8PixelTile.Channels + lane) * 4 + at % 4] = (sbyte)value;
                    sum += value;
                }
            rowSums[o] = sum;
        }
    }
}
