using Atc.Runtime.Kernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>The resolved form of one Conv node: geometry, fused activation, which optional inputs are present.</summary>
internal sealed record ConvSetup(ConvGeometry Geometry, Activation Activation, bool HasBias, bool HasResidual, TensorType Output);

/// <summary>
/// Conv: X, W [O, C/group, k...], optional B [O], optional residual (shape of Y) → Y = act(conv(X, W) + B + residual).
/// Picks a kernel per shape: depthwise (dedicated loops), channels-last with 1-4 input channels (direct convolution,
/// <see cref="ConvStemKernel"/>), other channels-last (indirect GEMM over pixels), channels-first 1x1 (weights x
/// image), other channels-first convs (transposed to channels-last and back).
/// </summary>
internal sealed class ConvOperator : IOperator
{
    /// <summary>Below this many output pixels a channels-first 1x1 conv is faster transposed to channels-last.</summary>
    private const int MinPixelsForChannelsFirstGemm = 256;

    public string OpType => OpTypes.Conv;

    public TensorType[] InferOutputs(OpContext context) => [Resolve(context).Output];

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var setup = Resolve(context);
        var isa = KernelIsa.Current;
        float[]? weights = context.Constant(1)?.ToFloatArray();
        if (DepthwiseConvKernel.Supports(setup.Geometry)) return new DepthwiseConvKernel(setup, weights, isa);
        if (ConvStemKernel.Supports(setup.Geometry, weights is not null)) return new ConvStemKernel(setup, weights!, isa);
        if (setup.Geometry.ChannelsLast) return new ConvNhwcKernel(setup, weights, isa);
        // Channels-first: 1x1 stride-1 convs on large images are a plain GEMM on the image (pixels are the wide
        // GEMM dimension); everything else runs channels-last.
        return setup.Geometry.IsPointwise && setup.Geometry.OutPixels >= MinPixelsForChannelsFirstGemm
            ? new ConvNchwPointwiseKernel(setup, weights, isa)
            : new ConvNchwViaNhwcKernel(setup, weights, isa);
    }

    internal static ConvSetup Resolve(OpContext context)
    {
        string op = context.OpType;
        var inputs = ConvInputs.Read(context, "[O, C/group, k...]");
        var (x, w, channelsLast, group, channels) = inputs;
        int outChannels = w.Dims[0];
        if (w.Dims[1] * group != channels)
            throw new ShapeException($"{op}: channel mismatch: X has {channels} channels, W {w} expects {w.Dims[1]} x group {group} = {w.Dims[1] * group}");
        if (outChannels < 1 || outChannels % group != 0)
            throw new ShapeException($"{op}: output channels {outChannels} (W dim 0) must be a positive multiple of group {group}");
        int[] kernel = inputs.Kernel(context);

        int[] spatial = NeuralNetAttributes.SpatialDims(x.Dims, channelsLast);
        var window = SpatialWindow.Resolve(context, spatial, kernel, ceilMode: false);
        var outDims = NeuralNetAttributes.MakeDims(x.Dims[0], outChannels, window.Output, channelsLast);
        var output = new TensorType(DataType.Float32, outDims);

        bool hasBias = context.HasInput(2);
        if (hasBias)
        {
            var b = NeuralNetAttributes.RequireFloat(context, 2, "B");
            if (b.Rank != 1 || b.Dims[0] != outChannels)
                throw new ShapeException($"{op}: bias B {b} must be 1-D with {outChannels} values (one per output channel)");
        }
        bool hasResidual = context.HasInput(3);
        if (hasResidual)
        {
            var r = NeuralNetAttributes.RequireFloat(context, 3, "residual");
            if (!r.Dims.AsSpan().SequenceEqual(outDims))
                throw new ShapeException($"{op}: residual {r} must have the output's shape {Shape.Format(outDims)}");
        }

        var geometry = ConvGeometry.FromSpatial(x.Dims[0], channels, outChannels, group, channelsLast,
            spatial, window.Output, kernel, window.Strides, window.Dilations, window.PadsBegin);
        return new ConvSetup(geometry, NeuralNetAttributes.ReadActivation(context), hasBias, hasResidual, output);
    }
}
