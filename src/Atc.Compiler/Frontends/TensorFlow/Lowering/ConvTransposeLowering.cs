using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>
/// Conv2DBackpropInput(input_sizes, filter [kh, kw, I, O], out_backprop) is the gradient of a forward Conv2D whose
/// input has shape input_sizes: a ConvTranspose from O to I channels with the forward conv's geometry. The forward
/// padding fixes the pads: SAME puts ⌊total/2⌋ before, VALID none, EXPLICIT the given pairs. The transposed conv's
/// full length (out-1)·stride + (k-1)·dilation + 1 is then cropped to input_sizes (pads at the end), or extended by
/// output_padding when the forward conv dropped trailing input rows.
/// </summary>
internal static class ConvTransposeLowering
{
    public static void Register(Dictionary<string, TfLowering> table) => table["Conv2DBackpropInput"] = Conv2DBackpropInput;

    private static void Conv2DBackpropInput(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 3);
        var format = TfDataFormat.Of(node);
        var sizes = c.ConstInts(node, 0, "input_sizes");
        if (sizes.Length != 4 || sizes.Any(s => s < 1))
            throw new AtcException(AtcErrors.InvalidModel("the input_sizes of node [" + node.Name + "] (" + node.Op + ") are ["
                + string.Join(",", sizes) + "], expected 4 positive values in " + format.Layout + " order"));
        var filter = c.Input(node, 1);
        var f = filter.Constant ?? throw new TfUnsupportedException(node.Op + " (non-constant filter)");
        NeuralNetLowerings.RequireRank4(node, f);
        int channelAxis = format.Layout == "NHWC" ? 3 : 1;
        if (f.Dims[2] != sizes[channelAxis])
            throw new AtcException(AtcErrors.InvalidModel("the filter of node [" + node.Name + "] (" + node.Op + ") has shape "
                + Shape.Format(f.Dims) + " with " + f.Dims[2] + " input channels, but input_sizes [" + string.Join(",", sizes)
                + "] has " + sizes[channelAxis]));

        var strides = format.Spatial(node, "strides", node.RequireInts("strides"));
        var dilations = format.Spatial(node, "dilations", node.GetInts("dilations", [1, 1, 1, 1]));
        if (strides.Concat(dilations).Any(v => v < 1))
            throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] (" + node.Op + ") has strides ["
                + string.Join(",", strides) + "] and dilations [" + string.Join(",", dilations) + "]; both must be positive"));
        long[] size = [sizes[format.HeightAxis], sizes[format.WidthAxis]];
        long[] kernel = [f.Dims[0], f.Dims[1]];
        var (forwardBegin, forwardEnd) = ForwardPads(node, format, size, kernel, strides, dilations);

        var padsBegin = new long[2];
        var padsEnd = new long[2];
        var outputPadding = new long[2];
        var outBackprop = c.Input(node, 2);
        for (int i = 0; i < 2; i++)
        {
            long span = (kernel[i] - 1) * dilations[i] + 1;
            long padded = size[i] + forwardBegin[i] + forwardEnd[i];
            if (padded < span)
                throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] (" + node.Op + ") has a " + kernel[i]
                    + "-tap filter (dilation " + dilations[i] + ") wider than its padded input size " + padded));
            long outSize = (padded - span) / strides[i] + 1;
            int axis = i == 0 ? format.HeightAxis : format.WidthAxis;
            if (outBackprop.Shape is { Length: 4 } o && o[axis] >= 0 && o[axis] != outSize)
                throw new AtcException(AtcErrors.InvalidModel("the out_backprop of node [" + node.Name + "] (" + node.Op
                    + ") has size " + o[axis] + " on axis " + axis + ", but the forward conv of input_sizes ["
                    + string.Join(",", sizes) + "] gives " + outSize));
            long full = (outSize - 1) * strides[i] + span;
            long end = full - forwardBegin[i] - size[i];
            padsBegin[i] = forwardBegin[i];
            padsEnd[i] = Math.Max(0, end);
            outputPadding[i] = Math.Max(0, -end);
        }

        var weights = c.Derived(filter, "OIHW", () => c.Constant(filter.Name + "/OIHW", TfConstantLayout.Transpose(f, [3, 2, 0, 1])));
        var attributes = new OpAttributes()
            .Set("layout", format.Layout)
            .Set("strides", strides)
            .Set("dilations", dilations)
            .Set("auto_pad", "NOTSET")
            .Set("pads", new[] { padsBegin[0], padsBegin[1], padsEnd[0], padsEnd[1] })
            .Set("output_padding", outputPadding)
            .Set("group", 1L);
        c.Emit(node, OpTypes.ConvTranspose, [outBackprop, weights], outBackprop.Type, attributes);
    }

    /// <summary>The forward conv's (begin, end) padding of H and W under TensorFlow's rules.</summary>
    private static (long[] Begin, long[] End) ForwardPads(TfNode node, TfDataFormat format, long[] size, long[] kernel, long[] strides, long[] dilations)
    {
        var probe = new OpAttributes();
        TfPadding.Apply(node, format, probe);
        switch (probe.GetString("auto_pad", "NOTSET"))
        {
            case "VALID":
                return ([0, 0], [0, 0]);
            case "SAME_UPPER":
                var begin = new long[2];
                var end = new long[2];
                for (int i = 0; i < 2; i++)
                {
                    long outSize = (size[i] + strides[i] - 1) / strides[i];
                    long total = Math.Max(0, (outSize - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size[i]);
                    begin[i] = total / 2;
                    end[i] = total - begin[i];
                }
                return (begin, end);
            default:
                var pads = probe.GetInts("pads", []);
                if (pads.Any(p => p < 0))
                    throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] (" + node.Op + ") has explicit_paddings with a negative value"));
                return ([pads[0], pads[1]], [pads[2], pads[3]]);
        }
    }
}
