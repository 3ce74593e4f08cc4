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
}
