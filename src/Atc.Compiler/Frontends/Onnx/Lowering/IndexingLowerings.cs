using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>Element and tuple indexing (GatherElements, ScatterElements and its opset-9 name Scatter, GatherND,
/// ScatterND), OneHot, Trilu and EyeLike: one canonical op each, attributes carried over.</summary>
internal static class IndexingLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        table[OpTypes.GatherElements] = n => n.Emit(OpTypes.GatherElements, [n.RequiredInput(0, "data"), n.RequiredInput(1, "indices")],
            OnnxAttributes.Copy(n, "axis"), 1);
        table[OpTypes.ScatterElements] = Scatter;
        table["Scatter"] = Scatter;
        table[OpTypes.GatherND] = n => n.Emit(OpTypes.GatherND, [n.RequiredInput(0, "data"), n.RequiredInput(1, "indices")],
            OnnxAttributes.Copy(n, "batch_dims"), 1);
        table[OpTypes.ScatterND] = n => n.Emit(OpTypes.ScatterND, [n.RequiredInput(0, "data"), n.RequiredInput(1, "indices"),
            n.RequiredInput(2, "updates")], OnnxAttributes.Copy(n, "reduction"), 1);
        table[OpTypes.OneHot] = n => n.Emit(OpTypes.OneHot, [n.RequiredInput(0, "indices"), n.RequiredInput(1, "depth"),
            n.RequiredInput(2, "values")], OnnxAttributes.Copy(n, "axis"), 1, n.RequiredInput(2, "values").Type);
        table[OpTypes.Trilu] = n => n.Emit(OpTypes.Trilu, [n.RequiredInput(0, "input"), n.Input(1)], OnnxAttributes.Copy(n, "upper"), 1);
        table[OpTypes.EyeLike] = EyeLike;
        table[OpTypes.ReverseSequence] = n => n.Emit(OpTypes.ReverseSequence, [n.RequiredInput(0, "input"), n.RequiredInput(1, "sequence_lens")],
            OnnxAttributes.Copy(n, "batch_axis", "time_axis"), 1);
        // Data-dependent output sizes: the planner runs them (and what reads them) in the gear's dynamic region.
        table[OpTypes.NonZero] = n => n.Emit(OpTypes.NonZero, [n.RequiredInput(0, "X")], null, 1, DataType.Int64);
        table[OpTypes.NonMaxSuppression] = n => n.Emit(OpTypes.NonMaxSuppression,
            [n.RequiredInput(0, "boxes"), n.RequiredInput(1, "scores"), n.Input(2), n.Input(3), n.Input(4)],
            OnnxAttributes.Copy(n, "center_point_box"), 1, DataType.Int64);
        table[OpTypes.Unique] = Unique;
        table[OpTypes.Compress] = n => n.Emit(OpTypes.Compress, [n.RequiredInput(0, "input"), n.RequiredInput(1, "condition")],
            OnnxAttributes.Copy(n, "axis"), 1);
    }

    private static void Scatter(NodeLowering n) => n.Emit(OpTypes.ScatterElements, [n.RequiredInput(0, "data"),
        n.RequiredInput(1, "indices"), n.RequiredInput(2, "updates")], OnnxAttributes.Copy(n, "axis", "reduction"), 1);

    // dtype is an ONNX type code; the canonical attribute uses the same codes, so only support needs checking.
    private static void EyeLike(NodeLowering n)
    {
        var input = n.RequiredInput(0, "input");
        var attributes = OnnxAttributes.Copy(n, "k");
        var type = input.Type;
        if (n.Node.Has("dtype"))
        {
            int code = OnnxAttributeCodes.TypeCode(n, "dtype", 0);
            if (OnnxDataTypes.ToDataType(code) is not { } target)
            {
                n.Unsupported($"EyeLike to {OnnxDataTypes.Name(code)}");
                return;
            }
            type = target;
            attributes.Set("dtype", (long)code);
        }
        n.Emit(OpTypes.EyeLike, [input], attributes, 1, type);
    }

    // Y keeps X's type; indices, inverse_indices and counts are int64.
    private static void Unique(NodeLowering n)
    {
        var x = n.RequiredInput(0, "X");
        var node = n.Emit(OpTypes.Unique, [x], OnnxAttributes.Copy(n, "sorted", "axis"), Math.Max(1, n.Node.Outputs.Count), x.Type);
        for (int i = 1; i < node.Outputs.Count; i++) node.Outputs[i].Type = DataType.Int64;
    }
}
