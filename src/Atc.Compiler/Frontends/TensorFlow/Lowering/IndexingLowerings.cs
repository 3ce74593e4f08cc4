using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>GatherNd, TensorScatterUpdate / TensorScatterAdd, OneHot, Cumsum and TopKV2.</summary>
internal static class IndexingLowerings
{
    public static void Register(Dictionary<string, TfLowering> table)
    {
        table["GatherNd"] = GatherNd;
        table["TensorScatterUpdate"] = (c, n) => TensorScatter(c, n, "none");
        table["TensorScatterAdd"] = (c, n) => TensorScatter(c, n, "add");
        table["OneHot"] = OneHot;
        table["Cumsum"] = Cumsum;
        table["TopKV2"] = TopK;
    }

    private static void GatherNd(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var data = c.Input(node, 0);
        c.Emit(node, OpTypes.GatherND, [data, c.Input(node, 1)], data.Type);
    }

    private static void TensorScatter(TfLoweringContext c, TfNode node, string reduction)
    {
        c.RequireInputs(node, 3);
        var data = c.Input(node, 0);
        c.Emit(node, OpTypes.ScatterND, [data, c.Input(node, 1), c.Input(node, 2)], data.Type,
            new OpAttributes().Set("reduction", reduction));
    }

    /// <summary>OneHot(indices, depth, on_value, off_value): the canonical op takes values = [off, on].</summary>
    private static void OneHot(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 4);
        Value on = c.Input(node, 2), off = c.Input(node, 3);
        Value values;
        if (on.Constant is { ElementCount: 1 } onValue && off.Constant is { ElementCount: 1 } offValue)
        {
            var bytes = new byte[2 * on.Type.SizeOf()];
            offValue.Bytes.Span.CopyTo(bytes);
            onValue.Bytes.Span.CopyTo(bytes.AsSpan(on.Type.SizeOf()));
            values = c.Constant(node.Name + "/values", new TensorData(on.Type, [2], bytes));
        }
        else
        {
            var axes = new OpAttributes().Set("axes", new long[] { 0 });
            var offRow = c.EmitHelper(node, "off", OpTypes.Unsqueeze, [off], off.Type, axes);
            var onRow = c.EmitHelper(node, "on", OpTypes.Unsqueeze, [on], on.Type, axes.Clone());
            values = c.EmitHelper(node, "values", OpTypes.Concat, [offRow, onRow], on.Type, new OpAttributes().Set("axis", 0L));
        }
        c.Emit(node, OpTypes.OneHot, [c.Input(node, 0), c.Input(node, 1), values], on.Type,
            new OpAttributes().Set("axis", node.GetInt("axis", -1)));
    }

    private static void Cumsum(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var x = c.Input(node, 0);
        var attributes = new OpAttributes()
            .Set("exclusive", node.GetBool("exclusive", false) ? 1L : 0L)
            .Set("reverse", node.GetBool("reverse", false) ? 1L : 0L);
        c.Emit(node, OpTypes.CumSum, [x, c.Input(node, 1)], x.Type, attributes);
    }

    /// <summary>TopKV2(input, k) along the last axis, k constant or computed; TensorFlow's indices are int32 unless
    /// index_type says int64.</summary>
    private static void TopK(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var x = c.Input(node, 0);
        // A computed k (e.g. min(k, number of boxes)) makes the outputs data-dependent: they run in the dynamic region.
        var kInput = c.Input(node, 1);
        var k = kInput.Constant is not null
            ? c.Int64Constant(node, "k", [c.ConstInt(node, 1, "k")])
            : c.EmitHelper(node, "k", OpTypes.Reshape, [c.AsInt64(node, kInput), c.Int64Constant(node, "k_shape", [1])], DataType.Int64);
        var topk = c.EmitMultiHelper(node, "topk", OpTypes.TopK, [x, k], [x.Type, DataType.Int64],
            new OpAttributes().Set("axis", -1L).Set("largest", 1L));
        c.EmitAt(node, 0, OpTypes.Identity, [topk.Outputs[0]], x.Type);
        var indexType = TfAttributes.GetType(node, "index_type", Proto.DataType.DtInt32);
        if (indexType == Proto.DataType.DtInt64)
            c.EmitAt(node, 1, OpTypes.Identity, [topk.Outputs[1]], DataType.Int64);
        else
            c.EmitAt(node, 1, OpTypes.Cast, [topk.Outputs[1]], DataType.Int32, new OpAttributes().Set("to", (long)DataType.Int32));
    }
}
