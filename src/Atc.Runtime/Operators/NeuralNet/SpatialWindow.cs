using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// A sliding window over the spatial axes resolved for concrete input sizes: strides, dilations, pads (from "pads"
/// or derived from "auto_pad") and the output sizes. Shared by Conv and the pools.
/// </summary>
internal sealed record SpatialWindow(int[] Kernel, int[] Strides, int[] Dilations, int[] PadsBegin, int[] PadsEnd, int[] Output)
{
    /// <summary>
    /// Bound on the dilated window extent and the padded input size: kernels index the padded input with 32-bit
    /// arithmetic (output * stride - pad + tap * dilation), which stays exact below this.
    /// </summary>
    private const long MaxExtent = int.MaxValue / 2;

    public static SpatialWindow Resolve(OpContext context, int[] input, int[] kernel, bool ceilMode)
    {
        int rank = input.Length;
        int[] strides = NeuralNetAttributes.PerAxis(context, "strides", rank, 1, 1);
        int[] dilations = NeuralNetAttributes.PerAxis(context, "dilations", rank, 1, 1);
        string autoPad = context.Attributes.GetString("auto_pad", "NOTSET");
        var (padsBegin, padsEnd) = ExplicitPads(context, rank, autoPad == "NOTSET");
        var output = new int[rank];

        for (int i = 0; i < rank; i++)
        {
            long extent = (long)(kernel[i] - 1) * dilations[i] + 1;
            if (extent > MaxExtent)
                throw new ShapeException($"{context.OpType}: the window extent {extent} (kernel {kernel[i]}, dilation {dilations[i]}) on spatial axis {i} is larger than any input");
            int s = strides[i];
            switch (autoPad)
            {
                case "NOTSET":
                case "VALID":
                {
                    long span = (long)input[i] + padsBegin[i] + padsEnd[i] - extent;
                    if (span < 0)
                        throw new ShapeException($"{context.OpType}: the window extent {extent} (kernel {kernel[i]}, dilation {dilations[i]}) " +
                            $"is larger than the padded input {(long)input[i] + padsBegin[i] + padsEnd[i]} on spatial axis {i}");
                    long o = (ceilMode ? (span + s - 1) / s : span / s) + 1;
                    // ceil_mode: the last window must start inside the input or the begin padding.
                    if (ceilMode && (o - 1) * s >= input[i] + padsBegin[i]) o--;
                    output[i] = checked((int)o);
                    break;
                }
                case "SAME_UPPER":
                case "SAME_LOWER":
                {
                    int o = (int)(((long)input[i] + s - 1) / s);
                    long total = Math.Max(0, (long)(o - 1) * s + extent - input[i]);
                    if (total > MaxExtent)
                        throw new ShapeException($"{context.OpType}: auto_pad {autoPad} needs {total} padding on spatial axis {i} (kernel {kernel[i]}, dilation {dilations[i]}, stride {s}), more than any input");
                    padsBegin[i] = (int)(autoPad == "SAME_UPPER" ? total / 2 : total - total / 2);
                    padsEnd[i] = (int)total - padsBegin[i];
                    output[i] = o;
                    break;
                }
                default:
                    throw new ShapeException($"{context.OpType}: auto_pad '{autoPad}' is not supported; use NOTSET, VALID, SAME_UPPER or SAME_LOWER");
            }
        }
        return new SpatialWindow(kernel, strides, dilations, padsBegin, padsEnd, output);
    }

    /// <summary>The "pads" attribute (all begins, then all ends), or zeros when auto_pad decides.</summary>
    public static (int[] Begin, int[] End) ExplicitPads(OpContext context, int rank, bool useAttribute)
    {
        var begin = new int[rank];
        var end = new int[rank];
        if (!useAttribute) return (begin, end);
        long[] pads = context.Attributes.GetInts("pads", []);
        if (pads.Length == 0) return (begin, end);
        if (pads.Length != 2 * rank)
            throw new ShapeException($"{context.OpType}: 'pads' has {pads.Length} values {Shape.Format(pads)}, expected {2 * rank} (all begins, then all ends)");
        for (int i = 0; i < 2 * rank; i++)
            if (pads[i] < 0 || pads[i] > int.MaxValue / 4)
                throw new ShapeException($"{context.OpType}: 'pads' value {pads[i]} must be a non-negative size");
        for (int i = 0; i < rank; i++)
        {
            begin[i] = (int)pads[i];
            end[i] = (int)pads[rank + i];
        }
        return (begin, end);
    }
}
