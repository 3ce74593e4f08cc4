using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// What Conv and ConvTranspose read the same way: float X and W of equal rank 3 to 5, the layout, a valid group and
/// X's channel count (positive, divisible by group). Each operator then checks W's channel axes its own way.
/// </summary>
internal readonly record struct ConvInputs(TensorType X, TensorType W, bool ChannelsLast, int Group, int Channels)
{
    /// <param name="weightLayout">How W's axes read for this op, for the rank error (e.g. "[O, C/group, k...]").</param>
    public static ConvInputs Read(OpContext context, string weightLayout)
    {
        string op = context.OpType;
        var x = NeuralNetAttributes.RequireFloat(context, 0, "X");
        var w = NeuralNetAttributes.RequireFloat(context, 1, "W");
        if (x.Rank < 3 || x.Rank > 5)
            throw new ShapeException($"{op}: X must have rank 3 to 5 (batch, channels and 1 to 3 spatial axes), got {x}");
        if (w.Rank != x.Rank)
            throw new ShapeException($"{op}: W {w} must have the same rank as X {x} ({weightLayout})");
        bool channelsLast = NeuralNetAttributes.ChannelsLast(context);
        long groupAttr = context.Attributes.GetInt("group", 1);
        if (groupAttr < 1 || groupAttr > int.MaxValue) throw new ShapeException($"{op}: group {groupAttr} must be at least 1");
        int group = (int)groupAttr;
        int channels = NeuralNetAttributes.ChannelDim(x.Dims, channelsLast);
        if (channels < 1) throw new ShapeException($"{op}: X {x} has no input channels");
        if (channels % group != 0)
            throw new ShapeException($"{op}: input channels {channels} are not divisible by group {group}");
        return new ConvInputs(x, w, channelsLast, group, channels);
    }

    /// <summary>W's spatial axes, which a "kernel_shape" attribute, when given, must repeat.</summary>
    public int[] Kernel(OpContext context)
    {
        string op = context.OpType;
        int[] kernel = W.Dims[2..];
        if (kernel.Any(k => k < 1)) throw new ShapeException($"{op}: kernel {Shape.Format(kernel)} from W {W} has an empty axis");
        long[] kernelAttr = context.Attributes.GetInts("kernel_shape", []);
        if (kernelAttr.Length != 0 && !kernelAttr.SequenceEqual(kernel.Select(k => (long)k)))
            throw new ShapeException($"{op}: kernel_shape {Shape.Format(kernelAttr)} does not match W's spatial dims {Shape.Format(kernel)}");
        return kernel;
    }
}
