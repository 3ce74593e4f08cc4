using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// LRN across channels: Y = X / (bias + alpha / size * sum of X^2 over channels [c - (size-1)/2, c + size/2])^beta.
/// Channel axis 1 (NCHW) or last (NHWC).
/// </summary>
internal sealed class LrnOperator : IOperator
{
    public string OpType => OpTypes.LRN;

    public TensorType[] InferOutputs(OpContext context)
    {
        var x = NeuralNetAttributes.RequireFloat(context, 0, "X");
        if (x.Rank < 3) throw new ShapeException($"{OpType}: X must have rank at least 3 (batch, channels, spatial...), got {x}");
        NeuralNetAttributes.ChannelsLast(context);
        Size(context);
        return [new TensorType(DataType.Float32, (int[])x.Dims.Clone())];
    }

    private int Size(OpContext context)
    {
        if (!context.Attributes.Has("size")) throw new ShapeException($"{OpType}: attribute 'size' is required");
        long size = context.Attributes.GetInt("size", 0);
        if (size < 1 || size > int.MaxValue) throw new ShapeException($"{OpType}: size {size} must be at least 1");
        return (int)size;
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        bool channelsLast = NeuralNetAttributes.ChannelsLast(context);
        int channels = NeuralNetAttributes.ChannelDim(x.Dims, channelsLast);
        long pixels = x.ElementCount / ((long)x.Dims[0] * channels);
        var a = context.Attributes;
        return new LrnKernel(x.Dims[0], channels, pixels, channelsLast, Size(context),
            a.GetFloat("alpha", 1e-4f), a.GetFloat("beta", 0.75f), a.GetFloat("bias", 1f));
    }
}
