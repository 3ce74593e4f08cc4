using System.Text;
using Atc.Compiler.Frontends.TensorFlow.Proto;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>Typed reads of NodeDef attributes. A present attribute of the wrong kind, or a missing required one,
/// is an invalid model: TensorFlow itself would refuse to run the node.</summary>
internal static class TfAttributes
{
    public static bool Has(this TfNode node, string name) => node.Def.Attr.ContainsKey(name);

    public static string GetString(this TfNode node, string name, string @default)
        => Get(node, name, AttrValue.ValueOneofCase.S, "string") is { } v ? Encoding.UTF8.GetString(v.S.Span) : @default;

    public static long GetInt(this TfNode node, string name, long @default)
        => Get(node, name, AttrValue.ValueOneofCase.I, "int") is { } v ? v.I : @default;

    public static float GetFloat(this TfNode node, string name, float @default)
        => Get(node, name, AttrValue.ValueOneofCase.F, "float") is { } v ? v.F : @default;

    public static bool GetBool(this TfNode node, string name, bool @default)
        => Get(node, name, AttrValue.ValueOneofCase.B, "bool") is { } v ? v.B : @default;

    public static DataType GetType(this TfNode node, string name, DataType @default)
        => Get(node, name, AttrValue.ValueOneofCase.Type, "type") is { } v ? v.Type : @default;

    public static DataType RequireType(this TfNode node, string name)
        => Get(node, name, AttrValue.ValueOneofCase.Type, "type")?.Type ?? throw Missing(node, name, "type");

    public static TensorShapeProto? GetShape(this TfNode node, string name)
        => Get(node, name, AttrValue.ValueOneofCase.Shape, "shape")?.Shape;

    public static TensorProto RequireTensor(this TfNode node, string name)
        => Get(node, name, AttrValue.ValueOneofCase.Tensor, "tensor")?.Tensor ?? throw Missing(node, name, "tensor");

    /// <summary>A list(int) attribute; absent → <paramref name="default"/>. An empty list value reads as empty.</summary>
    public static long[] GetInts(this TfNode node, string name, long[] @default)
        => Get(node, name, AttrValue.ValueOneofCase.List, "list(int)") is { } v ? [.. v.List.I] : @default;

    public static long[] RequireInts(this TfNode node, string name)
        => Get(node, name, AttrValue.ValueOneofCase.List, "list(int)") is { } v ? [.. v.List.I] : throw Missing(node, name, "list(int)");

    private static AttrValue? Get(TfNode node, string name, AttrValue.ValueOneofCase kind, string kindName)
    {
        if (!node.Def.Attr.TryGetValue(name, out var v)) return null;
        if (v.ValueCase == kind) return v;
        // An empty list is written with no oneof case set by some exporters.
        if (kind == AttrValue.ValueOneofCase.List && v.ValueCase == AttrValue.ValueOneofCase.None) return new AttrValue { List = new() };
        throw new AtcException(AtcErrors.AttributeTypeInvalid(node.Name, node.Op, name, KindName(v), kindName));
    }

    // TensorFlow's spelling of an AttrValue's kind, as in op definitions ("int", "list(int)").
    private static string KindName(AttrValue v) => v.ValueCase switch
    {
        AttrValue.ValueOneofCase.S => "string",
        AttrValue.ValueOneofCase.I => "int",
        AttrValue.ValueOneofCase.F => "float",
        AttrValue.ValueOneofCase.B => "bool",
        AttrValue.ValueOneofCase.Type => "type",
        AttrValue.ValueOneofCase.Shape => "shape",
        AttrValue.ValueOneofCase.Tensor => "tensor",
        AttrValue.ValueOneofCase.List => ListKindName(v.List),
        AttrValue.ValueOneofCase.Placeholder => "placeholder",
        _ => "unset",
    };

    private static string ListKindName(AttrValue.Types.ListValue list)
        => list.I.Count > 0 ? "list(int)" : list.F.Count > 0 ? "list(float)" : list.S.Count > 0 ? "list(string)"
            : list.B.Count > 0 ? "list(bool)" : list.Type.Count > 0 ? "list(type)" : list.Shape.Count > 0 ? "list(shape)"
            : list.Tensor.Count > 0 ? "list(tensor)" : "list";

    private static AtcException Missing(TfNode node, string name, string kindName) => new(AtcErrors.InvalidModel(
        "node [" + node.Name + "] (" + node.Op + ") lacks its required attribute [" + name + "] (" + kindName + ")"));
}
