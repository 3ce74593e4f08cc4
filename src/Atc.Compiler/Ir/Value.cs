using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Compiler.Ir;

/// <summary>
/// A tensor flowing in the graph: a graph input, a constant (weights) or a node output. Its shape is what is known
/// before a gear fixes the inputs: a rank and dims where -1 means unknown; null when even the rank is unknown.
/// </summary>
public sealed class Value(string name, DataType type, long[]? shape)
{
    /// <summary>Unique within the graph; the framework's tensor name (TF "node:k" style names are kept as given).</summary>
    public string Name { get; set; } = name;
    public DataType Type { get; set; } = type;
    public long[]? Shape { get; set; } = shape;
    /// <summary>The node that writes this value; null for graph inputs and constants.</summary>
    public Node? Producer { get; internal set; }
    /// <summary>Set for constants (weights and folded values).</summary>
    public TensorData? Constant { get; set; }

    public bool IsConstant => Constant is not null;

    public static Value FromConstant(string name, TensorData data)
        => new(name, data.Type, Array.ConvertAll(data.Dims, d => (long)d)) { Constant = data };

    public override string ToString() => $"{Name}: {Type.Name()}{(Shape is null ? "[?]" : Atc.Runtime.Core.Shape.Format(Shape))}";
}
