using Atc.Runtime;
using AttrType = Atc.Compiler.Frontends.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>Copies ONNX attributes whose meaning is the same in the canonical op onto IR attributes.</summary>
internal static class OnnxAttributes
{
    /// <summary>The listed attributes that the node sets, converted; absent ones stay absent (canonical defaults apply).</summary>
    public static OpAttributes Copy(NodeLowering n, params string[] names)
    {
        var attributes = new OpAttributes();
        foreach (var name in names)
            if (Convert(n, name) is { } value) attributes.Set(name, value);
        return attributes;
    }

    private static AttributeValue? Convert(NodeLowering n, string name)
    {
        var a = n.Node.Attributes.FirstOrDefault(x => x.Name == name);
        if (a is null) return null;
        return OnnxNode.KindOf(a) switch
        {
            AttrType.Int => new AttributeValue(a.I),
            AttrType.Float => new AttributeValue(a.F),
            AttrType.String => new AttributeValue(a.S.ToStringUtf8()),
            AttrType.Ints => new AttributeValue(a.Ints.ToArray()),
            AttrType.Floats => new AttributeValue(a.Floats.ToArray()),
            AttrType.Strings => new AttributeValue(a.Strings.Select(s => s.ToStringUtf8()).ToArray()),
            AttrType.Tensor => n.ReadTensor(a.T, $"attribute '{name}'") is { } t ? new AttributeValue(t) : null,
            // An empty list has no kind in the file; it means the same as absent for every op that has list attributes.
            _ => null,
        };
    }
}
