using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// InstanceNormalization: per image and channel, Y = (X - mean) / sqrt(var + epsilon) * scale[c] + B[c], mean and
/// (population) variance over the spatial axes. Attr layout "NCHW" (default, channels at axis 1) or "NHWC" (channels
/// last, any rank ≥ 3), so a channels-last conv chain stays channels-last through it.
/// </summary>
internal sealed class InstanceNormalizationOperator : IOperator
{
    public string OpType => OpTypes.InstanceNormalization;

    public TensorType[] InferOutputs(OpContext context)
    {
        var x = NeuralNetAttributes.RequireFloat(context, 0, "X");
        if (x.Rank < 3) throw new ShapeException($"{OpType}: X must have rank at least 3 (batch, channels, spatial...), got {x}");
        int channels = NeuralNetAttributes.ChannelsLast(context) ? x.Dims[^1] : x.Dims[1];
        string[] names = ["scale", "B"];
        for (int i = 1; i <= 2; i++)
        {
            var p = NeuralNetAttributes.RequireFloat(context, i, names[i - 1]);
            if (p.Rank != 1 || p.Dims[0] != channels)
                throw new ShapeException($"{OpType}: {names[i - 1]} {p} must be 1-D with {channels} values (one per channel of X {x})");
        }
        return [new TensorType(DataType.Float32, (int[])x.Dims.Clone())];
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        float epsilon = context.Attributes.GetFloat("epsilon", 1e-5f);
        if (NeuralNetAttributes.ChannelsLast(context))
            return new InstanceNormalizationNhwcKernel(x.Dims[0], x.ElementCount / ((long)x.Dims[0] * x.Dims[^1]), x.Dims[^1], epsilon);
        long plane = x.ElementCount / ((long)x.Dims[0] * x.Dims[1]);
        return new InstanceNormalizationKernel(x.Dims[0] * x.Dims[1], x.Dims[1], plane, epsilon);
    }
}
