namespace Atc.Runtime.Operators.Common;

/// <summary>Element type groups used by the type checks of this family.</summary>
internal static class Numeric
{
    public static readonly DataType[] Float = [DataType.Float32];
    public static readonly DataType[] Floats = [DataType.Float32, DataType.Float64];
    /// <summary>Types with arithmetic (Add, Mul, Max, comparisons ...).</summary>
    public static readonly DataType[] Numbers =
        [DataType.Float32, DataType.Float64, DataType.Int32, DataType.Int64, DataType.UInt8, DataType.Int8];
    public static readonly DataType[] NumbersAndBool =
        [DataType.Float32, DataType.Float64, DataType.Int32, DataType.Int64, DataType.UInt8, DataType.Int8, DataType.Bool];
    public static readonly DataType[] Signed =
        [DataType.Float32, DataType.Float64, DataType.Int32, DataType.Int64, DataType.Int8];
    public static readonly DataType[] Bool = [DataType.Bool];
    public static readonly DataType[] Indices = [DataType.Int32, DataType.Int64];
    public static readonly DataType[] Any =
        [DataType.Float32, DataType.Float64, DataType.Int32, DataType.Int64, DataType.UInt8, DataType.Int8, DataType.Bool];
}
