using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// QLinearAdd and QLinearMul (com.microsoft, as ONNX Runtime's quantiser writes them; also what QDQ Add/Mul become):
/// inputs A, A_scale, A_zero_point?, B, B_scale, B_zero_point?, C_scale, C_zero_point?, numpy broadcasting of A and B,
/// output in A's 8-bit type. The reference formula (ONNX's DequantizeLinear → Add/Mul → QuantizeLinear in float32,
/// which MLAS's scalar path also computes): C = saturate(round_half_even((DQ(A) op DQ(B)) / C_scale) + C_zero_point)
/// with DQ(x) = x_scale · (x - x_zero_point). Scales and zero points are per tensor. This project's optional
/// output_min/output_max attributes clamp C further (a folded Relu/Clip).
/// </summary>
internal sealed class QLinearBinaryOperator(string opType) : IOperator
{
    public string OpType => opType;

    public TensorType[] InferOutputs(OpContext context)
    {
        var (a, b) = Check(context);
        return [new TensorType(a.Type, Shape.Broadcast(a.Dims, b.Dims))];
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var (a, b) = Check(context);
        var plan = BroadcastPlan.Create(outputs[0].Dims, a.Dims, b.Dims);
        // The folded Relu/Clip of a QDQ "Add -> Relu -> Q" (QdqElementwiseFusion): bounds on the quantised output.
        var (typeMin, typeMax) = QuantizedParameters.Range(a.Type);
        int min = (int)Math.Clamp(context.Attributes.GetInt(QuantizedConvOperator.OutputMinAttribute, typeMin), typeMin, typeMax);
        int max = (int)Math.Clamp(context.Attributes.GetInt(QuantizedConvOperator.OutputMaxAttribute, typeMax), typeMin, typeMax);
        if (min > max)
            throw new ShapeException($"{context.OpType}: output clamp [{min}, {max}] is empty; output_min must not exceed output_max");
        return new QLinearBinaryKernel(plan, a.Type, opType == OpTypes.QLinearMul, min, max);
    }

    private static (TensorType A, TensorType B) Check(OpContext context)
    {
        var a = QuantizedOperands.EightBit(context, 0, "A");
        var b = QuantizedOperands.EightBit(context, 3, "B");
        if (b.Type != a.Type)
            throw new ShapeException($"{context.OpType}: A {a} and B {b} must have the same type");
        QuantizedOperands.ScaleCount(context, 1, "A_scale", 1, "tensor");
        QuantizedOperands.ZeroPointCount(context, 2, "A_zero_point", a.Type, 1, "tensor");
        QuantizedOperands.ScaleCount(context, 4, "B_scale", 1, "tensor");
        QuantizedOperands.ZeroPointCount(context, 5, "B_zero_point", a.Type, 1, "tensor");
        QuantizedOperands.ScaleCount(context, 6, "C_scale", 1, "tensor");
        QuantizedOperands.ZeroPointCount(context, 7, "C_zero_point", a.Type, 1, "tensor");
        return (a, b);
    }
}
