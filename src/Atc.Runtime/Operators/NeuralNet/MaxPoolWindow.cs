using System.Numerics;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// A pooling window over 1 to 3 spatial axes as a 3-D one (leading axes of size 1, pad 0), and the walk the direct
/// max-pool kernels share: the taps of one output position clipped to the input, the first maximum in window order
/// winning. Used by the 8-bit MaxPool (<see cref="IntegerMaxPoolKernel{T}"/>) and MaxPool with Indices
/// (<see cref="MaxPoolIndicesKernel{T}"/>); the float MaxPool walks runs of outputs per tap instead (PoolKernel).
/// </summary>
internal sealed class MaxPoolWindow
{
    /// <summary>Input and output spatial dims, kernel, strides, dilations and leading pads, each with 3 entries.</summary>
    public int[] In { get; }
    public int[] Out { get; }
    public int[] Kernel { get; }
    public int[] Strides { get; }
    public int[] Dilations { get; }
    public int[] Pads { get; }
    /// <summary>The model's own spatial rank (1 to 3).</summary>
    public int SpatialRank { get; }
    public long InPixels => (long)In[0] * In[1] * In[2];
    public long OutPixels => (long)Out[0] * Out[1] * Out[2];

    public MaxPoolWindow(int[] spatial, SpatialWindow window)
    {
        SpatialRank = spatial.Length;
        In = Pad3(spatial, 1);
        Out = Pad3(window.Output, 1);
        Kernel = Pad3(window.Kernel, 1);
        Strides = Pad3(window.Strides, 1);
        Dilations = Pad3(window.Dilations, 1);
        Pads = Pad3(window.PadsBegin, 0);
    }

    private static int[] Pad3(int[] values, int fill) => [.. Enumerable.Repeat(fill, 3 - values.Length), .. values];

    /// <summary>The maximum of output position (od, oh, ow)'s window over one image channel whose pixel p is at
    /// <paramref name="channel"/>[p · <paramref name="pixelStride"/>], and its row-major pixel index; a window of
    /// padding only gives the type's lowest value and -1.</summary>
    public unsafe (T Best, long Pixel) Max<T>(T* channel, long pixelStride, int od, int oh, int ow)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        T best = T.MinValue;
        long at = -1;
        for (int kd = 0; kd < Kernel[0]; kd++)
        {
            int id = od * Strides[0] - Pads[0] + kd * Dilations[0];
            if ((uint)id >= (uint)In[0]) continue;
            for (int kh = 0; kh < Kernel[1]; kh++)
            {
                int ih = oh * Strides[1] - Pads[1] + kh * Dilations[1];
                if ((uint)ih >= (uint)In[1]) continue;
                for (int kw = 0; kw < Kernel[2]; kw++)
                {
                    int iw = ow * Strides[2] - Pads[2] + kw * Dilations[2];
                    if ((uint)iw >= (uint)In[2]) continue;
                    long pixel = ((long)id * In[1] + ih) * In[2] + iw;
                    T value = channel[pixel * pixelStride];
                    if (value > best)
                    {
                        best = value;
                        at = pixel;
                    }
                }
            }
        }
        return (best, at);
    }
}
