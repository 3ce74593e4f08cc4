using System.Numerics;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Resize;

/// <summary>
/// GridSample for one gear, following ONNX's reference: each grid point is denormalised to pixel coordinates, moved
/// inside the border (clamped or reflected) when it lies outside, then filtered over a 1x1, 2x2 or 4x4 window whose
/// taps outside the image read 0 (zeros), the nearest edge (border) or the mirrored pixel (reflection). The taps and
/// weights are computed once per point and reused for every channel. Arithmetic in float64.
/// </summary>
internal sealed unsafe class GridSampleKernel<T>(GridSampleGeometry g, GridSampleOptions options) : IKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double CubicAlpha = -0.75;

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body(this, (T*)args.Inputs[0], (T*)args.Inputs[1], (T*)args.Outputs[0]);
        ParallelRange.For(args.Workers, (long)g.Batch * g.Points, g.Channels * 16L, ref body);
    }

    private readonly struct Body(GridSampleKernel<T> kernel, T* x, T* grid, T* y) : IRangeBody
    {
        public void Run(long start, long end)
        {
            for (long p = start; p < end; p++) kernel.Sample(x, grid, y, p);
        }
    }

    /// <summary>Point <paramref name="p"/> of the flattened [N, points] grid, for every channel.</summary>
    private void Sample(T* x, T* grid, T* y, long p)
    {
        long n = p / g.Points, point = p % g.Points;
        double gx = double.CreateTruncating(grid[p * 2]), gy = double.CreateTruncating(grid[p * 2 + 1]);
        double px = Denormalize(gx, g.Width), py = Denormalize(gy, g.Height);
        if (options.Filter == GridSampleFilter.Nearest)
        {
            px = Math.Round(px, MidpointRounding.ToEven);
            py = Math.Round(py, MidpointRounding.ToEven);
        }
        px = IntoBorder(px, g.Width);
        py = IntoBorder(py, g.Height);

        int taps = options.Filter switch { GridSampleFilter.Nearest => 1, GridSampleFilter.Linear => 2, _ => 4 };
        Span<int> xs = stackalloc int[4], ys = stackalloc int[4];
        Span<double> wx = stackalloc double[4], wy = stackalloc double[4];
        Taps(px, g.Width, xs, wx);
        Taps(py, g.Height, ys, wy);

        long plane = (long)g.Height * g.Width;
        for (int c = 0; c < g.Channels; c++)
        {
            T* image = x + (n * g.Channels + c) * plane;
            double sum = 0;
            for (int i = 0; i < taps; i++)
            {
                if (ys[i] < 0) continue;
                double row = 0;
                for (int j = 0; j < taps; j++)
                    if (xs[j] >= 0) row += wx[j] * double.CreateTruncating(image[(long)ys[i] * g.Width + xs[j]]);
                sum += wy[i] * row;
            }
            y[(n * g.Channels + c) * g.Points + point] = T.CreateTruncating(sum);
        }
    }

    private double Denormalize(double v, int length) => options.AlignCorners ? (v + 1) / 2 * (length - 1) : ((v + 1) * length - 1) / 2;

    private (double Min, double Max) Bounds(int length) => options.AlignCorners ? (0, length - 1) : (-0.5, length - 0.5);

    /// <summary>A coordinate outside the border is clamped (border) or mirrored back inside (reflection).</summary>
    private double IntoBorder(double v, int length)
    {
        var (min, max) = Bounds(length);
        if (v >= min && v <= max) return v;
        return options.Padding switch
        {
            GridSamplePadding.Border => Math.Clamp(v, 0, length - 1),
            GridSamplePadding.Reflection => Reflect(v, min, max),
            _ => v,
        };
    }

    private static double Reflect(double v, double min, double max)
    {
        double range = max - min;
        if (range <= 0) return min;
        if (v < min)
        {
            double d = min - v;
            long k = (long)(d / range);
            double r = d - k * range;
            return k % 2 == 0 ? min + r : max - r;
        }
        if (v > max)
        {
            double d = v - max;
            long k = (long)(d / range);
            double r = d - k * range;
            return k % 2 == 0 ? max - r : min + r;
        }
        return v;
    }

    /// <summary>The filter's taps along one axis: pixel indices (-1 where the tap reads zero padding) and weights.</summary>
    private void Taps(double v, int length, Span<int> index, Span<double> weight)
    {
        switch (options.Filter)
        {
            case GridSampleFilter.Nearest:
                index[0] = Pixel((long)v, length);
                weight[0] = 1;
                break;
            case GridSampleFilter.Linear:
            {
                double f = Math.Floor(v);
                long i0 = (long)f;
                index[0] = Pixel(i0, length);
                index[1] = Pixel(i0 + 1, length);
                weight[0] = 1 - (v - f);
                weight[1] = v - f;
                break;
            }
            default:
            {
                double f = Math.Floor(v);
                long i0 = (long)f;
                double t = v - f;
                for (int k = 0; k < 4; k++) index[k] = Pixel(i0 - 1 + k, length);
                weight[0] = CubicFar(t + 1);
                weight[1] = CubicNear(t);
                weight[2] = CubicNear(1 - t);
                weight[3] = CubicFar(2 - t);
                break;
            }
        }
    }

    // Keys' cubic convolution with a = -0.75, for |t| <= 1 and 1 < |t| < 2.
    private static double CubicNear(double t) => ((CubicAlpha + 2) * t - (CubicAlpha + 3)) * t * t + 1;

    private static double CubicFar(double t) => ((CubicAlpha * t - 5 * CubicAlpha) * t + 8 * CubicAlpha) * t - 4 * CubicAlpha;

    /// <summary>The pixel a tap reads: -1 (zero) outside the image for zeros padding, else clamped or reflected.</summary>
    private int Pixel(long i, int length)
    {
        if (i >= 0 && i < length) return (int)i;
        return options.Padding switch
        {
            GridSamplePadding.Zeros => -1,
            GridSamplePadding.Border => (int)Math.Clamp(i, 0, length - 1),
            _ => (int)Math.Clamp((long)Reflect(i, Bounds(length).Min, Bounds(length).Max), 0, length - 1),
        };
    }
}
