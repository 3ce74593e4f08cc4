using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels.Int8;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// QLinearMatMul (ONNX): inputs a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point. The int32
/// product Σ (a - a_zp)(b - b_zp) is requantised to y's type (y_zero_point's): saturate(round_half_even(acc · a_scale ·
/// b_scale / y_scale) + y_zp). b's scale and zero point may be per column (N entries); the others are per tensor.
/// An optional ninth input, an int32 bias per column, adds to the accumulator first (a QDQ Gemm's bias).
/// </summary>
internal sealed class QLinearMatMulOperator : IOperator
{
    public string OpType => OpTypes.QLinearMatMul;

    public TensorType[] InferOutputs(OpContext context)
    {
        var spec = Resolve(context);
        return [new TensorType(spec.Requantize!.Value.YType, spec.Shape.OutputDims)];
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
        => new QuantizedMatMulKernel(Resolve(context), context, Int8Paths.Current);

    private static QuantizedMatMulSpec Resolve(OpContext context)
    {
        var a = QuantizedOperands.EightBit(context, 0, "a");
        var b = QuantizedOperands.EightBit(context, 3, "b");
        var shape = MatMulOperator.Resolve(context.OpType, a, b);
        QuantizedOperands.ScaleCount(context, 1, "a_scale", 1, "tensor");
        QuantizedOperands.ZeroPointCount(context, 2, "a_zero_point", a.Type, 1, "tensor");
        int bScales = QuantizedOperands.ScaleCount(context, 4, "b_scale", shape.N, "column");
        int bZeros = QuantizedOperands.ZeroPointCount(context, 5, "b_zero_point", b.Type, shape.N, "column");
        QuantizedOperands.ScaleCount(context, 6, "y_scale", 1, "tensor");
        var yZero = QuantizedOperands.EightBit(context, 7, "y_zero_point");
        if (yZero.ElementCount != 1) throw new ShapeException($"{context.OpType}: y_zero_point {yZero} must be a scalar");
        bool bias = context.HasInput(8);
        if (bias && context.Input(8) is var b8 && (b8.Type != DataType.Int32 || b8.ElementCount != shape.N || b8.Dims.Count(d => d != 1) > 1))
            throw new ShapeException($"{context.OpType}: the column bias {b8} must be int32 with {shape.N} entries (one per column)");
        return new QuantizedMatMulSpec(shape, a.Type, b.Type, 2, 1, 5, bZeros)
        {
            Requantize = (1, 4, bScales, 6, 7, yZero.Type),
            BiasInput = bias ? 8 : -1,
        };
    }
}
