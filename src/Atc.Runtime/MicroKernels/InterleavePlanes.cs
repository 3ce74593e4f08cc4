using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// A few planes [C, P] to interleaved [P, C] for C = 2..4: a network's NCHW RGB input turned channels-last. The
/// generic transpose's square tiles do not fit a 3-row matrix (every element paid for index math), so this walks the
/// pixels once: with AVX-512, 16 pixels of 3 planes become 3 vectors through two two-source permutes each.
/// </summary>
internal static unsafe class InterleavePlanes
{
    public const int MaxPlanes = 4;

    private static readonly Vector512<int>[] FirstStep = Indices(first: true);
    private static readonly Vector512<int>[] SecondStep = Indices(first: false);

    /// <summary>dst[p * planes + c] = src[c * planeStride + p] for pixels [p0, p1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* src, long planeStride, float* dst, int planes, long p0, long p1)
    {
        long p = p0;
        if (planes == 3 && Avx512F.IsSupported)
        {
            var i0 = FirstStep[0]; var i1 = FirstStep[1]; var i2 = FirstStep[2];
            var j0 = SecondStep[0]; var j1 = SecondStep[1]; var j2 = SecondStep[2];
            for (; p + 16 <= p1; p += 16)
            {
                var a = Vector512.Load(src + p);
                var b = Vector512.Load(src + planeStride + p);
                var c = Vector512.Load(src + 2 * planeStride + p);
                float* d = dst + p * 3;
                Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(a, i0, b), j0, c).Store(d);
                Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(a, i1, b), j1, c).Store(d + 16);
                Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(a, i2, b), j2, c).Store(d + 32);
            }
        }
        switch (planes)
        {
            case 2:
                for (; p < p1; p++) { dst[p * 2] = src[p]; dst[p * 2 + 1] = src[planeStride + p]; }
                break;
            case 3:
                for (; p < p1; p++) { dst[p * 3] = src[p]; dst[p * 3 + 1] = src[planeStride + p]; dst[p * 3 + 2] = src[2 * planeStride + p]; }
                break;
            default:
                for (; p < p1; p++)
                    for (int c = 0; c < planes; c++) dst[p * planes + c] = src[c * planeStride + p];
                break;
        }
    }

    /// <summary>
    /// Output vector k holds flat elements f = 16k + j: pixel f / 3 (0-15) of plane f % 3. The first permute takes
    /// planes 0 and 1 (a at indices 0-15, b at 16-31); the second keeps those lanes and takes plane 2 from c (16-31).
    /// </summary>
    private static Vector512<int>[] Indices(bool first)
    {
        var result = new Vector512<int>[3];
        Span<int> idx = stackalloc int[16];
        for (int k = 0; k < 3; k++)
        {
            for (int j = 0; j < 16; j++)
            {
                int f = 16 * k + j, pixel = f / 3, plane = f % 3;
                idx[j] = first
                    ? plane switch { 0 => pixel, 1 => 16 + pixel, _ => 0 }
                    : plane == 2 ? 16 + pixel : j;
            }
            result[k] = Vector512.Create((ReadOnlySpan<int>)idx);
        }
        return result;
    }
}
