using Atc.Runtime;
using TfType = Atc.Compiler.Frontends.TensorFlow.Proto.DataType;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>Maps TensorFlow element types onto the runtime's. Reference types (variables, "_REF") map like their
/// value type; types the runtime lacks return false so the caller can name them.</summary>
internal static class TfDataTypes
{
    public static bool TryMap(TfType type, out DataType mapped)
    {
        mapped = StripRef(type) switch
        {
            TfType.DtFloat => DataType.Float32,
            TfType.DtDouble => DataType.Float64,
            TfType.DtInt32 => DataType.Int32,
            TfType.DtUint8 => DataType.UInt8,
            TfType.DtInt8 => DataType.Int8,
            TfType.DtInt64 => DataType.Int64,
            TfType.DtBool => DataType.Bool,
            _ => DataType.Undefined,
        };
        return mapped != DataType.Undefined;
    }

    /// <summary>The value type of a reference type (DT_FLOAT_REF = 101 → DT_FLOAT). Only one level: TensorFlow has no
    /// reference to a reference, and a value above 200 from a hostile file stays an unknown type.</summary>
    public static TfType StripRef(TfType type) => (int)type > 100 && (int)type <= 200 ? (TfType)((int)type - 100) : type;

    /// <summary>TensorFlow's spelling, e.g. "DT_HALF" or "DT_FLOAT_REF"; "DataType(n)" for a value TensorFlow lacks.
    /// Not recursive: the value comes from the file and may be anything (2^30).</summary>
    public static string Name(TfType type)
    {
        bool isRef = (int)type > 100 && (int)type <= 200;
        string? name = ValueTypeName(StripRef(type));
        return name is null ? "DataType(" + (int)type + ")" : isRef ? name + "_REF" : name;
    }

    private static string? ValueTypeName(TfType type) => type switch
    {
        TfType.DtInvalid => "DT_INVALID",
        TfType.DtFloat => "DT_FLOAT",
        TfType.DtDouble => "DT_DOUBLE",
        TfType.DtInt32 => "DT_INT32",
        TfType.DtUint8 => "DT_UINT8",
        TfType.DtInt16 => "DT_INT16",
        TfType.DtInt8 => "DT_INT8",
        TfType.DtString => "DT_STRING",
        TfType.DtComplex64 => "DT_COMPLEX64",
        TfType.DtInt64 => "DT_INT64",
        TfType.DtBool => "DT_BOOL",
        TfType.DtBfloat16 => "DT_BFLOAT16",
        TfType.DtUint16 => "DT_UINT16",
        TfType.DtComplex128 => "DT_COMPLEX128",
        TfType.DtHalf => "DT_HALF",
        TfType.DtResource => "DT_RESOURCE",
        TfType.DtVariant => "DT_VARIANT",
        TfType.DtUint32 => "DT_UINT32",
        TfType.DtUint64 => "DT_UINT64",
        _ => null,
    };
}
