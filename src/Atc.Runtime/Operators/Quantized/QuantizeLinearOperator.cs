using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels.Int8;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// QuantizeLinear (ONNX): y = saturate(round_half_even(x / y_scale) + y_zero_point), per tensor or per axis ("axis",
/// default 1). The output type is the zero point's, else "output_dtype", else uint8. Blocked quantisation
/// (block_size) and the float8/int4 types are not supported.
/// </summary>
internal sealed class QuantizeLinearOperator : IOperator
{
    public string OpType => OpTypes.QuantizeLinear;

    public TensorType[] InferOutputs(OpContext context) => [new TensorType(Resolve(context).Output, context.Input(0).Dims)];

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var (axis, type) = Resolve(context);
        var x = context.Input(0);
        return new QuantizeLinearKernel(x.ElementCount, QuantizedParameters.Inner(x.Dims, axis), axis < 0 ? 1 : x.Dims[axis],
            context.HasInput(2), type);
    }

    private static (int Axis, DataType Output) Resolve(OpContext context)
    {
        string op = context.OpType;
        var x = context.Input(0);
        if (x.Type != DataType.Float32) throw new ShapeException($"{op}: x must be float32, got {x}");
        var scale = context.Input(1);
        if (scale.Type != DataType.Float32) throw new ShapeException($"{op}: y_scale must be float32, got {scale}");
        if (context.Attributes.GetInt("block_size", 0) != 0)
            throw new ShapeException($"{op}: blocked quantisation (block_size = {context.Attributes.GetInt("block_size", 0)}) is not supported");
        long axisAttribute = context.Attributes.GetInt("axis", 1);
        int axis = QuantizedParameters.Axis(context, x, scale, "y_scale", axisAttribute);
        DataType output = DataType.UInt8;
        if (context.HasInput(2))
        {
            var zeroPoint = context.Input(2);
            if (!zeroPoint.Dims.AsSpan().SequenceEqual(scale.Dims) && zeroPoint.ElementCount != scale.ElementCount)
                throw new ShapeException($"{op}: y_zero_point {zeroPoint} must have the shape of y_scale {scale}");
            output = zeroPoint.Type;
        }
        else if (context.Attributes.Has("output_dtype") && context.Attributes.GetInt("output_dtype", 0) != 0)
            output = (DataType)context.Attributes.GetInt("output_dtype", 0);
        if (!QuantizedParameters.IsEightBit(output))
            throw new ShapeException($"{op}: output type {output.Name()} is not supported (uint8 or int8)");
        return (axis, output);
    }
}

internal sealed unsafe class QuantizeLinearKernel(long count, long inner, int axisSize, bool hasZeroPoint, DataType type) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (float*)args.Inputs[0];
        var scale = (float*)args.Inputs[1];
        nint zeroPoint = hasZeroPoint ? args.Inputs[2] : 0;
        var (min, max) = QuantizedParameters.Range(type);
        nint y = args.Outputs[0];
        long start = 0;
        if (inner == 0 && Int8Conversions.Available)
            start = Int8Conversions.Quantize(x, scale[0], zeroPoint == 0 ? 0 : QuantizedParameters.Read(zeroPoint, type, 0), min, max,
                type == DataType.Int8, (byte*)y, count);
        for (long i = start; i < count; i++)
        {
            long c = QuantizedParameters.Slice(i, inner, axisSize);
            int zp = zeroPoint == 0 ? 0 : QuantizedParameters.Read(zeroPoint, type, c);
            QuantizedParameters.Write(y, type, i, QuantizedParameters.RoundAndSaturate(x[i] / scale[c], zp, min, max));
        }
    }
}
