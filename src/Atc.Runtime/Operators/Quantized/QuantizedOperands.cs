using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.Quantized;

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
