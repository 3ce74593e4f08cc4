namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>
/// How <see cref="Int8PixelTile"/> walks a conv's reduction: one pointer per pixel and segment, each segment a run
/// of contiguous input bytes. Per tap, a segment is the tap's channels (any stride, dilation and channel count that
/// is a multiple of 4, or padded to one). Per kernel row, a segment is the KW taps side by side (KW · C bytes, when
/// the input row is contiguous and padded horizontally): the RGB stem's 7 x 3 = 21 bytes become one segment of 6
/// quads instead of seven taps of one quad each, each padded from 3 channels to 4.
/// </summary>
internal readonly record struct Int8PixelSegments(int Count, int Bytes, bool KernelRows, int KernelW, int Channels)
{
    public int Quads => (Bytes + 3) / 4;

    public static Int8PixelSegments PerTap(int kernelH, int kernelW, int channels)
        => new(kernelH * kernelW, channels, false, kernelW, channels);

    public static Int8PixelSegments PerKernelRow(int kernelH, int kernelW, int channels)
        => new(kernelH, kernelW * channels, true, kernelW, channels);

    /// <summary>The segment and byte within it of channel <paramref name="c"/> at tap <paramref name="tap"/> (kh · KW + kw).</summary>
    public (int Segment, int Byte) Of(int c, int tap)
        => KernelRows ? (tap / KernelW, tap % KernelW * Channels + c) : (tap, c);
}
