namespace Atc.Runtime.Core;

internal enum AttributeKind { Int, Float, String, Ints, Floats, Strings, Tensor, Graph }

/// <summary>One attribute of an operator: a tagged union of the kinds canonical ops use.</summary>
internal sealed class AttributeValue : IEquatable<AttributeValue>
{
    public AttributeKind Kind { get; }
    public long Int { get; }
    public float Float { get; }
    public string String { get; } = "";
    public long[] Ints { get; } = [];
    public float[] Floats { get; } = [];
    public string[] Strings { get; } = [];
    public TensorData? Tensor { get; }
    /// <summary>A control-flow body (If's branches, Loop's and Scan's body): a graph with its own inputs and outputs.</summary>
    public Execution.ModelGraph? Graph { get; }

    private AttributeValue(AttributeKind kind) => Kind = kind;
    public AttributeValue(long value) : this(AttributeKind.Int) => Int = value;
    public AttributeValue(float value) : this(AttributeKind.Float) => Float = value;
    public AttributeValue(string value) : this(AttributeKind.String) => String = value;
    public AttributeValue(long[] value) : this(AttributeKind.Ints) => Ints = value;
    public AttributeValue(float[] value) : this(AttributeKind.Floats) => Floats = value;
    public AttributeValue(string[] value) : this(AttributeKind.Strings) => Strings = value;
    public AttributeValue(TensorData value) : this(AttributeKind.Tensor) => Tensor = value;
    public AttributeValue(Execution.ModelGraph value) : this(AttributeKind.Graph) => Graph = value;

    public static implicit operator AttributeValue(long v) => new(v);
    public static implicit operator AttributeValue(int v) => new((long)v);
    public static implicit operator AttributeValue(float v) => new(v);
    public static implicit operator AttributeValue(string v) => new(v);
    public static implicit operator AttributeValue(long[] v) => new(v);
    public static implicit operator AttributeValue(float[] v) => new(v);

    public bool Equals(AttributeValue? other) => other is not null && Kind == other.Kind && Kind switch
    {
        AttributeKind.Int => Int == other.Int,
        AttributeKind.Float => Float.Equals(other.Float),
        AttributeKind.String => String == other.String,
        AttributeKind.Ints => Ints.AsSpan().SequenceEqual(other.Ints),
        AttributeKind.Floats => Floats.AsSpan().SequenceEqual(other.Floats),
        AttributeKind.Strings => Strings.AsSpan().SequenceEqual(other.Strings),
        AttributeKind.Graph => ReferenceEquals(Graph, other.Graph),
        _ => ReferenceEquals(Tensor, other.Tensor),
    };

    public override bool Equals(object? obj) => Equals(obj as AttributeValue);
    public override int GetHashCode() => HashCode.Combine(Kind, Int, Float, String);

    public override string ToString() => Kind switch
    {
        AttributeKind.Int => Int.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AttributeKind.Float => Float.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        AttributeKind.String => String,
        AttributeKind.Ints => "[" + string.Join(",", Ints) + "]",
        AttributeKind.Floats => "[" + string.Join(",", Floats.Select(f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]",
        AttributeKind.Strings => "[" + string.Join(",", Strings) + "]",
        AttributeKind.Graph => $"graph ({Graph!.Nodes.Length} nodes, {Graph.Inputs.Length} inputs, {Graph.Outputs.Length} outputs)",
        _ => $"tensor {Tensor!.Type.Name()} {Shape.Format(Tensor.Dims)}",
    };
}
