using Atc.Compiler.Frontends.Onnx.Lowering;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using AttrType = Atc.Compiler.Frontends.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>Copies ONNX attributes whose meaning is the same in the canonical op onto IR attributes.</summary>
internal static class OnnxAttributes
{
    // The kind ONNX defines for each attribute name the lowerings copy; a file that disagrees is invalid.
    private static readonly Dictionary<string, AttrType> ExpectedKinds = new(StringComparer.Ordinal)
    {
        ["axis"] = AttrType.Int, ["keepdims"] = AttrType.Int, ["group"] = AttrType.Int, ["transA"] = AttrType.Int,
        ["transB"] = AttrType.Int, ["ceil_mode"] = AttrType.Int, ["count_include_pad"] = AttrType.Int,
        ["blocksize"] = AttrType.Int, ["select_last_index"] = AttrType.Int, ["allowzero"] = AttrType.Int,
        ["start"] = AttrType.Int, ["end"] = AttrType.Int, ["size"] = AttrType.Int, ["fmod"] = AttrType.Int,
        ["axes"] = AttrType.Ints, ["perm"] = AttrType.Ints, ["kernel_shape"] = AttrType.Ints, ["strides"] = AttrType.Ints,
        ["pads"] = AttrType.Ints, ["dilations"] = AttrType.Ints, ["output_padding"] = AttrType.Ints,
        ["output_shape"] = AttrType.Ints, ["split"] = AttrType.Ints,
        ["alpha"] = AttrType.Float, ["beta"] = AttrType.Float, ["gamma"] = AttrType.Float, ["epsilon"] = AttrType.Float,
        ["bias"] = AttrType.Float, ["lambd"] = AttrType.Float, ["min"] = AttrType.Float, ["max"] = AttrType.Float,
        ["auto_pad"] = AttrType.String, ["mode"] = AttrType.String,
    };

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
        var kind = OnnxNode.KindOf(a);
        // Strict as ONNX's checker: an INT where FLOAT is required is as wrong as any other mismatch.
        if (ExpectedKinds.TryGetValue(name, out var expected) && kind != expected && kind != AttrType.Undefined)
            throw OnnxNode.WrongKind(n.Node, name, kind, expected);
        return kind switch
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
