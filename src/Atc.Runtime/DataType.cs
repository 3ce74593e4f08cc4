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
    /// <summary>16-bit unsigned integer (ushort): a storage type for model inputs and outputs and Cast; the runtime
    /// computes with it as int32.</summary>
    UInt16 = 4,
    /// <summary>16-bit signed integer (short): a storage type for model inputs and outputs and Cast; the runtime
    /// computes with it as int32.</summary>
    Int16 = 5,
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
    /// <summary>32-bit unsigned integer (uint): a storage type for model inputs and outputs and Cast; the runtime
    /// computes with it as int64.</summary>
    UInt32 = 12,
    /// <summary>64-bit unsigned integer (ulong): a storage type for model inputs and outputs and Cast; the runtime
    /// computes with it as int64 (the same bits: sums, products and bit operations agree, comparisons and divisions
    /// of values of 2^63 and above do not).</summary>
    UInt64 = 13,
    /// <summary>bfloat16 (the upper 16 bits of a float32), held as its bits in a <see cref="ushort"/> (.NET 10 has no
    /// BFloat16 type): a storage type for model inputs and outputs and Cast; the runtime computes in float32.</summary>
    BFloat16 = 16,
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
        DataType.UInt16 or DataType.Int16 or DataType.BFloat16 => 2,
        DataType.UInt32 => 4,
        DataType.UInt64 => 8,
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
        DataType.UInt16 => "uint16",
        DataType.Int16 => "int16",
        DataType.UInt32 => "uint32",
        DataType.UInt64 => "uint64",
        DataType.BFloat16 => "bfloat16",
        _ => "undefined",
    };

    /// <summary>True for the element types this runtime stores and computes with.</summary>
    internal static bool IsDefined(DataType type) => type is DataType.Float32 or DataType.UInt8 or DataType.Int8
        or DataType.Int32 or DataType.Int64 or DataType.Bool or DataType.Float64 or DataType.Float16 || IsStorageOnly(type);

    /// <summary>True for the types only Cast and the graph's inputs and outputs hold (everything else computes with
    /// <see cref="ComputeType"/>): uint16, int16, uint32, uint64, bfloat16.</summary>
    internal static bool IsStorageOnly(DataType type) => type is DataType.UInt16 or DataType.Int16 or DataType.UInt32
        or DataType.UInt64 or DataType.BFloat16;

    /// <summary>The type a value of <paramref name="type"/> computes with inside a graph: the narrowest arithmetic type
    /// that holds every value (uint64 keeps its bits in int64); the type itself for the others.</summary>
    internal static DataType ComputeType(DataType type) => type switch
    {
        DataType.UInt16 or DataType.Int16 => DataType.Int32,
        DataType.UInt32 or DataType.UInt64 => DataType.Int64,
        DataType.BFloat16 or DataType.Float16 => DataType.Float32,
        _ => type,
    };
}
