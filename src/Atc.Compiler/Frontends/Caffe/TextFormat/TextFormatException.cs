namespace Atc.Compiler.Frontends.Caffe.TextFormat;

/// <summary>A protobuf text-format file that does not parse: where (1-based line and column), the field being read
/// (empty at the top level) and why.</summary>
public sealed class TextFormatException(int line, int column, string field, string reason)
    : Exception($"line {line}, column {column}: {reason}")
{
    public int Line { get; } = line;
    public int Column { get; } = column;
    /// <summary>The field whose value was being read, or the unknown field name; empty when no field is involved.</summary>
    public string Field { get; } = field;
    public string Reason { get; } = reason;
}
