using System.Text.Json;
using Atc.Runtime;

namespace Atc.Compiler.SingleOp;

/// <summary>One tensor of a single-op description: ATC's TensorDesc (format, shape, type; optionally a name and a
/// constant value). <see cref="TypeCode"/> and <see cref="FormatCode"/> are ATC's enum values (graph/types.h),
/// used in the default .om file name.</summary>
internal sealed record SingleOpTensor(string Path, DataType Type, string TypeName, int TypeCode, string Format, int FormatCode, int[] Shape,
    string? Name, float[]? ConstValue);

/// <summary>One attribute: ATC's Attr (name, type, value), the value still JSON until the op's table entry reads it.</summary>
internal sealed record SingleOpAttribute(string Path, string Name, string Type, JsonElement Value);

/// <summary>One op of the description array.</summary>
internal sealed record SingleOpDescription(int Index, string Path, string OpType, string? FileName,
    IReadOnlyList<SingleOpTensor> Inputs, IReadOnlyList<SingleOpTensor> Outputs, IReadOnlyList<SingleOpAttribute> Attributes);
