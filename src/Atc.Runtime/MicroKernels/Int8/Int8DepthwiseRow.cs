using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>
/// The depthwise int8 inner loop, channels last: for one output pixel, sums[c] = Σ_tap x[tap, c] · w[tap, c] over
/// 16 channels at a time. Two taps are interleaved byte by byte and zero-extended to int16 pairs, and vpmaddwd with
/// the weights' int16 pairs ([tap pair][channel][2], <see cref="PackedShorts"/>) adds both products into int32, exact
/// (255 · 128 fits int16; the pair sum is formed in int32). Int8 activations are flipped by +128 as they are loaded.
/// </summary>
internal static unsafe class Int8DepthwiseRow
{
    public const int Channels = 16;

    /// <summary>int16 weights per tap pair and channel, the channels padded to <see cref="Channels"/>.</summary>
    public static long PackedShorts(int taps, int channels) => (long)((taps + 1) / 2) * PaddedChannels(channels) * 2;

    public static int PaddedChannels(int channels) => (channels + Channels - 1) / Channels * Channels;

    /// <summary>Sums of channels [c, c + 16) (all inside the tensor) into <paramref name="sums"/>. <paramref name="taps"/>
    /// pointers (an even count: an odd kernel's last pointer pairs with zero weights) address each tap's pixel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Vector(byte** taps, int tapCount, int c, short* weights, int paddedChannels, bool flip, int* sums)
    {
        Vector256<int> low = default, high = default;
        var mask = Vector128.Create(flip ? (byte)0x80 : (byte)0);
        short* w = weights + 2 * c;
        for (int t = 0; t < tapCount; t += 2, w += 2 * paddedChannels)
        {
            var a = Vector128.Load(taps[t] + c) ^ mask;
            var b = Vector128.Load(taps[t + 1] + c) ^ mask;
            var lowPairs = Avx2.ConvertToVector256Int16(Sse2.UnpackLow(a, b));
            var highPairs = Avx2.ConvertToVector256Int16(Sse2.UnpackHigh(a, b));
            low = Avx2.Add(low, Avx2.MultiplyAddAdjacent(lowPairs, Vector256.Load(w)));
            high = Avx2.Add(high, Avx2.MultiplyAddAdjacent(highPairs, Vector256.Load(w + 16)));
        }
        low.Store(sums);
        high.Store(sums + 8);
    }

    /// <summary>Sums of channels [c, c + width), one at a time (the portable path and the last channels).</summary>
    public static void Scalar(byte** taps, int tapCount, int c, int width, short* weights, int paddedChannels, bool flip, int* sums)
    {
        int shift = flip ? 0x80 : 0;
        for (int j = 0; j < width; j++)
        {
            int sum = 0;
            for (int t = 0; t < tapCount; t++)
                sum += (taps[t][c + j] ^ shift) * weights[(t / 2 * paddedChannels + c + j) * 2 + t % 2];
            sums[j] = sum;
        }
    }

    /// <summary>Packs [C, 1, taps] weights minus their zero points into int16 pairs and writes Σ (w - zw) per channel
    /// after them (as ints, at <see cref="PackedShorts"/> shorts).</summary>
    public static void Pack<TSource>(TSource source, Func<int, int> zeroPoint, int channels, int taps, short* packed)
        where TSource : struct, IInt8Source
    {
        int padded = PaddedChannels(channels);
        long shorts = PackedShorts(taps, channels);
        new Span<short>(packed, checked((int)shorts)).Clear();
        int* rowSums = (int*)(packed + shorts);
        for (int c = 0; c < channels; c++)
        {
            int zero = zeroPoint(c), sum = 0;
            for (int t = 0; t < taps; t++)
            {
                int value = source.At((long)c * taps + t) - zero;
                if ((uint)(value + 128) > 255)
                    throw new InvalidOperationException($"weight {value + zero} minus zero point {zero} of channel {c} does not fit int8");
                packed[((long)(t / 2) * padded + c) * 2 + t % 2] = (short)value;
                sum += value;
            }
            rowSums[c] = sum;
        }
    }
}
