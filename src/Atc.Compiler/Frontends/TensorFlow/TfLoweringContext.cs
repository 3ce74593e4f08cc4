using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>
/// State of one import: the IR being built, the IR value of every TensorFlow output ("X" / "X:k"), and helpers that
/// op lowerings share (emitting nodes with unique names, reading constant operands, int64 shape operands).
/// The last IR node a TensorFlow node lowers to carries its name; helper nodes are named "X/purpose".
/// </summary>
internal sealed class TfLoweringContext
{
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<int, Value>> _outputsByNode = new(StringComparer.Ordinal);
    private readonly HashSet<string> _poisoned = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private readonly Dictionary<(Value, string), Value> _derived = [];

    public TfLoweringContext(TfNodeGraph tf, Graph graph)
    {
        Tf = tf;
        Graph = graph;
        foreach (var n in tf.Nodes) _usedNames.Add(n.Name);
    }

    public TfNodeGraph Tf { get; }
    public Graph Graph { get; }

    // ---- TensorFlow outputs ----

    /// <summary>Makes <paramref name="value"/> the IR value of output <paramref name="index"/> of <paramref name="node"/>.</summary>
    public void Bind(TfNode node, int index, Value value)
    {
        _values[TfTensorRef.ValueNameOf(node.Name, index)] = value;
        if (!_outputsByNode.TryGetValue(node.Name, out var outputs)) _outputsByNode[node.Name] = outputs = [];
        outputs[index] = value;
    }

    /// <summary>The IR values bound for a node's outputs, by output index (empty for NoOp and unlowered nodes).</summary>
    public IReadOnlyDictionary<int, Value> OutputsOf(string node)
        => _outputsByNode.TryGetValue(node, out var o) ? o : new SortedDictionary<int, Value>();

    public bool TryResolve(string node, int index, out Value value) => _values.TryGetValue(TfTensorRef.ValueNameOf(node, index), out value!);

    /// <summary>Marks a node that could not be lowered; nodes reading it are skipped without a second report.</summary>
    public void Poison(TfNode node) => _poisoned.Add(node.Name);

    // ---- reading operands ----

    public int InputCount(TfNode node) => node.DataInputs.Count;

    /// <summary>Checks the number of data inputs: exactly <paramref name="min"/>, or min to max (int.MaxValue: no limit).</summary>
    public void RequireInputs(TfNode node, int min, int max = -1)
    {
        if (max < 0) max = min;
        int n = node.DataInputs.Count;
        if (n >= min && n <= max) return;
        string expected = max == min ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
        throw new AtcException(AtcErrors.InvalidModel($"node [{node.Name}] ({node.Op}) has {n} data inputs, expected {expected}"));
    }

    public Value Input(TfNode node, int i)
    {
        var r = node.DataInputs[i];
        if (_values.TryGetValue(r.ValueName, out var v)) return v;
        if (_poisoned.Contains(r.Node)) throw new TfPoisonedInputException();
        var producer = Tf.TryGet(r.Node, out var p) ? p.Op : "?";
        throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] reads output " + r.Index + " of node [" + r.Node + "] ("
            + producer + "), which has " + OutputsOf(r.Node).Count + " output(s)"));
    }

    public List<Value> Inputs(TfNode node) => [.. Enumerable.Range(0, node.DataInputs.Count).Select(i => Input(node, i))];

    /// <summary>Integer values of a constant operand (axes, paddings, perm ...), or unsupported when it is computed.</summary>
    public long[] ConstInts(TfNode node, int i, string role)
        => Input(node, i).Constant?.ToInt64Array() ?? throw new TfUnsupportedException(node.Op + " (non-constant " + role + ")");

    /// <summary>A constant scalar (or 1-element) integer operand.</summary>
    public long ConstInt(TfNode node, int i, string role)
    {
        var values = ConstInts(node, i, role);
        return values.Length == 1 ? values[0]
            : throw new AtcException(AtcErrors.InvalidModel("the " + role + " of node [" + node.Name + "] must be one value, got " + values.Length));
    }

    // ---- emitting IR ----

    /// <summary>Emits the node that produces TensorFlow output 0 of <paramref name="node"/> and binds it.</summary>
    public Value Emit(TfNode node, string opType, IEnumerable<Value?> inputs, DataType type, OpAttributes? attributes = null)
    {
        var ir = Graph.AddNode(new Node(ReserveName(node.Name), opType, inputs, attributes, node.Op));
        var output = ir.AddOutput(ReserveName(node.Name), type);
        Bind(node, 0, output);
        return output;
    }

    /// <summary>Emits the node that produces TensorFlow output <paramref name="index"/> of <paramref name="node"/> when
    /// each output comes from its own IR node (Unpack): output 0's node is named "X", output k's "X/output_k".</summary>
    public Value EmitAt(TfNode node, int index, string opType, IEnumerable<Value?> inputs, DataType type, OpAttributes? attributes = null)
    {
        if (index == 0) return Emit(node, opType, inputs, type, attributes);
        var ir = Graph.AddNode(new Node(UniqueName(node.Name + "/output_" + index.ToString(System.Globalization.CultureInfo.InvariantCulture)), opType, inputs, attributes, node.Op));
        var output = ir.AddOutput(ReserveName(TfTensorRef.ValueNameOf(node.Name, index)), type);
        Bind(node, index, output);
        return output;
    }

    /// <summary>Emits a helper node named "X/purpose" with one output; not bound to a TensorFlow output.</summary>
    public Value EmitHelper(TfNode node, string purpose, string opType, IEnumerable<Value?> inputs, DataType type, OpAttributes? attributes = null)
    {
        string name = UniqueName(node.Name + "/" + purpose);
        var ir = Graph.AddNode(new Node(name, opType, inputs, attributes, node.Op));
        return ir.AddOutput(name, type);
    }

    /// <summary>Emits a node with several outputs, named "X", "X:1", ..., and binds them all.</summary>
    public Node EmitMulti(TfNode node, string opType, IEnumerable<Value?> inputs, IReadOnlyList<DataType> types, OpAttributes? attributes = null)
    {
        var ir = Graph.AddNode(new Node(ReserveName(node.Name), opType, inputs, attributes, node.Op));
        for (int k = 0; k < types.Count; k++)
            Bind(node, k, ir.AddOutput(ReserveName(TfTensorRef.ValueNameOf(node.Name, k)), types[k]));
        return ir;
    }

    /// <summary>Emits a multi-output helper node whose outputs are named "X/purpose:k" and not bound.</summary>
    public Node EmitMultiHelper(TfNode node, string purpose, string opType, IEnumerable<Value?> inputs, IReadOnlyList<DataType> types, OpAttributes? attributes = null)
    {
        string name = UniqueName(node.Name + "/" + purpose);
        var ir = Graph.AddNode(new Node(name, opType, inputs, attributes, node.Op));
        for (int k = 0; k < types.Count; k++) ir.AddOutput(UniqueName(name + "_" + k), types[k]);
        return ir;
    }

    /// <summary>A new constant value named after <paramref name="nameHint"/> (made unique).</summary>
    public Value Constant(string nameHint, TensorData data) => Value.FromConstant(UniqueName(nameHint), data);

    /// <summary>A constant derived from <paramref name="source"/> once per purpose (e.g. a filter re-laid to OIHW), shared by every consumer.</summary>
    public Value Derived(Value source, string purpose, Func<Value> create)
    {
        if (!_derived.TryGetValue((source, purpose), out var v)) _derived[(source, purpose)] = v = create();
        return v;
    }

    /// <summary>
    /// Shape-like operands of canonical ops are int64 while TensorFlow mostly uses int32: constants are converted,
    /// computed tensors get a Cast (shared by all consumers).
    /// </summary>
    public Value AsInt64(TfNode consumer, Value v)
    {
        if (v.Type == DataType.Int64) return v;
        return Derived(v, "to_int64", () => v.Constant is { } c
            ? Constant(v.Name + "/to_int64", TensorData.Int64(c.Dims, c.ToInt64Array()))
            : EmitHelper(consumer, "to_int64", OpTypes.Cast, [v], DataType.Int64, new OpAttributes().Set("to", (long)DataType.Int64)));
    }

    public Value Int64Constant(TfNode node, string purpose, long[] values, int[]? dims = null)
        => Constant(node.Name + "/" + purpose, TensorData.Int64(dims ?? [values.Length], values));

    private string ReserveName(string name)
    {
        _usedNames.Add(name);
        return name;
    }

    public string UniqueName(string hint)
    {
        if (_usedNames.Add(hint)) return hint;
        for (int i = 1; ; i++)
        {
            string candidate = hint + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_usedNames.Add(candidate)) return candidate;
        }
    }
}
