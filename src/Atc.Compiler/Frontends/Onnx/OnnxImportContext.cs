using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Compiler.Ir;
using Atc.Runtime;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>
/// State shared by the lowerings of one import: the IR graph being built, ONNX tensor names → IR values, the value
/// names in use, declared value types, and the unsupported constructs found so far.
/// </summary>
internal sealed class OnnxImportContext(Graph graph, OnnxTensorReader tensors, long opset, IReadOnlySet<string> consumed)
{
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _valueNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ValueInfoProto> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _unsupported = new(StringComparer.Ordinal);

    public Graph Graph { get; } = graph;
    public OnnxTensorReader Tensors { get; } = tensors;
    /// <summary>Version of the default (ai.onnx) operator set the model imports.</summary>
    public long Opset { get; } = opset;
    public OnnxRankInference Ranks { get; } = new();

    /// <summary>Unsupported op types (or op forms) with the first node that uses each, in discovery order.</summary>
    public IEnumerable<KeyValuePair<string, string>> Unsupported => _unsupported;
    public bool HasUnsupported => _unsupported.Count > 0;

    public void ReportUnsupported(string what, string nodeName)
    {
        // A body's unsupported ops are the model's: the outermost import reports them all at once.
        if (Parent is { } parent) parent.ReportUnsupported(what, nodeName);
        else _unsupported.TryAdd(what, nodeName);
    }

    /// <summary>The import of the graph this body belongs to (If's branches, Loop's and Scan's body); null at the top.</summary>
    public OnnxImportContext? Parent { get; init; }

    /// <summary>Outer values this body reads by name (ONNX's implicit inputs), each with the body input that stands for it.</summary>
    public List<(Value Outer, Value Inner)> Captures { get; } = [];

    /// <summary>Whether <paramref name="tensorName"/> is bound here or in an enclosing graph.</summary>
    public bool IsVisible(string tensorName) => _values.ContainsKey(tensorName) || Parent?.IsVisible(tensorName) == true;

    /// <summary>Reserves every ONNX tensor and node name first so that names made up by lowerings never take one.</summary>
    public void ReserveNames(GraphProto proto, IEnumerable<OnnxNode> nodes)
    {
        foreach (var n in nodes) _nodeNames.Add(n.Name);
        foreach (var t in proto.Initializer) _valueNames.Add(t.Name);
        foreach (var i in proto.Input) _valueNames.Add(i.Name);
        foreach (var n in proto.Node)
            foreach (var o in n.Output)
                if (o.Length > 0) _valueNames.Add(o);
        foreach (var v in proto.ValueInfo.Concat(proto.Output))
            _declared.TryAdd(v.Name, v);
    }

    public bool IsConsumed(string tensorName) => tensorName.Length > 0 && consumed.Contains(tensorName);

    public void Bind(string tensorName, Value value) => _values[tensorName] = value;

    /// <summary>The value of a tensor name. In a body, a name of an enclosing graph is captured: an outer constant is
    /// read directly, any other outer value becomes a body input (listed in <see cref="Captures"/>) that the node passes.</summary>
    public Value Lookup(string tensorName)
    {
        if (_values.TryGetValue(tensorName, out var value)) return value;
        if (Parent is null) throw new KeyNotFoundException($"tensor '{tensorName}' is not defined");
        var outer = Parent.Lookup(tensorName);
        if (outer.IsConstant)
        {
            // A body's own Value over the same (immutable) data: passes rewriting the outer graph's weights in place
            // must not reach into the body.
            var constant = Value.FromConstant(tensorName, outer.Constant!);
            _values[tensorName] = constant;
            return constant;
        }
        var inner = new Value(tensorName, outer.Type, outer.Shape?.ToArray());
        Captures.Add((outer, inner));
        _values[tensorName] = inner;
        return inner;
    }

    /// <summary>A value name that no ONNX tensor and no earlier made-up value uses: <paramref name="stem"/>, or stem_k.</summary>
    public string UniqueValueName(string stem)
    {
        string name = stem;
        for (int k = 1; !_valueNames.Add(name); k++) name = $"{stem}_{k}";
        return name;
    }

    /// <summary>A node name for a helper node: <paramref name="stem"/>, or stem_k when taken.</summary>
    public string UniqueNodeName(string stem)
    {
        string name = stem;
        for (int k = 1; !_nodeNames.Add(name); k++) name = $"{stem}_{k}";
        return name;
    }

    public bool IsBound(string tensorName) => _values.ContainsKey(tensorName);

    /// <summary>The shape that value_info or graph.output declares for a tensor (-1 for symbolic dims), if any.</summary>
    public long[]? DeclaredShape(string tensorName)
        => _declared.TryGetValue(tensorName, out var info) ? OnnxShapes.FromTypeProto(info.Type) : null;

    /// <summary>The element type declared for a tensor, if it is one the runtime supports.</summary>
    public DataType? DeclaredType(string tensorName)
        => _declared.TryGetValue(tensorName, out var info) && info.Type?.TensorType is { } t
            ? OnnxDataTypes.ToDataType(t.ElemType)
            : null;
}
