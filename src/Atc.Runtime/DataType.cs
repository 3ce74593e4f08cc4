namespace Atc.Runtime;

/// <summary>Element types. The numeric codes are ONNX's TensorProto.DataType codes, so the ONNX importer maps 1:1.</summary>
public enum DataType
{
    /// <summary>No element type (an unset or unknown type).</summary>
    Undefined = 0,
    /// <summary>32-bit IEEE float (float).</summary>
    Float32 = 1,
    /// <summary>8-bit unsigned integer (byte).</summary>
    UInt8 = 2,
    /// <summary>8-bit signed integer (sbyte).</summary>
    Int8 = 3,
    /// <summary>32-bit signed integer (int).</summary>
    Int32 = 6,
    /// <summary>64-bit signed integer (long).</summary>
    Int64 = 7,
    /// <summary>Boolean stored as one byte (bool).</summary>
    Bool = 9,
    /// <summary>16-bit IEEE float (<see cref="System.Half"/>): a storage type for model inputs and outputs and Cast;
    /// the runtime computes in float32.</summary>
    Float16 = 10,
    /// <summary>64-bit IEEE float (double).</summary>
    Float64 = 11,
}

/// <summary>Helpers on <see cref="DataType"/>: element size, name, validity.</summary>
public static class DataTypes
{
    /// <summary>Bytes per element; throws <see cref="ArgumentOutOfRangeException"/> for an unsupported type.</summary>
    public static int SizeOf(this DataType type) => type switch
    {
        DataType.Float32 => 4,
        DataType.UInt8 => 1,
        DataType.Int8 => 1,
        DataType.Int32 => 4,
        DataType.Int64 => 8,
        DataType.Bool => 1,
        DataType.Float64 => 8,
        DataType.Float16 => 2,
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
        DataType.Float16 => "float16",
        _ => "undefined",
    };

    /// <summary>True for the element types this runtime stores and computes with.</summary>
    internal static bool IsDefined(DataType type) => type is DataType.Float32 or DataType.UInt8 or DataType.Int8
        or DataType.Int32 or DataType.Int64 or DataType.Bool or DataType.Float64 or DataType.Float16;
}
