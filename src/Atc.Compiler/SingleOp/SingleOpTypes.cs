using Atc.Runtime;

namespace Atc.Compiler.SingleOp;

/// <summary>The tensor types and formats a single-op description may name, with ATC's enum values
/// (graph/types.h: DT_FLOAT 0, DT_FLOAT16 1, DT_INT8 2, DT_INT32 3, DT_UINT8 4, DT_INT64 9, DT_DOUBLE 11, DT_BOOL 12;
/// FORMAT_NCHW 0, FORMAT_NHWC 1, FORMAT_ND 2).</summary>
internal static class SingleOpTypes
{
    public static readonly IReadOnlyDictionary<string, (DataType Type, int Code)> Types = new Dictionary<string, (DataType, int)>(StringComparer.Ordinal)
    {
        ["float"] = (DataType.Float32, 0),
        ["float32"] = (DataType.Float32, 0),
        ["float16"] = (DataType.Float16, 1),
        ["int8"] = (DataType.Int8, 2),
        ["int32"] = (DataType.Int32, 3),
        ["uint8"] = (DataType.UInt8, 4),
        ["int64"] = (DataType.Int64, 9),
        ["double"] = (DataType.Float64, 11),
        ["bool"] = (DataType.Bool, 12),
    };

    public static readonly IReadOnlyDictionary<string, int> Formats = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["NCHW"] = 0,
        ["NHWC"] = 1,
        ["ND"] = 2,
    };
}
