using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Options;
using Atc.Options.Errors;
using AttrType = Atc.Compiler.Frontends.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>One ONNX node as the lowerings read it: its unique IR name, inputs, outputs and typed attribute access.</summary>
internal sealed class OnnxNode
{
    private readonly Dictionary<string, AttributeProto> _attributes = new(StringComparer.Ordinal);

    public OnnxNode(NodeProto proto, int index, string name)
    {
        Proto = proto;
        Index = index;
        Name = name;
        foreach (var a in proto.Attribute) _attributes[a.Name] = a;
        ImplicitInputs = OnnxSubgraphScope.ImplicitInputs(proto);
    }

    /// <summary>Outer tensors the node's bodies read by name (empty for a node without bodies).</summary>
    public IReadOnlyList<string> ImplicitInputs { get; }

    /// <summary>A graph attribute (a control-flow body), or null when absent.</summary>
    public GraphProto? Graph(string name) => Get(name, AttrType.Graph)?.G;

    public NodeProto Proto { get; }
    /// <summary>Position in the file's node list (for stable ordering and synthesized names).</summary>
    public int Index { get; }
    /// <summary>Unique node name: the file's name, or "&lt;op_type&gt;_&lt;index&gt;" when it has none.</summary>
    public string Name { get; }
    public string OpType => Proto.OpType;
    /// <summary>"" for the default domain (ai.onnx).</summary>
    public string Domain => Proto.Domain is "ai.onnx" ? "" : Proto.Domain;
    public IList<string> Inputs => Proto.Input;
    public IList<string> Outputs => Proto.Output;
    public IEnumerable<AttributeProto> Attributes => _attributes.Values;

    public override string ToString() => $"'{Name}' ({OpType})";

    public bool Has(string attribute) => _attributes.ContainsKey(attribute);

    public long Int(string name, long @default) => Get(name, AttrType.Int) is { } a ? a.I : @default;
    public float Float(string name, float @default) => Get(name, AttrType.Float) is { } a ? a.F : @default;
    public string String(string name, string @default) => Get(name, AttrType.String) is { } a ? a.S.ToStringUtf8() : @default;
    public long[]? Ints(string name) => Get(name, AttrType.Ints) is { } a ? [.. a.Ints] : null;
    public float[]? Floats(string name) => Get(name, AttrType.Floats) is { } a ? [.. a.Floats] : null;
    public TensorProto? Tensor(string name) => Get(name, AttrType.Tensor)?.T;

    /// <summary>The attribute's kind: its declared type, or (IR version 1 files left it unset) the field in use.</summary>
    public static AttrType KindOf(AttributeProto a)
    {
        if (a.HasType && a.Type != AttrType.Undefined) return a.Type;
        if (a.HasF) return AttrType.Float;
        if (a.HasI) return AttrType.Int;
        if (a.HasS) return AttrType.String;
        if (a.T is not null) return AttrType.Tensor;
        if (a.G is not null) return AttrType.Graph;
        if (a.Floats.Count > 0) return AttrType.Floats;
        if (a.Ints.Count > 0) return AttrType.Ints;
        if (a.Strings.Count > 0) return AttrType.Strings;
        if (a.Tensors.Count > 0) return AttrType.Tensors;
        if (a.Graphs.Count > 0) return AttrType.Graphs;
        return AttrType.Undefined;
    }

    /// <summary>ATC1103 for an attribute whose stored kind is not the one the op requires, in ONNX's spelling ("INTS").</summary>
    public static AtcException WrongKind(OnnxNode node, string attribute, AttrType actual, AttrType expected)
        => new(AtcErrors.AttributeTypeInvalid(node.Name, node.OpType, attribute,
            actual == AttrType.Undefined ? "UNDEFINED" : actual.ToString().ToUpperInvariant(), expected.ToString().ToUpperInvariant()));

    private AttributeProto? Get(string name, AttrType expected)
    {
        if (!_attributes.TryGetValue(name, out var a)) return null;
        var kind = KindOf(a);
        // An empty list has no field to tell its kind; accept it as any list kind.
        bool emptyList = kind == AttrType.Undefined && expected is AttrType.Ints or AttrType.Floats;
        if (kind != expected && !emptyList) throw WrongKind(this, name, kind, expected);
        if (a.HasRefAttrName && a.RefAttrName.Length > 0)
            throw new AtcException(AtcErrors.InvalidModel($"attribute '{name}' of node {this} refers to a function attribute, which only function bodies may do"));
        return a;
    }
}
