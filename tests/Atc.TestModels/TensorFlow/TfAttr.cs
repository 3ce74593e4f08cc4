using Atc.Compiler.Frontends.TensorFlow.Proto;
using Google.Protobuf;

namespace Atc.TestModels.TensorFlow;

/// <summary>Short constructors for NodeDef attribute values.</summary>
internal static class TfAttr
{
    public static AttrValue Type(DataType type) => new() { Type = type };
    public static AttrValue Int(long value) => new() { I = value };
    public static AttrValue Float(float value) => new() { F = value };
    public static AttrValue Bool(bool value) => new() { B = value };
    public static AttrValue Str(string value) => new() { S = ByteString.CopyFromUtf8(value) };

    public static AttrValue Ints(params long[] values)
    {
        var list = new AttrValue.Types.ListValue();
        list.I.Add(values);
        return new AttrValue { List = list };
    }

    /// <summary>A shape attribute; null means unknown rank, -1 an unknown dimension.</summary>
    public static AttrValue Shape(long[]? dims) => new() { Shape = TfTensors.Shape(dims) };

    public static AttrValue Tensor(TensorProto tensor) => new() { Tensor = tensor };
}
