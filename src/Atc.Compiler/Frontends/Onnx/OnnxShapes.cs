using Atc.Compiler.Frontends.Onnx.Proto;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>Declared ONNX shapes → IR shapes: dim_value where set, -1 for a symbolic (dim_param) or missing dim.</summary>
internal static class OnnxShapes
{
    /// <summary>The declared dims, or null when the type has no shape (unknown rank) or is not a tensor.</summary>
    public static long[]? FromTypeProto(TypeProto? type)
    {
        var shape = type?.TensorType?.Shape;
        if (shape is null) return null;
        return [.. shape.Dim.Select(d => d.HasDimValue && d.DimValue >= 0 ? d.DimValue : -1)];
    }

    /// <summary>The symbolic names of a declared shape's dims ("" where a dim is fixed or unnamed).</summary>
    public static string[] SymbolsOf(TypeProto? type)
        => type?.TensorType?.Shape is { } shape ? [.. shape.Dim.Select(d => d.HasDimParam ? d.DimParam : "")] : [];
}
