using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Max / average pooling in channels-last float32: one call per output row (image, depth, height). Each output pixel
/// combines only the window taps inside the input (ranges precomputed per axis, so borders, padding and ceil_mode
/// cost nothing in the inner loop), four independent vector accumulators across the contiguous channels so the
/// max/add latency chains overlap, then single vectors, then a scalar channel tail.
/// </summary>
internal sealed unsafe class ChannelsLastPool
{
    private readonly ConvGeometry _g;
    private readonly bool _max;
    private readonly int[] _firstD, _endD, _firstH, _endH, _firstW, _endW;
    private readonly int[] _countD, _countH, _countW;

    /// <param name="countD">Average divisor factors per output position along each axis (tap counts).</param>
    public ChannelsLastPool(ConvGeometry geometry, bool max, int[] countD, int[] countH, int[] countW)
    {
        _g = geometry;
        _max = max;
        (_countD, _countH, _countW) = (countD, countH, countW);
        (_firstD, _endD) = ValidTaps(geometry.InD, geometry.OutD, geometry.KD, geometry.SD, geometry.DD, geometry.PD);
        (_firstH, _endH) = ValidTaps(geometry.InH, geometry.OutH, geometry.KH, geometry.SH, geometry.DH, geometry.PH);
        (_firstW, _endW) = ValidTaps(geometry.InW, geometry.OutW, geometry.KW, geometry.SW, geometry.DW, geometry.PW);
    }

    /// <summary>Per output position, the kernel taps [first, end) that land inside the input (contiguous: taps are monotone).</summary>
    private static (int[] First, int[] End) ValidTaps(int input, int output, int kernel, int stride, int dilation, int padBegin)
    {
        int[] first = new int[output], end = new int[output];
        for (int o = 0; o < output; o++)
        {
            int k = 0;
            while (k < kernel && o * stride - padBegin + k * dilation < 0) k++;
            first[o] = k;
            while (k < kernel && o * stride - padBegin + k * dilation < input) k++;
            end[o] = k;
        }
        return (first, end);
    }

    public int Rows => _g.Batch * _g.OutD * _g.OutH;

    public void Row(float* x, float* y, int index)
    {
        if (_max) Row<MaxReduce>(x, y, index);
        else Row<SumReduce>(x, y, index);
    }

    private void Row<TReduce>(float* x, float* y, int index) where TReduce : struct, IPoolReduce
    {
        if (Vector512.IsHardwareAccelerated) Row<Vector512<float>, Lanes512, TReduce>(x, y, index);
        else if (Vector256.IsHardwareAccelerated) Row<Vector256<float>, Lanes256, TReduce>(x, y, index);
        else Row<Vector128<float>, Lanes128, TReduce>(x, y, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Row<TVec, TLanes, TReduce>(float* x, float* y, int index)
        where TVec : struct
        where TLanes : struct, IPoolLanes<TVec>
        where TReduce : struct, IPoolReduce
    {
        ref readonly var g = ref _g;
        int c = g.InChannels, w = TLanes.Count;
        int oh = index % g.OutH, od = index / g.OutH % g.OutD, n = index / (g.OutH * g.OutD);
        float* image = x + (long)n * g.InPixels * c;

        // The input rows this output row reads; the same for every pixel in it.
        float** rows = stackalloc float*[g.KD * g.KH];
        int rowCount = 0;
        for (int kd = _firstD[od]; kd < _endD[od]; kd++)
            for (int kh = _firstH[oh]; kh < _endH[oh]; kh++)
            {
                int id = od * g.SD - g.PD + kd * g.DD, ih = oh * g.SH - g.PH + kh * g.DH;
                rows[rowCount++] = image + ((long)id * g.InH + ih) * g.InW * c;
            }

        long tapStep = (long)g.DW * c;
        float rowDivisor = _countD[od] * _countH[oh];
        float* yRow = y + (((long)n * g.OutD + od) * g.OutH + oh) * g.OutW * c;
        for (int ow = 0; ow < g.OutW; ow++)
        {
            int firstW = _firstW[ow], taps = _endW[ow] - firstW;
            long offset = (long)(ow * g.SW - g.PW + firstW * g.DW) * c;
            float* yp = yRow + (long)ow * c;
            float scale = TReduce.IsMax ? 1f : 1f / Math.Max(1f, rowDivisor * _countW[ow]);
            Pixel<TVec, TLanes, TReduce>(rows, rowCount, offset, taps, tapStep, c, w, yp, scale);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pixel<TVec, TLanes, TReduce>(float** rows, int rowCount, long offset, int taps, long tapStep,
        int c, int w, float* yp, float scale)
        where TVec : struct
        where TLanes : struct, IPoolLanes<TVec>
        where TReduce : struct, IPoolReduce
    {
        var init = TLanes.Broadcast(TReduce.Identity);
        var sv = TLanes.Broadcast(scale);
        int ch = 0;
        for (; ch + 4 * w <= c; ch += 4 * w)
        {
            TVec a0 = init, a1 = init, a2 = init, a3 = init;
            for (int r = 0; r < rowCount; r++)
            {
                float* p = rows[r] + offset + ch;
                for (int t = 0; t < taps; t++, p += tapStep)
                {
                    a0 = Combine<TVec, TLanes, TReduce>(a0, TLanes.Load(p));
                    a1 = Combine<TVec, TLanes, TReduce>(a1, TLanes.Load(p + w));
                    a2 = Combine<TVec, TLanes, TReduce>(a2, TLanes.Load(p + 2 * w));
                    a3 = Combine<TVec, TLanes, TReduce>(a3, TLanes.Load(p + 3 * w));
                }
            }
            Finish<TVec, TLanes, TReduce>(a0, sv, yp + ch);
            Finish<TVec, TLanes, TReduce>(a1, sv, yp + ch + w);
            Finish<TVec, TLanes, TReduce>(a2, sv, yp + ch + 2 * w);
            Finish<TVec, TLanes, TReduce>(a3, sv, yp + ch + 3 * w);
        }
        for (; ch + w <= c; ch += w)
        {
            TVec a = init;
            for (int r = 0; r < rowCount; r++)
            {
                float* p = rows[r] + offset + ch;
                for (int t = 0; t < taps; t++, p += tapStep) a = Combine<TVec, TLanes, TReduce>(a, TLanes.Load(p));
            }
            Finish<TVec, TLanes, TReduce>(a, sv, yp + ch);
        }
        for (; ch < c; ch++)
        {
            float a = TReduce.Identity;
            for (int r = 0; r < rowCount; r++)
            {
                float* p = rows[r] + offset + ch;
                for (int t = 0; t < taps; t++, p += tapStep) a = TReduce.IsMax ? MathF.Max(a, *p) : a + *p;
            }
            yp[ch] = TReduce.IsMax ? a : a * scale;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Combine<TVec, TLanes, TReduce>(TVec a, TVec b)
        where TVec : struct
        where TLanes : struct, IPoolLanes<TVec>
        where TReduce : struct, IPoolReduce
        => TReduce.IsMax ? TLanes.Max(a, b) : TLanes.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<TVec, TLanes, TReduce>(TVec a, TVec scale, float* p)
        where TVec : struct
        where TLanes : struct, IPoolLanes<TVec>
        where TReduce : struct, IPoolReduce
        => TLanes.Store(TReduce.IsMax ? a : TLanes.Multiply(a, scale), p);
}

/// <summary>Max or sum, chosen by type argument so the JIT folds the branch.</summary>
internal interface IPoolReduce
{
    static abstract bool IsMax { get; }
    static abstract float Identity { get; }
}

internal struct MaxReduce : IPoolReduce
{
    public static bool IsMax => true;
    public static float Identity => float.NegativeInfinity;
}

internal struct SumReduce : IPoolReduce
{
    public static bool IsMax => false;
    public static float Identity => 0f;
}

/// <summary>The vector operations pooling needs, one implementation per SIMD width.</summary>
internal unsafe interface IPoolLanes<TVec> where TVec : struct
{
    static abstract int Count { get; }
    static abstract TVec Load(float* p);
    static abstract void Store(TVec v, float* p);
    static abstract TVec Broadcast(float x);
    static abstract TVec Max(TVec a, TVec b);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Multiply(TVec a, TVec b);
}

internal unsafe struct Lanes128 : IPoolLanes<Vector128<float>>
{
    public static int Count => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> v, float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float x) => Vector128.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
}

internal unsafe struct Lanes256 : IPoolLanes<Vector256<float>>
{
    public static int Count => 8;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> v, float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
}

internal unsafe struct Lanes512 : IPoolLanes<Vector512<float>>
{
    public static int Count => 16;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> v, float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
}
