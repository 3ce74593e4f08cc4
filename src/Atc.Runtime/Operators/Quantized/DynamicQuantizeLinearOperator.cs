using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// DynamicQuantizeLinear (ONNX): uint8 quantisation of x with a range that always includes 0: scale = (max - min) /
/// 255 (1 when x is all zeros), zero point = saturate(round_half_even(0 - min / scale)), then QuantizeLinear.
/// Outputs y, y_scale (float32 scalar) and y_zero_point (uint8 scalar).
/// </summary>
internal sealed class DynamicQuantizeLinearOperator : IOperator
{
    public string OpType => OpTypes.DynamicQuantizeLinear;

    public TensorType[] InferOutputs(OpContext context)
    {
        var x = context.Input(0);
        if (x.Type != DataType.Float32) throw new ShapeException($"{context.OpType}: x must be float32, got {x}");
        return [new TensorType(DataType.UInt8, x.Dims), new TensorType(DataType.Float32, []), new TensorType(DataType.UInt8, [])];
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs) => new DynamicQuantizeLinearKernel(context.Input(0).ElementCount);
}

internal sealed unsafe class DynamicQuantizeLinearKernel(long count) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (float*)args.Inputs[0];
        float min = 0, max = 0;
        for (long i = 0; i < count; i++)
        {
            min = MathF.Min(min, x[i]);
            max = MathF.Max(max, x[i]);
        }
        float scale = max == min ? 1f : (max - min) / 255f;
        int zeroPoint = (int)MathF.Round(Math.Clamp(0f - min / scale, 0f, 255f));
        var y = (byte*)args.Outputs[0];
        for (long i = 0; i < count; i++) y[i] = (byte)QuantizedParameters.RoundAndSaturate(x[i] / scale, zeroPoint, 0, 255);
        *(float*)args.Outputs[1] = scale;
        *(byte*)args.Outputs[2] = (byte)zeroPoint;
    }
}
