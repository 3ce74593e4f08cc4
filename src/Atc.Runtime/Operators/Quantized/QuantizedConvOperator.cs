using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.MicroKernels.Int8;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// ConvInteger (x, w, optional x_zero_point, w_zero_point → int32) and QLinearConv (x, x_scale, x_zero_point, w,
/// w_scale, w_zero_point, y_scale, y_zero_point, optional int32 B → y_zero_point's type), channels first with Conv's
/// attributes (kernel_shape, strides, dilations, pads, auto_pad, group). x's zero point is per tensor; w's scale and
/// zero point per tensor or per output channel.
/// </summary>
internal sealed class QuantizedConvOperator(string opType) : IOperator
{
    public string OpType => opType;

    private bool Linear => opType == OpTypes.QLinearConv;

    public TensorType[] InferOutputs(OpContext context) => [Resolve(context).Output];

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var spec = Resolve(context).Spec;
        // A Relu/Clip that QdqFusion folded into the group: the output's quantised bounds.
        var clamp = ((int)Math.Clamp(context.Attributes.GetInt(OutputMinAttribute, int.MinValue), int.MinValue, int.MaxValue),
            (int)Math.Clamp(context.Attributes.GetInt(OutputMaxAttribute, int.MaxValue), int.MinValue, int.MaxValue));
        spec = spec with { OutputClamp = clamp };
        var g = spec.Geometry;
        if (!g.ChannelsLast) return new QuantizedConvKernel(spec, context, Int8Paths.Current);
        return g.Groups > 1 && g.InChannelsPerGroup == 1 && g.OutChannelsPerGroup == 1
            ? new QuantizedDepthwiseNhwcKernel(spec, context, Int8Paths.Current)
            : new QuantizedConvNhwcKernel(spec, context, Int8Paths.Current);
    }

    /// <summary>Optional attributes of QLinearConv set by the compiler for a folded Relu/Clip: the lowest and highest
    /// quantised output value.</summary>
    public const string OutputMinAttribute = "output_min", OutputMaxAttribute = "output_max";

    private (QuantizedConvSpec Spec, TensorType Output) Resolve(OpContext context)
    {
        string op = context.OpType;
        int xInput = 0, wInput = Linear ? 3 : 1;
        var x = QuantizedOperands.EightBit(context, xInput, "x");
        var w = QuantizedOperands.EightBit(context, wInput, "w");
        if (x.Rank < 3 || x.Rank > 5) throw new ShapeException($"{op}: x must have rank 3 to 5, got {x}");
        // The compiler runs 2-D convs channels last (layout "NHWC": x [N, H, W, C], y [N, OH, OW, O], w still OIHW).
        bool channelsLast = NeuralNetAttributes.ChannelsLast(context);
        if (channelsLast && x.Rank != 4) throw new ShapeException($"{op}: layout NHWC needs a 4-D x, got {x}");
        if (w.Rank != x.Rank) throw new ShapeException($"{op}: w {w} must have the rank of x {x} ([O, C/group, k...])");
        long groupAttribute = context.Attributes.GetInt("group", 1);
        if (groupAttribute < 1 || groupAttribute > int.MaxValue) throw new ShapeException($"{op}: group {groupAttribute} must be at least 1");
        int group = (int)groupAttribute, channels = channelsLast ? x.Dims[^1] : x.Dims[1], outChannels = w.Dims[0];
        if (channels % group != 0 || w.Dims[1] * group != channels)
            throw new ShapeException($"{op}: x has {channels} channels, w {w} expects {w.Dims[1]} x group {group}");
        if (outChannels < 1 || outChannels % group != 0)
            throw new ShapeException($"{op}: output channels {outChannels} must be a positive multiple of group {group}");
        int[] kernel = w.Dims[2..];
        long[] kernelAttribute = context.Attributes.GetInts("kernel_shape", []);
        if (kernelAttribute.Length != 0 && !kernelAttribute.SequenceEqual(kernel.Select(k => (long)k)))
            throw new ShapeException($"{op}: kernel_shape {Shape.Format(kernelAttribute)} does not match w's spatial dims {Shape.Format(kernel)}");
        int[] spatial = channelsLast ? x.Dims[1..^1] : x.Dims[2..];
        var window = SpatialWindow.Resolve(context, spatial, kernel, ceilMode: false);
        var geometry = ConvGeometry.FromSpatial(x.Dims[0], channels, outChannels, group, channelsLast, spatial, window.Output, kernel,
            window.Strides, window.Dilations, window.PadsBegin);
        int[] outDims = channelsLast ? [x.Dims[0], .. window.Output, outChannels] : [x.Dims[0], outChannels, .. window.Output];

        if (!Linear)
        {
            QuantizedOperands.ZeroPointCount(context, 2, "x_zero_point", x.Type, 1, "tensor");
            int wZeros = QuantizedOperands.ZeroPointCount(context, 3, "w_zero_point", w.Type, outChannels, "output channel");
            var spec = new QuantizedConvSpec(geometry, x.Type, w.Type, xInput, wInput, context.HasInput(2) ? 2 : -1,
                context.HasInput(3) ? 3 : -1, wZeros);
            return (spec, new TensorType(DataType.Int32, outDims));
        }

        QuantizedOperands.ScaleCount(context, 1, "x_scale", 1, "tensor");
        QuantizedOperands.ZeroPointCount(context, 2, "x_zero_point", x.Type, 1, "tensor");
        int wScales = QuantizedOperands.ScaleCount(context, 4, "w_scale", outChannels, "output channel");
        int wZeroCount = QuantizedOperands.ZeroPointCount(context, 5, "w_zero_point", w.Type, outChannels, "output channel");
        QuantizedOperands.ScaleCount(context, 6, "y_scale", 1, "tensor");
        var yZero = QuantizedOperands.EightBit(context, 7, "y_zero_point");
        if (yZero.ElementCount != 1) throw new ShapeException($"{op}: y_zero_point {yZero} must be a scalar");
        if (context.HasInput(8))
        {
            var bias = context.Input(8);
            if (bias.Type != DataType.Int32 || bias.Rank != 1 || bias.Dims[0] != outChannels)
                throw new ShapeException($"{op}: B {bias} must be int32 with {outChannels} values (one per output channel)");
        }
        var linear = new QuantizedConvSpec(geometry, x.Type, w.Type, xInput, wInput, 2, 5, wZeroCount)
        {
            Requantize = (1, 4, wScales, 6, 7, context.HasInput(8) ? 8 : -1, yZero.Type),
        };
        return (linear, new TensorType(yZero.Type, outDims));
    }
}
