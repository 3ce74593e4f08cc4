using System.Globalization;

namespace Atc.Compiler.SingleOp;

/// <summary>
/// ATC's names for single-op models: "name" from the description when given, else
/// index_opType_ then, for every input and then every output, typeCode_formatCode_dims (ATC's enum values,
/// dims joined by '_'), e.g. 0_Add_3_2_3_3_3_2_3_3_3_2_3_3.om for an int32 ND [3, 3] Add.
/// </summary>
internal static class SingleOpFileNames
{
    public static string Of(SingleOpDescription op)
    {
        if (op.FileName is { } name) return name.EndsWith(".om", StringComparison.OrdinalIgnoreCase) ? name : name + ".om";
        var parts = new List<string> { op.Index.ToString(CultureInfo.InvariantCulture), op.OpType };
        foreach (var tensor in op.Inputs.Concat(op.Outputs))
        {
            parts.Add(tensor.TypeCode.ToString(CultureInfo.InvariantCulture));
            parts.Add(tensor.FormatCode.ToString(CultureInfo.InvariantCulture));
            parts.AddRange(tensor.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        }
        return string.Join("_", parts) + ".om";
    }
}
