namespace Atc.Runtime.Operators.TensorOps.Resize;

/// <summary>
/// For one axis: each output index's source coordinate, as a nearest input index and as a small filter (taps input
/// indices with weights): 2 taps for linear, 4 for cubic. Taps outside the input are clamped to the edge (or, for
/// cubic with exclude_outside, dropped and the rest renormalised).
/// </summary>
internal sealed class ResizeAxisMap
{
    public required int[] Nearest { get; init; }
    public required int Taps { get; init; }
    /// <summary>Input index of tap k for output o at [o * Taps + k].</summary>
    public required int[] Index { get; init; }
    public required float[] Weight { get; init; }
    /// <summary>tf_crop_and_resize: true where the output index samples outside the input (null when none does).</summary>
    public bool[]? Outside { get; init; }

    public static ResizeAxisMap Create(ResizeOptions options, int input, int output, double scale, double roiStart = 0, double roiEnd = 1)
    {
        int taps = options.Filter == ResizeFilter.Cubic ? 4 : 2;
        var nearest = new int[output];
        var index = new int[output * taps];
        var weight = new float[output * taps];
        bool[]? outside = null;
        int last = Math.Max(0, input - 1);
        // ONNX measures the resized length as input * scale (unrounded), which matters when scales are given.
        double length = Math.Abs(input * scale - output) < 1e-9 ? output : input * scale;
        for (int o = 0; o < output; o++)
        {
            double x = options.CoordinateMode switch
            {
                "asymmetric" => o / scale,
                "align_corners" => length == 1 ? 0 : o * (input - 1.0) / (length - 1.0),
                "pytorch_half_pixel" => output > 1 ? (o + 0.5) / scale - 0.5 : 0,
                "tf_half_pixel_for_nn" => (o + 0.5) / scale,
                "tf_crop_and_resize" => CropCoordinate(o, input, output, (float)roiStart, (float)roiEnd),
                _ => (o + 0.5) / scale - 0.5,
            };
            if (options.CoordinateMode == "tf_crop_and_resize" && (x < 0 || x > input - 1))
                (outside ??= new bool[output])[o] = true;
            double n = options.NearestMode switch
            {
                "floor" => Math.Floor(x),
                "ceil" => Math.Ceiling(x),
                "round_prefer_ceil" => Math.Floor(x + 0.5),
                _ => x == Math.Floor(x) + 0.5 ? Math.Floor(x) : Math.Round(x), // round half down
            };
            nearest[o] = (int)Math.Clamp(n, 0, last);
            if (options.Filter == ResizeFilter.Cubic)
            {
                Cubic(x, input, options.CubicA, options.ExcludeOutside, index.AsSpan(o * 4, 4), weight.AsSpan(o * 4, 4));
            }
            else
            {
                double c = Math.Clamp(x, 0, last);
                int low = (int)Math.Floor(c);
                index[o * 2] = low;
                index[o * 2 + 1] = Math.Min(low + 1, last);
                weight[o * 2 + 1] = (float)(c - low);
                weight[o * 2] = 1 - weight[o * 2 + 1];
            }
        }
        return new ResizeAxisMap { Nearest = nearest, Taps = taps, Index = index, Weight = weight, Outside = outside };
    }

    /// <summary>tf_crop_and_resize's source coordinate in float32, in ONNX Runtime's order of operations: a box edge
    /// that lands on x.5 must round as it does there (in double, 0.3f · 5 is just above 1.5).</summary>
    private static float CropCoordinate(int o, int input, int output, float start, float end)
    {
        float lengthIn = input - 1, lengthOut = output - 1;
        return output > 1 ? start * lengthIn + o * (end - start) * lengthIn / lengthOut : 0.5f * (start + end) * lengthIn;
    }

    /// <summary>Keys' cubic convolution with parameter a over the 4 neighbours floor(x)-1 .. floor(x)+2.</summary>
    private static void Cubic(double x, int input, double a, bool excludeOutside, Span<int> index, Span<float> weight)
    {
        double x0 = Math.Floor(x), t = x - x0;
        Span<double> w = stackalloc double[4];
        for (int k = 0; k < 4; k++)
        {
            double d = Math.Abs(t - (k - 1)); // distance from x to tap floor(x) + k - 1
            w[k] = d <= 1 ? ((a + 2) * d - (a + 3)) * d * d + 1
                 : d < 2 ? ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
                 : 0;
        }
        double sum = 0;
        for (int k = 0; k < 4; k++)
        {
            long i = (long)x0 + k - 1;
            if (excludeOutside && (i < 0 || i >= input)) w[k] = 0;
            sum += w[k];
            index[k] = (int)Math.Clamp(i, 0, Math.Max(0, input - 1));
        }
        for (int k = 0; k < 4; k++) weight[k] = (float)(excludeOutside && sum != 0 ? w[k] / sum : w[k]);
    }
}
