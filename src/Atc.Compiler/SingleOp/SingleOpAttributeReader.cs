using System.Text.Json;

namespace Atc.Compiler.SingleOp;

/// <summary>
/// Reads an op's attributes for its table entry: each read names the ATC type it expects, so a value of another
/// declared type or kind is a problem, and the names never read are the attributes the op does not have.
/// Problems are (JSON path, reason) pairs for the caller to report as ATC4242.
/// </summary>
internal sealed class SingleOpAttributeReader(IReadOnlyList<SingleOpAttribute> attributes)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public List<(string Path, string Reason)> Problems { get; } = [];

    /// <summary>The attributes given but never read: not attributes of this op.</summary>
    public IEnumerable<SingleOpAttribute> Unread => attributes.Where(a => !_read.Contains(a.Name));

    public long Int(string name, long fallback)
        => Read(name, "int", fallback, v => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long x) ? (true, x) : (false, 0L));

    public bool Bool(string name, bool fallback)
        => Read(name, "bool", fallback, v => v.ValueKind is JsonValueKind.True or JsonValueKind.False ? (true, v.ValueKind == JsonValueKind.True) : (false, false));

    public float Float(string name, float fallback)
        => Read(name, "float", fallback, v => v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double x) && double.IsFinite(x) ? (true, (float)x) : (false, 0f));

    public string String(string name, string fallback)
        => Read(name, "string", fallback, v => v.ValueKind == JsonValueKind.String ? (true, v.GetString()!) : (false, ""));

    public long[] Ints(string name, long[] fallback) => Read(name, "list_int", fallback, v =>
    {
        if (v.ValueKind != JsonValueKind.Array) return (false, []);
        var values = new List<long>();
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long x)) return (false, []);
            values.Add(x);
        }
        return (true, values.ToArray());
    });

    /// <summary>Reports a problem with a value that read well but does not fit the op.</summary>
    public void Reject(string name, string reason)
    {
        var attribute = attributes.FirstOrDefault(a => a.Name == name);
        Problems.Add((attribute?.Path ?? "", reason));
    }

    private T Read<T>(string name, string type, T fallback, Func<JsonElement, (bool Ok, T Value)> convert)
    {
        _read.Add(name);
        var attribute = attributes.FirstOrDefault(a => a.Name == name);
        if (attribute is null) return fallback;
        if (attribute.Type != type)
        {
            Problems.Add((attribute.Path + ".type", "attribute [" + name + "] has type [" + attribute.Type + "]; this op takes it as " + type));
            return fallback;
        }
        var (ok, value) = convert(attribute.Value);
        if (!ok)
        {
            Problems.Add((attribute.Path + ".value", "attribute [" + name + "] value " + attribute.Value.GetRawText() + " is not a valid " + type));
            return fallback;
        }
        return value;
    }
}
