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
    /// unsupported. FLOAT16 values compute in float32: weights widen at import, float16 inputs and outputs get a Cast
    /// at the graph boundary (<see cref="Ir.BoundaryCasts"/>), and a Cast to FLOAT16 rounds through float16.</summary>
    public static DataType? ToDataType(int code)
    {
        if (code == Float16) return DataType.Float32;
        var type = (DataType)code;
        return code != 0 && DataTypes.IsDefined(type) ? type : null;
    }

    /// <summary>Parses the string form of Cast's "to" used by opset 1 ("FLOAT", "INT64", ...).</summary>
    public static int CodeFromName(string name) => Array.IndexOf(Names, name.ToUpperInvariant());
}
