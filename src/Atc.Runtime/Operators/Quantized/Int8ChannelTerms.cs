using Atc.Runtime.MicroKernels.Int8;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>The per-channel int32 offsets and float multipliers of a channels-last int8 conv whose packed weights
/// already had their zero points subtracted (<see cref="Int8PixelWeights"/>).</summary>
internal static unsafe class Int8ChannelTerms
{
    /// <summary>Fills the per-channel terms at slot(o) of arrays of <paramref name="count"/> (the rest 0).
    /// Per channel: offset = bias - (zx + shift) · Σ(w - zw), where shift is 128 for int8 activations (the kernels
    /// read them +128); the multiplier x_scale · w_scale[o] / y_scale. Returns the output's zero point and clamp.</summary>
    public static Int8OutputRange Prepare(QuantizedConvSpec spec, in KernelArgs args, int xZero, int* rowSums, int* offsets,
        float* multipliers, int count, Func<int, int> slot)
    {
        new Span<int>(offsets, count).Clear();
        new Span<float>(multipliers, count).Clear();
        int xTerm = xZero + (spec.XType == DataType.Int8 ? 128 : 0);
        int* bias = null;
        float xScale = 0, yScale = 1;
        float* wScale = null;
        if (spec.Requantize is { } q)
        {
            xScale = *(float*)args.Inputs[q.XScale];
            yScale = *(float*)args.Inputs[q.YScale];
            wScale = (float*)args.Inputs[q.WScale];
            if (q.Bias >= 0 && args.Inputs.Length > q.Bias && args.Inputs[q.Bias] != 0) bias = (int*)args.Inputs[q.Bias];
        }
        bool finite = true;
        for (int o = 0; o < spec.Geometry.OutChannels; o++)
        {
            int at = slot(o);
            offsets[at] = unchecked((bias == null ? 0 : bias[o]) - xTerm * rowSums[o]);
            if (spec.Requantize is { } r)
            {
                multipliers[at] = xScale * wScale[r.WScaleCount == 1 ? 0 : o] / yScale;
                finite &= float.IsFinite(multipliers[at]);
            }
        }
        if (spec.Requantize is not { } requantize) return new Int8OutputRange(0, 0, 0, false, true);
        var (min, max) = QuantizedParameters.Range(requantize.YType);
        int yZero = QuantizedParameters.Read(args.Inputs[requantize.YZero], requantize.YType, 0);
        return new Int8OutputRange(yZero, Math.Max(min, spec.OutputClamp.Min), Math.Min(max, spec.OutputClamp.Max),
            requantize.YType == DataType.Int8, finite);
    }
}
