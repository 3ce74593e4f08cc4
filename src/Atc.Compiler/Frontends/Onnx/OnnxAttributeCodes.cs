namespace Atc.Compiler.Frontends.Onnx;

/// <summary>Integer attributes that are codes or small counts, read without truncation: a file's 2^32+1 must not
/// become type code 1 (float).</summary>
internal static class OnnxAttributeCodes
{
    /// <summary>More axes than any tensor here has; bounds axis arithmetic on untrusted values.</summary>
    public const int MaxRank = 64;

    /// <summary>A TensorProto.DataType code attribute; a value outside int stays unknown (-1), which callers report
    /// as an unsupported type.</summary>
    public static int TypeCode(NodeLowering n, string attribute, int @default)
    {
        long value = n.Node.Int(attribute, @default);
        return value is >= 0 and <= int.MaxValue ? (int)value : -1;
    }
}
