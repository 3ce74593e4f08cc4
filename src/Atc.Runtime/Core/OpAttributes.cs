namespace Atc.Runtime.Core;

/// <summary>
/// The attributes of one node, sorted by name so serialisation is deterministic.
/// Getters take a default; a present attribute of the wrong kind is a <see cref="ShapeException"/>.
/// </summary>
internal sealed class OpAttributes
{
    private readonly SortedDictionary<string, AttributeValue> _values = new(StringComparer.Ordinal);

    public static OpAttributes Empty => new();

    public IEnumerable<KeyValuePair<string, AttributeValue>> All => _values;
    public int Count => _values.Count;
    public bool Has(string name) => _values.ContainsKey(name);

    public AttributeValue this[string name]
    {
        get => _values[name];
        set => _values[name] = value;
    }

    public OpAttributes Set(string name, AttributeValue value) { _values[name] = value; return this; }
    public bool Remove(string name) => _values.Remove(name);
    public bool TryGet(string name, out AttributeValue value) => _values.TryGetValue(name, out value!);

    public OpAttributes Clone()
    {
        var c = new OpAttributes();
        foreach (var kv in _values) c._values[kv.Key] = kv.Value;
        return c;
    }

    public long GetInt(string name, long @default) => Get(name, AttributeKind.Int)?.Int ?? @default;
    public float GetFloat(string name, float @default) => Get(name, AttributeKind.Float)?.Float ?? @default;
    public string GetString(string name, string @default) => Get(name, AttributeKind.String)?.String ?? @default;
    public long[] GetInts(string name, long[] @default) => Get(name, AttributeKind.Ints)?.Ints ?? @default;
    public float[] GetFloats(string name, float[] @default) => Get(name, AttributeKind.Floats)?.Floats ?? @default;
    public string[] GetStrings(string name, string[] @default) => Get(name, AttributeKind.Strings)?.Strings ?? @default;
    public TensorData? GetTensor(string name) => Get(name, AttributeKind.Tensor)?.Tensor;
    public Execution.ModelGraph? GetGraph(string name) => Get(name, AttributeKind.Graph)?.Graph;

    private AttributeValue? Get(string name, AttributeKind kind)
    {
        if (!_values.TryGetValue(name, out var v)) return null;
        if (v.Kind == kind) return v;
        // An integer attribute may be read as a float and vice versa only where it is lossless.
        if (kind == AttributeKind.Float && v.Kind == AttributeKind.Int) return new AttributeValue((float)v.Int);
        throw new ShapeException($"attribute '{name}' is {v.Kind}, expected {kind}");
    }
}
