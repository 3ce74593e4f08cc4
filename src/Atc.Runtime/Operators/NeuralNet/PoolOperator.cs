using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// MaxPool and AveragePool over 1 to 3 spatial axes, either layout: kernel_shape, strides, pads / auto_pad,
/// dilations, ceil_mode, and for AveragePool count_include_pad (0: divide by the taps inside the input). MaxPool's
/// optional second output is Indices (int64, channels-first only, attr storage_order 0 row-major or 1 column-major).
/// </summary>
internal sealed class PoolOperator(string opType) : IOperator
{
    public string OpType { get; } = opType;

    private bool IsMax => OpType == OpTypes.MaxPool;

    public TensorType[] InferOutputs(OpContext context)
    {
        var output = Resolve(context).Output;
        return context.OutputCount == 2 ? [output, new TensorType(DataType.Int64, output.Dims)] : [output];
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var (geometry, window, output) = Resolve(context);
        if (context.OutputCount == 2) return IndicesKernel(context, window, output.Type);
        if (output.Type != DataType.Float32)
        {
            var x = context.Input(0);
            bool channelsLast = NeuralNetAttributes.ChannelsLast(context);
            int[] spatial = NeuralNetAttributes.SpatialDims(x.Dims, channelsLast);
            int channels = NeuralNetAttributes.ChannelDim(x.Dims, channelsLast);
            return output.Type == DataType.UInt8
                ? new IntegerMaxPoolKernel<byte>(x.Dims[0], channels, channelsLast, spatial, window)
                : new IntegerMaxPoolKernel<sbyte>(x.Dims[0], channels, channelsLast, spatial, window);
        }
        bool includePad = context.Attributes.GetInt("count_include_pad", 0) != 0;
        return new PoolKernel(geometry, IsMax, includePad, window);
    }

    private (ConvGeometry Geometry, SpatialWindow Window, TensorType Output) Resolve(OpContext context)
    {
        // MaxPool also takes 8-bit integers (ONNX opset 12); everything else pools float32.
        var x = IsMax && context.Input(0).Type is DataType.UInt8 or DataType.Int8
            ? context.Input(0)
            : NeuralNetAttributes.RequireFloat(context, 0, "X");
        if (x.Rank < 3 || x.Rank > 5)
            throw new ShapeException($"{OpType}: X must have rank 3 to 5 (batch, channels and 1 to 3 spatial axes), got {x}");
        bool channelsLast = NeuralNetAttributes.ChannelsLast(context);
        if (context.OutputCount > 2 || (context.OutputCount == 2 && (!IsMax || channelsLast)))
            throw new ShapeException($"{OpType}: {context.OutputCount} outputs; only MaxPool in channels-first layout has a second (Indices)");
        int[] spatial = NeuralNetAttributes.SpatialDims(x.Dims, channelsLast);
        int[] kernel = KernelShape(context, spatial.Length);
        bool ceilMode = context.Attributes.GetInt("ceil_mode", 0) != 0;
        var window = SpatialWindow.Resolve(context, spatial, kernel, ceilMode);
        int channels = NeuralNetAttributes.ChannelDim(x.Dims, channelsLast);
        var geometry = ConvGeometry.FromSpatial(x.Dims[0], channels, channels, channels, channelsLast,
            spatial, window.Output, kernel, window.Strides, window.Dilations, window.PadsBegin);
        var output = new TensorType(x.Type, NeuralNetAttributes.MakeDims(x.Dims[0], channels, window.Output, channelsLast));
        return (geometry, window, output);
    }

    private static IKernel IndicesKernel(OpContext context, SpatialWindow window, DataType type)
    {
        var x = context.Input(0);
        int[] spatial = NeuralNetAttributes.SpatialDims(x.Dims, channelsLast: false);
        bool columnMajor = context.Attributes.GetInt("storage_order", 0) switch
        {
            0 => false,
            1 => true,
            var other => throw new ShapeException($"MaxPool: storage_order = {other}; it must be 0 (row-major) or 1 (column-major)"),
        };
        return type switch
        {
            DataType.UInt8 => new MaxPoolIndicesKernel<byte>(x.Dims[0], x.Dims[1], spatial, window, columnMajor),
            DataType.Int8 => new MaxPoolIndicesKernel<sbyte>(x.Dims[0], x.Dims[1], spatial, window, columnMajor),
            _ => new MaxPoolIndicesKernel<float>(x.Dims[0], x.Dims[1], spatial, window, columnMajor),
        };
    }

    private int[] KernelShape(OpContext context, int rank)
    {
        if (!context.Attributes.Has("kernel_shape"))
            throw new ShapeException($"{OpType}: attribute 'kernel_shape' is required");
        return NeuralNetAttributes.PerAxis(context, "kernel_shape", rank, 1, 1);
    }
}
