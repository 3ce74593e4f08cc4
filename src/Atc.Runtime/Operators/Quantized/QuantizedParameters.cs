using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// ONNX's quantisation arithmetic, shared by every quantised operator: q = saturate(round_half_even(x / scale) + zp)
/// and x = (q - zp) * scale, with a scale and zero point per tensor or per slice along one axis.
/// </summary>
internal static class QuantizedParameters
{
    /// <summary>The range of an 8-bit quantised type.</summary>
    public static (int Min, int Max) Range(DataType type) => type == DataType.Int8 ? (-128, 127) : (0, 255);

    public static bool IsEightBit(DataType type) => type is DataType.UInt8 or DataType.Int8;

    /// <summary>Rounds half to even (MathF.Round's default) and saturates to [min, max]; NaN becomes 0 (the zero point).</summary>
    public static int RoundAndSaturate(float value, int zeroPoint, int min, int max)
    {
        if (float.IsNaN(value)) return Math.Clamp(zeroPoint, min, max);
        float rounded = MathF.Round(value) + zeroPoint;
        return rounded <= min ? min : rounded >= max ? max : (int)rounded;
    }

    /// <summary>Checks a scale or zero point: a scalar (or one element), or 1-D with one entry per slice of
    /// <paramref name="axisAttribute"/>; returns the axis to index by (-1 for per tensor).</summary>
    public static int Axis(OpContext context, TensorType x, TensorType parameter, string name, long axisAttribute)
    {
        if (parameter.ElementCount == 1 && parameter.Rank <= 1) return -1;
        if (parameter.Rank != 1)
            throw new ShapeException($"{context.OpType}: {name} {parameter} must be a scalar or 1-D (per axis)");
        int axis = (int)(axisAttribute < 0 ? axisAttribute + x.Rank : axisAttribute);
        if (axis < 0 || axis >= x.Rank)
            throw new ShapeException($"{context.OpType}: axis {axisAttribute} is outside the rank of {x}");
        if (parameter.Dims[0] != x.Dims[axis])
            throw new ShapeException($"{context.OpType}: {name} {parameter} needs {x.Dims[axis]} entries, one per slice of axis {axis} of {x}");
        return axis;
    }

    /// <summary>Reads one 8-bit (or int32) element as int.</summary>
    public static unsafe int Read(nint pointer, DataType type, long index) => type switch
    {
        DataType.UInt8 => ((byte*)pointer)[index],
        DataType.Int8 => ((sbyte*)pointer)[index],
        DataType.Int32 => ((int*)pointer)[index],
        _ => throw new InvalidOperationException($"{type.Name()} is not a quantised type"),
    };

    /// <summary>Writes one quantised element.</summary>
    public static unsafe void Write(nint pointer, DataType type, long index, int value)
    {
        if (type == DataType.Int8) ((sbyte*)pointer)[index] = (sbyte)value;
        else ((byte*)pointer)[index] = (byte)value;
    }

    /// <summary>The index of the per-axis parameter for flat element <paramref name="i"/> (0 when per tensor).</summary>
    public static long Slice(long i, long inner, int axisSize) => inner == 0 ? 0 : i / inner % axisSize;

    /// <summary>Elements after <paramref name="axis"/> (0 for per tensor: every element uses entry 0).</summary>
    public static long Inner(int[] dims, int axis) => axis < 0 ? 0 : Shape.ElementCount(dims[(axis + 1)..]);
}
