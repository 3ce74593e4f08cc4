using System.Text;
using Atc.Runtime;

namespace Atc.Tests.Ops.Conformance;

/// <summary>
/// A minimal protobuf wire reader for the parts of ONNX files the single-node conformance test needs
/// (ModelProto → GraphProto → NodeProto/AttributeProto/TensorProto). Field numbers are those of onnx.proto.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool End => _position >= _data.Length;

    public (int Field, int Wire) Tag()
    {
        ulong key = Varint();
        return ((int)(key >> 3), (int)(key & 7));
    }

    public ulong Varint()
    {
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
    }

    public ReadOnlySpan<byte> Bytes()
    {
        int length = (int)Varint();
        var span = _data.Slice(_position, length);
        _position += length;
        return span;
    }

    public uint Fixed32() { uint v = BitConverter.ToUInt32(_data.Slice(_position, 4)); _position += 4; return v; }
    public ulong Fixed64() { ulong v = BitConverter.ToUInt64(_data.Slice(_position, 8)); _position += 8; return v; }

    public void Skip(int wire)
    {
        switch (wire)
        {
            case 0: Varint(); break;
            case 1: _position += 8; break;
            case 2: Bytes(); break;
            case 5: _position += 4; break;
            default: throw new InvalidDataException($"wire type {wire}");
        }
    }

    /// <summary>Reads a repeated varint field, packed or not.</summary>
    public void Varints(int wire, List<long> into)
    {
        if (wire == 2)
        {
            var inner = new ProtoReader(Bytes());
            while (!inner.End) into.Add((long)inner.Varint());
        }
        else into.Add((long)Varint());
    }
}

internal sealed class OnnxAttribute
{
    public string Name = "";
    public int Type;
    public float F;
    public long I;
    public string S = "";
    public TensorData? T;
    public List<float> Floats = [];
    public List<long> Ints = [];
}

internal sealed class OnnxNode
{
    public List<string> Inputs = [];
    public List<string> Outputs = [];
    public string OpType = "";
    public string Domain = "";
    public List<OnnxAttribute> Attributes = [];
}

internal sealed class OnnxGraph
{
    public List<OnnxNode> Nodes = [];
    public Dictionary<string, TensorData> Initializers = [];
    public List<string> Inputs = [];
    public List<string> Outputs = [];
    public long Opset;
}

internal static class OnnxFiles
{
    /// <summary>Reads a TensorProto; null when its element type is not one this runtime has.</summary>
    public static TensorData? Tensor(ReadOnlySpan<byte> bytes, out string name)
    {
        var r = new ProtoReader(bytes);
        var dims = new List<long>();
        int type = 0;
        name = "";
        byte[]? raw = null;
        var floats = new List<float>();
        var doubles = new List<double>();
        var ints = new List<long>();
        while (!r.End)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1: r.Varints(wire, dims); break;
                case 2: type = (int)r.Varint(); break;
                case 4:
                    if (wire == 2) { var p = new ProtoReader(r.Bytes()); while (!p.End) floats.Add(BitConverter.UInt32BitsToSingle(p.Fixed32())); }
                    else floats.Add(BitConverter.UInt32BitsToSingle(r.Fixed32()));
                    break;
                case 5: case 7: r.Varints(wire, ints); break;
                case 8: name = Encoding.UTF8.GetString(r.Bytes()); break;
                case 9: raw = r.Bytes().ToArray(); break;
                case 10:
                    if (wire == 2) { var p = new ProtoReader(r.Bytes()); while (!p.End) doubles.Add(BitConverter.UInt64BitsToDouble(p.Fixed64())); }
                    else doubles.Add(BitConverter.UInt64BitsToDouble(r.Fixed64()));
                    break;
                default: r.Skip(wire); break;
            }
        }
        var dataType = (DataType)type;
        if (!DataTypes.IsDefined(dataType)) return null;
        int[] shape = [.. dims.Select(d => (int)d)];
        if (raw is not null) return new TensorData(dataType, shape, raw);
        return dataType switch
        {
            DataType.Float32 => TensorData.FromArray(dataType, shape, floats.ToArray()),
            DataType.Float64 => TensorData.FromArray(dataType, shape, doubles.ToArray()),
            DataType.Int64 => TensorData.FromArray(dataType, shape, ints.ToArray()),
            DataType.Int32 => TensorData.FromArray(dataType, shape, ints.Select(v => (int)v).ToArray()),
            DataType.UInt8 or DataType.Bool => TensorData.FromArray(dataType, shape, ints.Select(v => (byte)v).ToArray()),
            DataType.Int8 => TensorData.FromArray(dataType, shape, ints.Select(v => (sbyte)v).ToArray()),
            _ => null,
        };
    }

    public static OnnxGraph Model(byte[] bytes)
    {
        var r = new ProtoReader(bytes);
        var graph = new OnnxGraph();
        while (!r.End)
        {
            var (field, wire) = r.Tag();
            if (field == 7) ReadGraph(r.Bytes(), graph);
            else if (field == 8)
            {
                var o = new ProtoReader(r.Bytes());
                string domain = "";
                long version = 0;
                while (!o.End)
                {
                    var (f, w) = o.Tag();
                    if (f == 1) domain = Encoding.UTF8.GetString(o.Bytes());
                    else if (f == 2) version = (long)o.Varint();
                    else o.Skip(w);
                }
                if (domain is "" or "ai.onnx") graph.Opset = version;
            }
            else r.Skip(wire);
        }
        return graph;
    }

    private static void ReadGraph(ReadOnlySpan<byte> bytes, OnnxGraph graph)
    {
        var r = new ProtoReader(bytes);
        while (!r.End)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1: graph.Nodes.Add(ReadNode(r.Bytes())); break;
                case 5:
                    var t = Tensor(r.Bytes(), out var name);
                    if (t is not null) graph.Initializers[name] = t;
                    break;
                case 11: graph.Inputs.Add(ValueName(r.Bytes())); break;
                case 12: graph.Outputs.Add(ValueName(r.Bytes())); break;
                default: r.Skip(wire); break;
            }
        }
    }

    private static string ValueName(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        while (!r.End)
        {
            var (field, wire) = r.Tag();
            if (field == 1) return Encoding.UTF8.GetString(r.Bytes());
            r.Skip(wire);
        }
        return "";
    }

    private static OnnxNode ReadNode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        var node = new OnnxNode();
        while (!r.End)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1: node.Inputs.Add(Encoding.UTF8.GetString(r.Bytes())); break;
                case 2: node.Outputs.Add(Encoding.UTF8.GetString(r.Bytes())); break;
                case 4: node.OpType = Encoding.UTF8.GetString(r.Bytes()); break;
                case 5: node.Attributes.Add(ReadAttribute(r.Bytes())); break;
                case 7: node.Domain = Encoding.UTF8.GetString(r.Bytes()); break;
                default: r.Skip(wire); break;
            }
        }
        return node;
    }

    private static OnnxAttribute ReadAttribute(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        var a = new OnnxAttribute();
        while (!r.End)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1: a.Name = Encoding.UTF8.GetString(r.Bytes()); break;
                case 2: a.F = BitConverter.UInt32BitsToSingle(r.Fixed32()); break;
                case 3: a.I = (long)r.Varint(); break;
                case 4: a.S = Encoding.UTF8.GetString(r.Bytes()); break;
                case 5: a.T = Tensor(r.Bytes(), out _); break;
                case 7:
                    if (wire == 2) { var p = new ProtoReader(r.Bytes()); while (!p.End) a.Floats.Add(BitConverter.UInt32BitsToSingle(p.Fixed32())); }
                    else a.Floats.Add(BitConverter.UInt32BitsToSingle(r.Fixed32()));
                    break;
                case 8: r.Varints(wire, a.Ints); break;
                case 20: a.Type = (int)r.Varint(); break;
                default: r.Skip(wire); break;
            }
        }
        return a;
    }
}
