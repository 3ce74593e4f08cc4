using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// BatchNormalization (inference): Y = (X - mean) / sqrt(var + epsilon) * scale + B, per channel (axis 1 for NCHW,
/// the last axis for NHWC). With constant parameters the per-channel multiplier and shift are folded once.
/// </summary>
internal sealed class BatchNormalizationOperator : IOperator
{
    public string OpType => OpTypes.BatchNormalization;

    public TensorType[] InferOutputs(OpContext context)
    {
        string op = OpType;
        var x = NeuralNetAttributes.RequireFloat(context, 0, "X");
        if (x.Rank < 2) throw new ShapeException($"{op}: X must have rank at least 2, got {x}");
        if (context.OutputCount > 1 || context.Attributes.GetInt("training_mode", 0) != 0)
            throw new ShapeException($"{op}: training mode (running mean / variance outputs) is not supported; only inference");
        int channels = NeuralNetAttributes.ChannelDim(x.Dims, NeuralNetAttributes.ChannelsLast(context));
        string[] names = ["scale", "B", "mean", "var"];
        for (int i = 1; i <= 4; i++)
        {
            var p = NeuralNetAttributes.RequireFloat(context, i, names[i - 1]);
            if (p.Rank != 1 || p.Dims[0] != channels)
                throw new ShapeException($"{op}: {names[i - 1]} {p} must be 1-D with {channels} values (one per channel of X {x})");
        }
        return [new TensorType(DataType.Float32, (int[])x.Dims.Clone())];
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        bool channelsLast = NeuralNetAttributes.ChannelsLast(context);
        int channels = NeuralNetAttributes.ChannelDim(x.Dims, channelsLast);
        long inner = channelsLast ? 1 : x.ElementCount / ((long)x.Dims[0] * channels);
        float epsilon = context.Attributes.GetFloat("epsilon", 1e-5f);
        AlignedBuffer? folded = null;
        if (context.Constant(1) is { } s && context.Constant(2) is { } b && context.Constant(3) is { } m && context.Constant(4) is { } v)
        {
            folded = new AlignedBuffer(2L * channels);
            ChannelAffineKernel.Fold(s.ToFloatArray(), b.ToFloatArray(), m.ToFloatArray(), v.ToFloatArray(), epsilon, folded.Span);
        }
        return new ChannelAffineKernel(x.ElementCount, channels, inner, epsilon, folded);
    }
}
