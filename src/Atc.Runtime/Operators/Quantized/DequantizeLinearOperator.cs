using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels.Int8;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// DequantizeLinear (ONNX): y = float(x - x_zero_point) * x_scale, per tensor or per axis ("axis", default 1), for
/// uint8, int8 and int32 x (int32 has no zero point: a bias). Blocked quantisation is not supported.
/// </summary>
internal sealed class DequantizeLinearOperator : IOperator
{
    public string OpType => OpTypes.DequantizeLinear;

    public TensorType[] InferOutputs(OpContext context)
    {
        Resolve(context);
        return [new TensorType(DataType.Float32, context.Input(0).Dims)];
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        int axis = Resolve(context);
        var x = context.Input(0);
        return new DequantizeLinearKernel(x.ElementCount, QuantizedParameters.Inner(x.Dims, axis), axis < 0 ? 1 : x.Dims[axis],
            context.HasInput(2), x.Type);
    }

    private static int Resolve(OpContext context)
    {
        string op = context.OpType;
        var x = context.Input(0);
        if (x.Type is not (DataType.UInt8 or DataType.Int8 or DataType.Int32))
            throw new ShapeException($"{op}: x must be uint8, int8 or int32, got {x}");
        var scale = context.Input(1);
        if (scale.Type != DataType.Float32) throw new ShapeException($"{op}: x_scale must be float32, got {scale}");
        if (context.Attributes.GetInt("block_size", 0) != 0)
            throw new ShapeException($"{op}: blocked quantisation (block_size = {context.Attributes.GetInt("block_size", 0)}) is not supported");
        int axis = QuantizedParameters.Axis(context, x, scale, "x_scale", context.Attributes.GetInt("axis", 1));
        if (context.HasInput(2))
        {
            var zeroPoint = context.Input(2);
            if (zeroPoint.Type != x.Type) throw new ShapeException($"{op}: x_zero_point {zeroPoint} must have x's type {x.Type.Name()}");
            if (zeroPoint.ElementCount != scale.ElementCount)
                throw new ShapeException($"{op}: x_zero_point {zeroPoint} must have the shape of x_scale {scale}");
        }
        return axis;
    }
}

internal sealed unsafe class DequantizeLinearKernel(long count, long inner, int axisSize, bool hasZeroPoint, DataType type) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        nint x = args.Inputs[0];
        var scale = (float*)args.Inputs[1];
        nint zeroPoint = hasZeroPoint ? args.Inputs[2] : 0;
        var y = (float*)args.Outputs[0];
        long start = 0;
        if (inner == 0 && type != DataType.Int32 && Int8Conversions.Available)
            start = Int8Conversions.Dequantize((byte*)x, type == DataType.Int8, zeroPoint == 0 ? 0 : QuantizedParameters.Read(zeroPoint, type, 0), scale[0], y, count);
        for (long i = start; i < count; i++)
        {
            long c = QuantizedParameters.Slice(i, inner, axisSize);
            int zp = zeroPoint == 0 ? 0 : QuantizedParameters.Read(zeroPoint, type, c);
            y[i] = (QuantizedParameters.Read(x, type, i) - zp) * scale[c];
        }
    }
}
