using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>Output channels one <see cref="PixelVectorConvKernel{TOps,TVec,TVectors,TChannels}"/> call computes (1-4).</summary>
internal interface IOutputChannelCount
{
    static abstract int Value { get; }
}

internal struct OutputChannels1 : IOutputChannelCount { public static int Value => 1; }
internal struct OutputChannels2 : IOutputChannelCount { public static int Value => 2; }
internal struct OutputChannels3 : IOutputChannelCount { public static int Value => 3; }
internal struct OutputChannels4 : IOutputChannelCount { public static int Value => 4; }

/// <summary>
/// One call of the pixel-vector convolution tile: a run of output pixels of one output row (vectors x lanes of
/// them) x up to <see cref="PixelVectorConvTile.ChannelBlock"/> output channels, read from zero-padded input
/// planes (channels-first, stride 1 along the width) so that the tile's pixels under one tap are one contiguous run.
/// </summary>
internal unsafe struct PixelVectorConvTile
{
    /// <summary>Output channels of one block of packed weights.</summary>
    public const int ChannelBlock = 4;

    /// <summary>Channel 0's plane at the tile's first pixel's window corner.</summary>
    public float* Input;
    public nint PlaneStride;
    public int InputChannels;
    public int KernelRows, KernelCols;
    /// <summary>Floats between kernel rows (dilation x padded width) and between kernel columns (dilation).</summary>
    public nint RowStep, TapStep;
    /// <summary>The block's weights, [C][KH][KW][<see cref="ChannelBlock"/>].</summary>
    public float* Weights;
    /// <summary>Where the sums go: channel j's pixels at Sums + j x (vectors x lanes).</summary>
    public float* Sums;
}

/// <summary>
/// Direct convolution for few output channels, vectorised over output pixels: each tap's input run (vectors x lanes
/// pixels) is loaded once and multiplied by each output channel's broadcast weight, so every lane is a useful output
/// (a GEMM or a channel-vector kernel would compute 16 lanes for 3 output channels). The K loop runs over input
/// channels, kernel rows and columns; the accumulators (up to 4 channels x 4 vectors) stay in registers.
/// </summary>
[SkipLocalsInit]
internal static unsafe class PixelVectorConvKernel<TOps, TVec, TVectors, TChannels>
    where TOps : struct, IFloatVector<TVec> where TVec : struct
    where TVectors : struct, IRowCount where TChannels : struct, IOutputChannelCount
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ref PixelVectorConvTile t)
    {
        int n = TOps.Count, v = TVectors.Value, r = TChannels.Value;
        bool four = v > 2;
        TVec a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
        TVec b0 = TOps.Zero, b1 = TOps.Zero, b2 = TOps.Zero, b3 = TOps.Zero;
        TVec c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
        TVec d0 = TOps.Zero, d1 = TOps.Zero, d2 = TOps.Zero, d3 = TOps.Zero;
        float* w = t.Weights;
        nint tapStep = t.TapStep;
        for (int ch = 0; ch < t.InputChannels; ch++)
        {
            float* plane = t.Input + ch * t.PlaneStride;
            for (int kh = 0; kh < t.KernelRows; kh++)
            {
                float* x = plane + kh * t.RowStep;
                for (int kw = 0; kw < t.KernelCols; kw++, x += tapStep, w += PixelVectorConvTile.ChannelBlock)
                {
                    TVec x0 = TOps.Load(x), x1 = TOps.Load(x + n);
                    TVec x2 = four ? TOps.Load(x + 2 * n) : TOps.Zero, x3 = four ? TOps.Load(x + 3 * n) : TOps.Zero;
                    TVec s = TOps.Broadcast(w[0]);
                    a0 = TOps.MultiplyAdd(x0, s, a0); a1 = TOps.MultiplyAdd(x1, s, a1);
                    if (four) { a2 = TOps.MultiplyAdd(x2, s, a2); a3 = TOps.MultiplyAdd(x3, s, a3); }
                    if (r > 1)
                    {
                        s = TOps.Broadcast(w[1]);
                        b0 = TOps.MultiplyAdd(x0, s, b0); b1 = TOps.MultiplyAdd(x1, s, b1);
                        if (four) { b2 = TOps.MultiplyAdd(x2, s, b2); b3 = TOps.MultiplyAdd(x3, s, b3); }
                    }
                    if (r > 2)
                    {
                        s = TOps.Broadcast(w[2]);
                        c0 = TOps.MultiplyAdd(x0, s, c0); c1 = TOps.MultiplyAdd(x1, s, c1);
                        if (four) { c2 = TOps.MultiplyAdd(x2, s, c2); c3 = TOps.MultiplyAdd(x3, s, c3); }
                    }
                    if (r > 3)
                    {
                        s = TOps.Broadcast(w[3]);
                        d0 = TOps.MultiplyAdd(x0, s, d0); d1 = TOps.MultiplyAdd(x1, s, d1);
                        if (four) { d2 = TOps.MultiplyAdd(x2, s, d2); d3 = TOps.MultiplyAdd(x3, s, d3); }
                    }
                }
            }
        }
        int width = v * n;
        float* y = t.Sums;
        StoreChannel(y, a0, a1, a2, a3);
        if (r > 1) StoreChannel(y + width, b0, b1, b2, b3);
        if (r > 2) StoreChannel(y + 2 * width, c0, c1, c2, c3);
        if (r > 3) StoreChannel(y + 3 * width, d0, d1, d2, d3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreChannel(float* y, TVec p0, TVec p1, TVec p2, TVec p3)
    {
        int n = TOps.Count;
        TOps.Store(p0, y);
        TOps.Store(p1, y + n);
        if (TVectors.Value > 2)
        {
            TOps.Store(p2, y + 2 * n);
            TOps.Store(p3, y + 3 * n);
        }
    }
}
