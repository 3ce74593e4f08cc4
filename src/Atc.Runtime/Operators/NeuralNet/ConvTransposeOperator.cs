using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// ConvTranspose: X [N, C_in, ...], W [C_in, C_out/group, k...], optional B [C_out]. Output size per axis is
/// stride*(in-1) + output_padding + (k-1)*dilation + 1 - pad_begin - pad_end, or "output_shape" (pads derived:
/// SAME_UPPER puts the extra padding at the end, otherwise at the beginning), or in*stride for SAME_*.
/// </summary>
internal sealed class ConvTransposeOperator : IOperator
{
    public string OpType => OpTypes.ConvTranspose;

    public TensorType[] InferOutputs(OpContext context) => [Resolve(context).Output];

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
        => new ConvTransposeKernel(Resolve(context), context.Constant(1)?.ToFloatArray(), KernelIsa.Current);

    /// <summary>Geometry seen from the forward conv: In* are ConvTranspose's output, Out* its input.</summary>
    internal static ConvSetup Resolve(OpContext context)
    {
        string op = context.OpType;
        var inputs = ConvInputs.Read(context, "[C_in, C_out/group, k...]");
        var (x, w, channelsLast, group, channels) = inputs;
        if (w.Dims[0] != channels)
            throw new ShapeException($"{op}: channel mismatch: X has {channels} channels, W {w} expects {w.Dims[0]} (W dim 0)");
        int outChannels = w.Dims[1] * group;
        if (outChannels < 1) throw new ShapeException($"{op}: W {w} has no output channels");

        int rank = x.Rank - 2;
        int[] kernel = inputs.Kernel(context);
        int[] input = NeuralNetAttributes.SpatialDims(x.Dims, channelsLast);
        int[] strides = NeuralNetAttributes.PerAxis(context, "strides", rank, 1, 1);
        int[] dilations = NeuralNetAttributes.PerAxis(context, "dilations", rank, 1, 1);
        int[] outputPadding = NeuralNetAttributes.PerAxis(context, "output_padding", rank, 0, 0);
        for (int i = 0; i < rank; i++)
            if (outputPadding[i] >= Math.Max(strides[i], dilations[i]))
                throw new ShapeException($"{op}: output_padding {outputPadding[i]} on axis {i} must be smaller than the stride {strides[i]} or the dilation {dilations[i]}");

        string autoPad = context.Attributes.GetString("auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER"))
            throw new ShapeException($"{op}: auto_pad '{autoPad}' is not supported; use NOTSET, VALID, SAME_UPPER or SAME_LOWER");
        var (padsBegin, padsEnd) = SpatialWindow.ExplicitPads(context, rank, autoPad == "NOTSET");
        long[] outputShape = context.Attributes.GetInts("output_shape", []);
        if (outputShape.Length != 0 && outputShape.Length != rank && outputShape.Length != rank + 2)
            throw new ShapeException($"{op}: output_shape {Shape.Format(outputShape)} must give the {rank} spatial sizes");
        var output = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            long natural = (long)strides[i] * (input[i] - 1) + outputPadding[i] + (long)(kernel[i] - 1) * dilations[i] + 1;
            if (outputShape.Length != 0 || autoPad is "SAME_UPPER" or "SAME_LOWER")
            {
                long size = outputShape.Length != 0 ? outputShape[outputShape.Length - rank + i] : (long)input[i] * strides[i];
                if (size < 1) throw new ShapeException($"{op}: output size {size} on axis {i} must be positive");
                long total = natural - size;
                // ONNX halves with floor division: a negative total (output larger than natural) pads the end.
                long half = total >= 0 ? total / 2 : -((-total + 1) / 2);
                padsBegin[i] = (int)(autoPad == "SAME_UPPER" ? half : total - half);
                padsEnd[i] = (int)(total - padsBegin[i]);
                output[i] = (int)size;
            }
            else
            {
                long size = natural - padsBegin[i] - padsEnd[i];
                if (size < 1)
                    throw new ShapeException($"{op}: pads {padsBegin[i]}+{padsEnd[i]} on axis {i} leave no output (full size {natural})");
                output[i] = checked((int)size);
            }
        }

        var outDims = NeuralNetAttributes.MakeDims(x.Dims[0], outChannels, output, channelsLast);
        bool hasBias = context.HasInput(2);
        if (hasBias)
        {
            var b = NeuralNetAttributes.RequireFloat(context, 2, "B");
            if (b.Rank != 1 || b.Dims[0] != outChannels)
                throw new ShapeException($"{op}: bias B {b} must be 1-D with {outChannels} values (one per output channel)");
        }
        // Forward-conv view: "in" is the ConvTranspose output (scatter target), "out" its input pixels.
        var geometry = ConvGeometry.FromSpatial(x.Dims[0], outChannels, channels, group, channelsLast,
            output, input, kernel, strides, dilations, padsBegin);
        return new ConvSetup(geometry, Activation.None, hasBias, false, new TensorType(DataType.Float32, outDims));
    }
}
