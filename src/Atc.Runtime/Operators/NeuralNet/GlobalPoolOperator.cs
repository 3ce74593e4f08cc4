using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>GlobalAveragePool / GlobalMaxPool: reduce every spatial axis to size 1, either layout.</summary>
internal sealed class GlobalPoolOperator(string opType) : IOperator
{
    public string OpType { get; } = opType;

    public TensorType[] InferOutputs(OpContext context)
    {
        var x = NeuralNetAttributes.RequireFloat(context, 0, "X");
        if (x.Rank < 3) throw new ShapeException($"{OpType}: X must have rank at least 3 (batch, channels, spatial...), got {x}");
        bool channelsLast = NeuralNetAttributes.ChannelsLast(context);
        var dims = (int[])x.Dims.Clone();
        for (int i = channelsLast ? 1 : 2; i < (channelsLast ? dims.Length - 1 : dims.Length); i++) dims[i] = 1;
        return [new TensorType(DataType.Float32, dims)];
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        bool channelsLast = NeuralNetAttributes.ChannelsLast(context);
        int channels = NeuralNetAttributes.ChannelDim(x.Dims, channelsLast);
        int pixels = (int)Shape.ElementCount(NeuralNetAttributes.SpatialDims(x.Dims, channelsLast));
        return new GlobalPoolKernel(x.Dims[0], channels, pixels, channelsLast, OpType == OpTypes.GlobalMaxPool, KernelIsa.Current);
    }
}
