using Google.Protobuf;

namespace Atc.Cli.Tests.Support;

/// <summary>
/// Writes a minimal TensorFlow frozen GraphDef by hand (field numbers from TensorFlow's graph.proto, node_def.proto,
/// attr_value.proto, tensor_shape.proto): Placeholder(float, shape) → Relu. Enough for the seed's command lines.
/// </summary>
public static class TinyTensorFlowModel
{
    private const int DtFloat = 1;

    public static byte[] PlaceholderRelu(string inputName, long[] shape)
    {
        var placeholder = Node(inputName, "Placeholder", [],
            ("dtype", AttrType(DtFloat)), ("shape", AttrShape(shape)));
        var relu = Node("Relu", "Relu", [inputName], ("T", AttrType(DtFloat)));
        return Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteBytes(placeholder);
            w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteBytes(relu);
            w.WriteTag(4, WireFormat.WireType.LengthDelimited); w.WriteBytes(Message(v => { v.WriteTag(1, WireFormat.WireType.Varint); v.WriteInt32(27); }));
        }).ToByteArray();
    }

    public static void Write(string path, string inputName, long[] shape) => File.WriteAllBytes(path, PlaceholderRelu(inputName, shape));

    private static ByteString Node(string name, string op, string[] inputs, params (string Key, ByteString Value)[] attrs)
        => Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteString(name);
            w.WriteTag(2, WireFormat.WireType.LengthDelimited); w.WriteString(op);
            foreach (var input in inputs) { w.WriteTag(3, WireFormat.WireType.LengthDelimited); w.WriteString(input); }
            foreach (var (key, value) in attrs)
            {
                var entry = Message(e =>
                {
                    e.WriteTag(1, WireFormat.WireType.LengthDelimited); e.WriteString(key);
                    e.WriteTag(2, WireFormat.WireType.LengthDelimited); e.WriteBytes(value);
                });
                w.WriteTag(5, WireFormat.WireType.LengthDelimited); w.WriteBytes(entry);
            }
        });

    private static ByteString AttrType(int dataType)
        => Message(w => { w.WriteTag(6, WireFormat.WireType.Varint); w.WriteEnum(dataType); });

    private static ByteString AttrShape(long[] dims)
        => Message(w =>
        {
            var shape = Message(s =>
            {
                foreach (var d in dims)
                {
                    var dim = Message(x => { x.WriteTag(1, WireFormat.WireType.Varint); x.WriteInt64(d); });
                    s.WriteTag(2, WireFormat.WireType.LengthDelimited); s.WriteBytes(dim);
                }
            });
            w.WriteTag(7, WireFormat.WireType.LengthDelimited); w.WriteBytes(shape);
        });

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }
}
