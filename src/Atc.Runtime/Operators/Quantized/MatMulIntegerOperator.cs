using Atc.Runtime.Kernels;
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
        => new QuantizedMatMulKernel(Resolve(context), context.Constant(1), Int8Gemm.VnniAvailable);

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

/// <summary>Type and shape checks shared by the quantised operators' operands.</summary>
internal static class QuantizedOperands
{
    public static TensorType EightBit(OpContext context, int index, string name)
    {
        var t = context.Input(index);
        if (!QuantizedParameters.IsEightBit(t.Type))
            throw new ShapeException($"{context.OpType}: {name} (input {index}) must be uint8 or int8, got {t}");
        return t;
    }

    /// <summary>A zero point of the operand's type with 1 entry or one per <paramref name="slice"/>; 1 when absent.</summary>
    public static int ZeroPointCount(OpContext context, int index, string name, DataType type, int perSlice, string slice)
    {
        if (!context.HasInput(index)) return 1;
        var zeroPoint = context.Input(index);
        if (zeroPoint.Type != type)
            throw new ShapeException($"{context.OpType}: {name} {zeroPoint} must have its operand's type {type.Name()}");
        return CountOf(context, zeroPoint, name, perSlice, slice);
    }

    /// <summary>A scale: float32 with 1 entry or one per <paramref name="slice"/>.</summary>
    public static int ScaleCount(OpContext context, int index, string name, int perSlice, string slice)
    {
        var scale = context.Input(index);
        if (scale.Type != DataType.Float32) throw new ShapeException($"{context.OpType}: {name} must be float32, got {scale}");
        return CountOf(context, scale, name, perSlice, slice);
    }

    private static int CountOf(OpContext context, TensorType t, string name, int perSlice, string slice)
    {
        long count = t.ElementCount;
        if (count == 1) return 1;
        if (count == perSlice && t.Dims.Count(d => d != 1) <= 1) return perSlice;
        throw new ShapeException($"{context.OpType}: {name} {t} must have 1 entry or {perSlice} (one per {slice})");
    }
}
