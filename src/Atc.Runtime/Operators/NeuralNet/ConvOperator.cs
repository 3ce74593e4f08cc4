using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>The resolved form of one Conv node: geometry, fused activation, which optional inputs are present, and
/// where in its output tensor the result goes (<see cref="ChannelSlice"/>).</summary>
internal sealed record ConvSetup(ConvGeometry Geometry, Activation Activation, bool HasBias, bool HasResidual, TensorType Output)
{
    /// <summary>Channels [Offset, Offset + O) of a channels-last output with Total channels per pixel.</summary>
    public ChannelSlice Slice { get; init; } = new(0, Geometry.OutChannels);
    public bool WritesSlice => Slice.Offset != 0 || Slice.Total != Geometry.OutChannels;
}

/// <summary>Where a conv's O channels sit in each pixel of its output: an in-place Concat (see OpTypes.Conv).</summary>
internal readonly record struct ChannelSlice(int Offset, int Total);

/// <summary>
/// Conv: X, W [O, C/group, k...], optional B [O], optional residual (shape of Y) → Y = act(conv(X, W) + B + residual).
/// Picks a kernel per shape: depthwise (dedicated loops), 1-4 output channels in either layout (vectorised over
/// output pixels, <see cref="ConvPixelVectorKernel"/>), channels-last with 1-4 input channels (direct convolution,
/// <see cref="ConvStemKernel"/>), narrow groups (grouped convs, few outputs: <see cref="ConvNarrowGroupKernel"/>, when
/// <see cref="ConvKernelCostModel"/> prefers it), other channels-last (indirect GEMM over pixels), channels-first 1x1 (weights x
/// image), other channels-first convs (transposed to channels-last and back).
/// </summary>
internal sealed class ConvOperator : IOperator
{
    /// <summary>Below this many output pixels a channels-first 1x1 conv is faster transposed to channels-last.</summary>
    private const int MinPixelsForChannelsFirstGemm = 256;

    public string OpType => OpTypes.Conv;

    public TensorType[] InferOutputs(OpContext context) => [Resolve(context).Output];

    /// <summary>
    /// One list for every conv. A conv writing a channel slice of a wider output (an in-place Concat) is written in
    /// place by the Winograd and channels-last GEMM kernels (their output row stride is the slice's total); the stem
    /// kernel does not write slices, so it is skipped; the depthwise kernel computes into scratch that is then copied.
    /// </summary>
    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
        => PostActivationKernel.Wrap(context, CreateGemmOrDirectKernel(context), outputs[0]);

    private static IKernel CreateGemmOrDirectKernel(OpContext context)
    {
        var setup = Resolve(context);
        var isa = KernelIsa.Current;
        var weights = ConstantWeights.Of(context, 1);
        if (DepthwiseConvKernel.Supports(setup.Geometry))
        {
            var whole = setup with { Slice = new(0, setup.Geometry.OutChannels) };
            var depthwise = new DepthwiseConvKernel(whole, weights?.ToFloatArray(), isa);
            return setup.WritesSlice ? new ConvIntoSliceKernel(setup, depthwise) : depthwise;
        }
        if (weights is not null && ConvWinogradKernel.Choose(setup.Geometry) is { } tile) return new ConvWinogradKernel(setup, weights, isa, tile);
        // Few output channels: vectorised over pixels. Its weights are re-laid at creation (at most 4 output
        // channels), so they stay raw in the file.
        if (weights is not null && !setup.WritesSlice && ConvKernelCostModel.PrefersPixelVectors(setup.Geometry))
            return new ConvPixelVectorKernel(setup, weights.ToFloatArray(), isa);
        // Its weights are re-laid per vector width at creation (small: K = 1-4 channels x taps), so they stay raw in the file.
        if (weights is not null && !setup.WritesSlice && ConvStemKernel.Supports(setup.Geometry, constantWeights: true))
            return new ConvStemKernel(setup, weights.ToFloatArray(), isa);
        if (weights is not null && ConvNarrowGroupKernel.Supports(setup.Geometry, constantWeights: true)
            && ConvKernelCostModel.PrefersNarrowGroupDirect(setup.Geometry))
            return new ConvNarrowGroupKernel(setup, weights, isa);
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

        var slice = ReadSlice(context, outChannels, channelsLast, hasResidual, ref output);

        var geometry = ConvGeometry.FromSpatial(x.Dims[0], channels, outChannels, group, channelsLast,
            spatial, window.Output, kernel, window.Strides, window.Dilations, window.PadsBegin);
        return new ConvSetup(geometry, NeuralNetAttributes.ReadActivation(context), hasBias, hasResidual, output) { Slice = slice };
    }

    /// <summary>
    /// "concat_channels" / "concat_offset" and the optional 5th input "into": the conv writes channels
    /// [offset, offset + O) of a channels-last output with concat_channels channels, the rest coming from "into".
    /// </summary>
    private static ChannelSlice ReadSlice(OpContext context, int outChannels, bool channelsLast, bool hasResidual, ref TensorType output)
    {
        string op = context.OpType;
        long total = context.Attributes.GetInt("concat_channels", 0);
        long offset = context.Attributes.GetInt("concat_offset", 0);
        bool hasInto = context.HasInput(4);
        if (total == 0 && offset == 0 && !hasInto) return new ChannelSlice(0, outChannels);
        if (!channelsLast)
            throw new ShapeException($"{op}: concat_channels / concat_offset / 'into' need layout \"NHWC\"");
        if (hasResidual)
            throw new ShapeException($"{op}: a residual input cannot be combined with concat_channels");
        if (total < outChannels || total > int.MaxValue || offset < 0 || offset + outChannels > total)
            throw new ShapeException($"{op}: channels [{offset}, {offset + outChannels}) do not fit in concat_channels {total}");
        var dims = output.Dims.ToArray();
        dims[^1] = (int)total;
        output = new TensorType(DataType.Float32, dims);
        if (hasInto)
        {
            var into = NeuralNetAttributes.RequireFloat(context, 4, "into");
            if (!into.Dims.AsSpan().SequenceEqual(dims))
                throw new ShapeException($"{op}: 'into' {into} must have the output's shape {Shape.Format(dims)}");
        }
        return new ChannelSlice((int)offset, (int)total);
    }
}
