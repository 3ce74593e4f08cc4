using Atc.Runtime;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>ONNX TensorProto.DataType codes: which ones the runtime supports, and their names for messages.</summary>
internal static class OnnxDataTypes
{
    private static readonly string[] Names =
    [
        "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL", "FLOAT16",
        "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ",
        "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1",
    ];

    /// <summary>ONNX's name of a type code ("FLOAT16"), or the number when it is not one ONNX defines.</summary>
    public static string Name(int code) => code >= 0 && code < Names.Length ? Names[code] : "data type " + code;

    /// <summary>ONNX's FLOAT16 code.</summary>
    public const int Float16 = 10;

    /// <summary>The type a value of an ONNX code has inside the graph (the runtime uses ONNX's numbering), or null when
    /// unsupported. The storage-only types compute in a wider type (<see cref="DataTypes.ComputeType"/>: FLOAT16 and
    /// BFLOAT16 in float32, UINT16 and INT16 in int32, UINT32 and UINT64 in int64): weights widen at import, inputs
    /// and outputs of those types get a Cast at the graph boundary (<see cref="Ir.BoundaryCasts"/>), and a Cast to
    /// one of them goes through the type and back.</summary>
    public static DataType? ToDataType(int code) => StorageType(code) is { } type ? DataTypes.ComputeType(type) : null;

    /// <summary>The runtime type that holds values of an ONNX code as stored (FLOAT16 stays float16), or null when
    /// unsupported.</summary>
    public static DataType? StorageType(int code)
    {
        var type = (DataType)code;
        return code != 0 && DataTypes.IsDefined(type) ? type : null;
    }

    /// <summary>True when values of the code compute in another type than they are stored in.</summary>
    public static bool IsNarrowed(int code) => StorageType(code) is { } type && DataTypes.ComputeType(type) != type;

    /// <summary>Parses the string form of Cast's "to" used by opset 1 ("FLOAT", "INT64", ...).</summary>
    public static int CodeFromName(string name) => Array.IndexOf(Names, name.ToUpperInvariant());
}
