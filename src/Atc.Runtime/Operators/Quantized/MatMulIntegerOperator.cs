using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels.Int8;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// MatMulInteger (ONNX): int32 Y = Σk (A - a_zero_point)(B - b_zero_point) with numpy matmul shapes; A and B uint8 or
/// int8; a_zero_point per tensor or per row (M entries), b_zero_point per tensor or per column (N entries).
/// </summary>
internal sealed class MatMulIntegerOperator : IOperator
{
    public string OpType => OpTypes.MatMulInteger;

    public TensorType[] InferOutputs(OpContext context) => [new TensorType(DataType.Int32, Resolve(context).Shape.OutputDims)];

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
        => new QuantizedMatMulKernel(Resolve(context), context, Int8Paths.Current);

    private static QuantizedMatMulSpec Resolve(OpContext context)
    {
        var a = QuantizedOperands.EightBit(context, 0, "A");
        var b = QuantizedOperands.EightBit(context, 1, "B");
        var shape = MatMulOperator.Resolve(context.OpType, a, b);
        int aZeroCount = QuantizedOperands.ZeroPointCount(context, 2, "a_zero_point", a.Type, shape.M, "row");
        int bZeroCount = QuantizedOperands.ZeroPointCount(context, 3, "b_zero_point", b.Type, shape.N, "column");
        return new QuantizedMatMulSpec(shape, a.Type, b.Type, context.HasInput(2) ? 2 : -1, aZeroCount, context.HasInput(3) ? 3 : -1, bZeroCount);
    }
}
