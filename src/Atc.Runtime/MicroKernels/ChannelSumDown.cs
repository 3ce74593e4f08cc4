using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Sums a block of channels down the pixels of a channels-last image ([pixels, channels] rows) with the partial sums in
/// registers: four vectors of channels at a time across every pixel, then single vectors, then single floats. A call
/// per pixel row (what a library add does) costs more than the few vector adds of a 16-96-channel row. Each channel
/// is summed pixel by pixel in order, so the result does not depend on the ISA's width.
/// </summary>
internal static unsafe class ChannelSumDown
{
    public static void Run(Isa isa, float* source, int rowStride, int width, int pixels, float* sums)
    {
        if (isa == Isa.Avx512) Run<Float512, Vector512<float>>(source, rowStride, width, pixels, sums);
        else if (isa == Isa.Avx2) Run<Float256, Vector256<float>>(source, rowStride, width, pixels, sums);
        else Run<Float128, Vector128<float>>(source, rowStride, width, pixels, sums);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TV, TVec>(float* source, int rowStride, int width, int pixels, float* sums)
        where TV : struct, IFloatVector<TVec> where TVec : struct
    {
        int n = TV.Count, c = 0;
        for (; c + 4 * n <= width; c += 4 * n)
        {
            float* p = source + c;
            TVec s0 = TV.Load(p), s1 = TV.Load(p + n), s2 = TV.Load(p + 2 * n), s3 = TV.Load(p + 3 * n);
            for (int pixel = 1; pixel < pixels; pixel++)
            {
                p += rowStride;
                s0 = TV.Add(s0, TV.Load(p));
                s1 = TV.Add(s1, TV.Load(p + n));
                s2 = TV.Add(s2, TV.Load(p + 2 * n));
                s3 = TV.Add(s3, TV.Load(p + 3 * n));
            }
            TV.Store(s0, sums + c);
            TV.Store(s1, sums + c + n);
            TV.Store(s2, sums + c + 2 * n);
            TV.Store(s3, sums + c + 3 * n);
        }
        for (; c + n <= width; c += n) TV.Store(SumOne<TV, TVec>(source + c, rowStride, pixels), sums + c);
        for (; c < width; c++) sums[c] = SumOne<Float1, float>(source + c, rowStride, pixels);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec SumOne<TV, TVec>(float* p, int rowStride, int pixels) where TV : struct, IFloatVector<TVec> where TVec : struct
    {
        TVec s = TV.Load(p);
        for (int pixel = 1; pixel < pixels; pixel++) s = TV.Add(s, TV.Load(p += rowStride));
        return s;
    }
}
