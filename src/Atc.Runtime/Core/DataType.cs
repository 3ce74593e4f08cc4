namespace Atc.Runtime;

/// <summary>Element types. The numeric codes are ONNX's TensorProto.DataType codes, so the ONNX importer maps 1:1.</summary>
public enum DataType
{
    Undefined = 0,
    Float32 = 1,
    UInt8 = 2,
    Int8 = 3,
    Int32 = 6,
    Int64 = 7,
    Bool = 9,
    Float64 = 11,
}

public static class DataTypes
{
    public static int SizeOf(this DataType type) => type switch
    {
        DataType.Float32 => 4,
        DataType.UInt8 => 1,
        DataType.Int8 => 1,
        DataType.Int32 => 4,
        DataType.Int64 => 8,
        DataType.Bool => 1,
        DataType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unsupported data type"),
    };

    /// <summary>Lower-case name used in messages and JSON (float32, int64, ...).</summary>
    public static string Name(this DataType type) => type switch
    {
        DataType.Float32 => "float32",
        DataType.UInt8 => "uint8",
        DataType.Int8 => "int8",
        DataType.Int32 => "int32",
        DataType.Int64 => "int64",
        DataType.Bool => "bool",
        DataType.Float64 => "float64",
        _ => "undefined",
    };

    public static bool IsDefined(DataType type) => type is DataType.Float32 or DataType.UInt8 or DataType.Int8
        or DataType.Int32 or DataType.Int64 or DataType.Bool or DataType.Float64;
}
