using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Format.Proto;
using Google.Protobuf;

namespace Atc.Runtime.Format;

/// <summary>Attribute and tensor conversions between the runtime's types and the .om protobuf messages.</summary>
internal static class ProtoConversions
{
    /// <summary>A node as the .om stores it, in the top-level graph and in control-flow bodies alike; attributes in
    /// ordinal order so the same graph always gives the same bytes.</summary>
    public static NodeDef ToProto(GraphNode node)
    {
        var n = new NodeDef { Name = node.Name, OpType = node.OpType, SourceOpType = node.SourceOpType };
        n.Attributes.AddRange(node.Attributes.All.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => ToProto(kv.Key, kv.Value)));
        n.Inputs.AddRange(node.Inputs);
        n.Outputs.AddRange(node.Outputs);
        return n;
    }

    public static AttributeDef ToProto(string name, AttributeValue value)
    {
        var def = new AttributeDef { Name = name };
        switch (value.Kind)
        {
            case AttributeKind.Int: def.I = value.Int; break;
            case AttributeKind.Float: def.F = value.Float; break;
            case AttributeKind.String: def.S = value.String; break;
            case AttributeKind.Ints: def.Ints = new Int64List { Values = { value.Ints } }; break;
            case AttributeKind.Floats: def.Floats = new FloatList { Values = { value.Floats } }; break;
            case AttributeKind.Strings: def.Strings = new StringList { Values = { value.Strings } }; break;
            case AttributeKind.Tensor: def.Tensor = ToProto(value.Tensor!); break;
            case AttributeKind.Graph: def.Graph = SubgraphConversions.ToProto(value.Graph!); break;
            default: throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "unknown attribute kind");
        }
        return def;
    }

    public static TensorDef ToProto(TensorData tensor) => new()
    {
        Dtype = (int)tensor.Type,
        Dims = { tensor.Dims.Select(d => (long)d) },
        Data = ByteString.CopyFrom(tensor.Bytes.Span),
    };

    /// <summary>Reads an attribute; <paramref name="where"/> names it in errors; <paramref name="depth"/> is how many
    /// bodies enclose it (bounded by <see cref="SubgraphConversions.MaxNestingDepth"/>).</summary>
    public static AttributeValue FromProto(AttributeDef def, string where, int depth = 0) => def.ValueCase switch
    {
        AttributeDef.ValueOneofCase.I => new AttributeValue(def.I),
        AttributeDef.ValueOneofCase.F => new AttributeValue(def.F),
        AttributeDef.ValueOneofCase.S => new AttributeValue(def.S),
        AttributeDef.ValueOneofCase.Ints => new AttributeValue(def.Ints.Values.ToArray()),
        AttributeDef.ValueOneofCase.Floats => new AttributeValue(def.Floats.Values.ToArray()),
        AttributeDef.ValueOneofCase.Strings => new AttributeValue(def.Strings.Values.ToArray()),
        AttributeDef.ValueOneofCase.Tensor => new AttributeValue(FromProto(def.Tensor, where)),
        AttributeDef.ValueOneofCase.Graph => new AttributeValue(SubgraphConversions.FromProto(def.Graph, where, depth + 1)),
        _ => throw new OmFormatException($"{where} has no value"),
    };

    public static TensorData FromProto(TensorDef def, string where)
    {
        var type = OmChecks.DataType(def.Dtype, where);
        var dims = OmChecks.ConcreteDims(def.Dims, where);
        long expected = Shape.ElementCount(dims) * type.SizeOf();
        if (def.Data.Length != expected)
            throw new OmFormatException($"{where}: {type.Name()}{Shape.Format(dims)} needs {expected} bytes, the file has {def.Data.Length}");
        return new TensorData(type, dims, def.Data.ToByteArray());
    }
}

/// <summary>Range checks shared by the reader, each throwing <see cref="OmFormatException"/> with the location.</summary>
internal static class OmChecks
{
    public const int MaxRank = 64;

    public static DataType DataType(int code, string where)
    {
        var type = (DataType)code;
        return DataTypes.IsDefined(type) ? type : throw new OmFormatException($"{where}: data type code {code} is not valid");
    }

    /// <summary>Dims of a value or output sized at run time: -1 for a data-dependent dim, or [-2] when the rank is unknown too.</summary>
    public static int[] DataDependentDims(IReadOnlyList<long> dims, string where)
    {
        if (dims.Count == 1 && dims[0] == -2) return [.. Execution.ValuePlacement.UnknownRank];
        if (dims.Count > MaxRank) throw new OmFormatException($"{where}: rank {dims.Count} exceeds {MaxRank}");
        var result = new int[dims.Count];
        for (int i = 0; i < dims.Count; i++)
            result[i] = dims[i] is >= -1 and <= int.MaxValue ? (int)dims[i] : throw new OmFormatException($"{where}: dimension {i} is {dims[i]}");
        return result;
    }

    /// <summary>Dims of a concrete tensor: each in [0, int.MaxValue], at most int.MaxValue elements.</summary>
    public static int[] ConcreteDims(IReadOnlyList<long> dims, string where)
    {
        if (dims.Count > MaxRank) throw new OmFormatException($"{where}: rank {dims.Count} exceeds {MaxRank}");
        var result = new int[dims.Count];
        long count = 1;
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i] < 0 || dims[i] > int.MaxValue)
                throw new OmFormatException($"{where}: dimension {i} is {dims[i]}");
            result[i] = (int)dims[i];
            count *= result[i];
            if (count > int.MaxValue) throw new OmFormatException($"{where}: more than {int.MaxValue} elements");
        }
        return result;
    }

    /// <summary>Declared dims: -1 (varies) or a concrete size.</summary>
    public static long[] DeclaredDims(IReadOnlyList<long> dims, string where)
    {
        if (dims.Count > MaxRank) throw new OmFormatException($"{where}: rank {dims.Count} exceeds {MaxRank}");
        foreach (long d in dims)
            if (d < -1 || d > int.MaxValue) throw new OmFormatException($"{where}: declared dimension {d} is not valid");
        return [.. dims];
    }

    public static int Index(long value, int count, string where)
        => value >= 0 && value < count ? (int)value : throw new OmFormatException($"{where}: index {value} is out of range (0..{count - 1})");
}
