using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>Shape arithmetic and data movement: Reshape, Squeeze, ExpandDims, Shape, StridedSlice, Pack, Unpack,
/// Transpose, Fill, Tile, Gather, Slice, Split, Range, Concat and Pad. Shape-like operands become int64.</summary>
internal static class ShapeLowerings
{
    /// <summary>More outputs than this from one Split/Unpack is a corrupt attribute, not a model.</summary>
    private const int MaxParts = 65536;

    public static void Register(Dictionary<string, TfLowering> table)
    {
        table["Reshape"] = Reshape;
        table["Squeeze"] = Squeeze;
        table["ExpandDims"] = ExpandDims;
        table["Shape"] = (c, n) => ShapeOf(c, n, OpTypes.Shape);
        table["Size"] = (c, n) => ShapeOf(c, n, OpTypes.Size);
        table["StridedSlice"] = StridedSlice;
        table["Pack"] = Pack;
        table["Unpack"] = Unpack;
        table["Transpose"] = Transpose;
        table["Fill"] = Fill;
        table["ZerosLike"] = (c, n) => FillLike(c, n, 0);
        table["OnesLike"] = (c, n) => FillLike(c, n, 1);
        table["BroadcastTo"] = BroadcastTo;
        table["Tile"] = Tile;
        table["GatherV2"] = Gather;
        table["Gather"] = Gather;
        table["Slice"] = Slice;
        table["Split"] = Split;
        table["SplitV"] = SplitV;
        table["Range"] = Range;
        table["ConcatV2"] = (c, n) => Concat(c, n, axisFirst: false);
        table["Concat"] = (c, n) => Concat(c, n, axisFirst: true);
        table["Pad"] = (c, n) => Pad(c, n, "constant");
        table["PadV2"] = (c, n) => Pad(c, n, "constant");
        table["MirrorPad"] = MirrorPad;
    }

    /// <summary>TensorFlow's Reshape: a 0 in the shape is a zero-size axis (allowzero 1).</summary>
    private static void Reshape(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var x = c.Input(node, 0);
        var shape = c.AsInt64(node, c.Input(node, 1));
        c.Emit(node, OpTypes.Reshape, [x, shape], x.Type, new OpAttributes().Set("allowzero", 1L));
    }

    private static void Squeeze(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 1);
        var x = c.Input(node, 0);
        // "squeeze_dims" in GraphDefs; some exporters write "axis".
        var axes = node.GetInts("squeeze_dims", node.GetInts("axis", []));
        c.Emit(node, OpTypes.Squeeze, [x], x.Type, new OpAttributes().Set("axes", axes));
    }

    private static void ExpandDims(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var x = c.Input(node, 0);
        long axis = c.ConstInt(node, 1, "dim");
        c.Emit(node, OpTypes.Unsqueeze, [x], x.Type, new OpAttributes().Set("axes", new[] { axis }));
    }

    /// <summary>Shape / Size yield int64 here; TensorFlow's out_type defaults to int32, so a Cast follows.</summary>
    private static void ShapeOf(TfLoweringContext c, TfNode node, string opType)
    {
        c.RequireInputs(node, 1);
        var x = c.Input(node, 0);
        var outType = node.GetType("out_type", Proto.DataType.DtInt32);
        if (!TfDataTypes.TryMap(outType, out var type) || type is not (DataType.Int32 or DataType.Int64))
            throw new TfUnsupportedException(node.Op + " (out_type " + TfDataTypes.Name(outType) + ")");
        if (type == DataType.Int64)
        {
            c.Emit(node, opType, [x], DataType.Int64);
            return;
        }
        var shape = c.EmitHelper(node, "int64", opType, [x], DataType.Int64);
        c.Emit(node, OpTypes.Cast, [shape], DataType.Int32, new OpAttributes().Set("to", (long)DataType.Int32));
    }

    private static void StridedSlice(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 4);
        var x = c.Input(node, 0);
        var attributes = new OpAttributes();
        foreach (var mask in new[] { "begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask" })
            attributes.Set(mask, node.GetInt(mask, 0));
        c.Emit(node, OpTypes.StridedSlice,
            [x, c.AsInt64(node, c.Input(node, 1)), c.AsInt64(node, c.Input(node, 2)), c.AsInt64(node, c.Input(node, 3))],
            x.Type, attributes);
    }

    /// <summary>Pack stacks N tensors on a new axis: Unsqueeze each, then Concat.</summary>
    private static void Pack(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 1, int.MaxValue);
        var inputs = c.Inputs(node);
        long axis = node.GetInt("axis", 0);
        var unsqueeze = new OpAttributes().Set("axes", new[] { axis });
        if (inputs.Count == 1)
        {
            c.Emit(node, OpTypes.Unsqueeze, [inputs[0]], inputs[0].Type, unsqueeze);
            return;
        }
        var parts = inputs.Select((v, i) => c.EmitHelper(node, "unsqueeze_" + i, OpTypes.Unsqueeze, [v], v.Type, unsqueeze.Clone())).ToList();
        c.Emit(node, OpTypes.Concat, parts, inputs[0].Type, new OpAttributes().Set("axis", axis));
    }

    /// <summary>Unpack splits an axis into num tensors without it: Split into equal parts, then Squeeze each.</summary>
    private static void Unpack(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 1);
        var x = c.Input(node, 0);
        long num = node.GetInt("num", -1);
        if (num is < 1 or > MaxParts)
            throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] (Unpack) has num " + num + ", expected 1 to " + MaxParts));
        long axis = node.GetInt("axis", 0);
        var squeeze = new OpAttributes().Set("axes", new[] { axis });
        IReadOnlyList<Value> parts = num == 1 ? [x]
            : c.EmitMultiHelper(node, "split", OpTypes.Split, [x], [.. Enumerable.Repeat(x.Type, (int)num)], new OpAttributes().Set("axis", axis)).Outputs;
        for (int k = 0; k < parts.Count; k++)
            c.EmitAt(node, k, OpTypes.Squeeze, [parts[k]], x.Type, squeeze.Clone());
    }

    private static void Transpose(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var x = c.Input(node, 0);
        var perm = c.ConstInts(node, 1, "perm");
        c.Emit(node, OpTypes.Transpose, [x], x.Type, new OpAttributes().Set("perm", perm));
    }

    /// <summary>Fill(dims, value): ConstantOfShape when the value is constant, else a broadcasting Expand.</summary>
    private static void Fill(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var dims = c.AsInt64(node, c.Input(node, 0));
        var value = c.Input(node, 1);
        if (value.Constant is { ElementCount: 1 } scalar)
        {
            var element = TfConstantLayout.Reshape(scalar, [1]);
            c.Emit(node, OpTypes.ConstantOfShape, [dims], value.Type, new OpAttributes().Set("value", new AttributeValue(element)));
            return;
        }
        c.Emit(node, OpTypes.Expand, [value, dims], value.Type);
    }

    /// <summary>ZerosLike / OnesLike: ConstantOfShape over the input's shape (folded per gear), never x·0, which
    /// would turn NaN and ∞ into NaN.</summary>
    private static void FillLike(TfLoweringContext c, TfNode node, int value)
    {
        c.RequireInputs(node, 1);
        var x = c.Input(node, 0);
        var shape = c.EmitHelper(node, "shape", OpTypes.Shape, [x], DataType.Int64);
        var element = x.Type switch
        {
            DataType.Float32 => TensorData.Float([1], [value]),
            DataType.Float64 => new TensorData(DataType.Float64, [1], BitConverter.GetBytes((double)value)),
            DataType.Int32 => new TensorData(DataType.Int32, [1], BitConverter.GetBytes(value)),
            DataType.Int64 => TensorData.Int64([1], [value]),
            DataType.UInt8 or DataType.Int8 or DataType.Bool => new TensorData(x.Type, [1], new[] { (byte)value }),
            _ => throw new TfUnsupportedException(node.Op + " (type " + x.Type.Name() + ")"),
        };
        c.Emit(node, OpTypes.ConstantOfShape, [shape], x.Type, new OpAttributes().Set("value", new AttributeValue(element)));
    }

    /// <summary>BroadcastTo(x, shape): Expand (TensorFlow broadcasts one way only, which valid models respect).</summary>
    private static void BroadcastTo(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var x = c.Input(node, 0);
        c.Emit(node, OpTypes.Expand, [x, c.AsInt64(node, c.Input(node, 1))], x.Type);
    }

    private static void Tile(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var x = c.Input(node, 0);
        c.Emit(node, OpTypes.Tile, [x, c.AsInt64(node, c.Input(node, 1))], x.Type);
    }

    /// <summary>GatherV2(params, indices, axis) and the older Gather(params, indices) on axis 0.</summary>
    private static void Gather(TfLoweringContext c, TfNode node)
    {
        bool v2 = node.Op == "GatherV2";
        c.RequireInputs(node, v2 ? 3 : 2);
        if (node.GetInt("batch_dims", 0) != 0) throw new TfUnsupportedException(node.Op + " (batch_dims != 0)");
        var data = c.Input(node, 0);
        var indices = c.Input(node, 1);
        long axis = v2 ? c.ConstInt(node, 2, "axis") : 0;
        c.Emit(node, OpTypes.Gather, [data, indices], data.Type, new OpAttributes().Set("axis", axis));
    }

    /// <summary>Slice(input, begin, size): size -1 runs to the end of the axis, so the ends are computed here.</summary>
    private static void Slice(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 3);
        var x = c.Input(node, 0);
        var beginValue = c.Input(node, 1);
        var size = c.ConstInts(node, 2, "size");
        var axes = c.Int64Constant(node, "axes", [.. Enumerable.Range(0, size.Length).Select(i => (long)i)]);

        Value starts, ends;
        if (beginValue.Constant is { } beginData)
        {
            var begin = beginData.ToInt64Array();
            if (begin.Length != size.Length)
                throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] (Slice) has " + begin.Length
                    + " begin values but " + size.Length + " sizes"));
            starts = c.AsInt64(node, beginValue);
            ends = c.Int64Constant(node, "ends", [.. begin.Select((b, i) => size[i] == -1 ? long.MaxValue : b + size[i])]);
        }
        else if (Array.IndexOf(size, -1L) < 0)
        {
            starts = c.AsInt64(node, beginValue);
            ends = c.EmitHelper(node, "ends", OpTypes.Add, [starts, c.Int64Constant(node, "size", size)], DataType.Int64);
        }
        else
        {
            throw new TfUnsupportedException(node.Op + " (non-constant begin with size -1)");
        }
        c.Emit(node, OpTypes.Slice, [x, starts, ends, axes], x.Type);
    }

    /// <summary>Split(split_dim, value) into num_split equal parts.</summary>
    private static void Split(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        long axis = c.ConstInt(node, 0, "split_dim");
        var x = c.Input(node, 1);
        int parts = RequireNumSplit(node);
        c.EmitMulti(node, OpTypes.Split, [x], [.. Enumerable.Repeat(x.Type, parts)], new OpAttributes().Set("axis", axis));
    }

    /// <summary>SplitV(value, size_splits, split_dim); one size may be -1 (the rest), resolved from a known input shape.</summary>
    private static void SplitV(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 3);
        var x = c.Input(node, 0);
        var sizes = c.ConstInts(node, 1, "size_splits");
        long axis = c.ConstInt(node, 2, "split_dim");
        int rest = Array.IndexOf(sizes, -1L);
        if (rest >= 0)
        {
            long dim = x.Shape is { } s && axis >= -s.Length && axis < s.Length ? s[axis < 0 ? axis + s.Length : axis] : -1;
            if (dim < 0) throw new TfUnsupportedException(node.Op + " (size -1 on an axis of unknown size)");
            sizes[rest] = dim - (sizes.Sum() + 1);
        }
        c.EmitMulti(node, OpTypes.Split, [x], [.. Enumerable.Repeat(x.Type, sizes.Length)],
            new OpAttributes().Set("axis", axis).Set("split", sizes));
    }

    private static int RequireNumSplit(TfNode node)
    {
        long n = node.GetInt("num_split", -1);
        return n is >= 1 and <= MaxParts ? (int)n
            : throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] (" + node.Op + ") has num_split " + n + ", expected 1 to " + MaxParts));
    }

    private static void Range(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 3);
        var inputs = c.Inputs(node);
        c.Emit(node, OpTypes.Range, inputs, inputs[0].Type);
    }

    /// <summary>ConcatV2(values..., axis) and the older Concat(axis, values...); the axis must be constant.</summary>
    private static void Concat(TfLoweringContext c, TfNode node, bool axisFirst)
    {
        c.RequireInputs(node, 2, int.MaxValue);
        int count = c.InputCount(node);
        int axisIndex = axisFirst ? 0 : count - 1;
        long axis = c.ConstInt(node, axisIndex, "axis");
        var values = Enumerable.Range(0, count).Where(i => i != axisIndex).Select(i => c.Input(node, i)).ToList();
        c.Emit(node, OpTypes.Concat, values, values[0].Type, new OpAttributes().Set("axis", axis));
    }

    private static void MirrorPad(TfLoweringContext c, TfNode node)
    {
        string mode = node.GetString("mode", "");
        if (mode != "REFLECT") throw new TfUnsupportedException(node.Op + " (mode " + mode + ")");
        Pad(c, node, "reflect");
    }

    /// <summary>Pad / PadV2 / MirrorPad: TensorFlow's paddings [rank, 2] of (before, after) pairs become the
    /// canonical [2*rank] "all befores, then all afters".</summary>
    private static void Pad(TfLoweringContext c, TfNode node, string mode)
    {
        c.RequireInputs(node, node.Op == "PadV2" ? 3 : 2);
        var x = c.Input(node, 0);
        var paddings = c.Input(node, 1);
        Value pads;
        if (paddings.Constant is { } p)
        {
            if (p.Rank != 2 || p.Dims[1] != 2)
                throw new AtcException(AtcErrors.InvalidModel("the paddings of node [" + node.Name + "] have shape "
                    + Shape.Format(p.Dims) + ", expected [rank, 2]"));
            var pairs = p.ToInt64Array();
            int rank = p.Dims[0];
            var values = new long[2 * rank];
            for (int i = 0; i < rank; i++) { values[i] = pairs[2 * i]; values[rank + i] = pairs[2 * i + 1]; }
            pads = c.Derived(paddings, "pads", () => c.Constant(paddings.Name + "/pads", TensorData.Int64([2 * rank], values)));
        }
        else
        {
            // Transposing [rank, 2] to [2, rank] and flattening gives the same order at run time.
            var transposed = c.EmitHelper(node, "pads_transpose", OpTypes.Transpose, [paddings], paddings.Type,
                new OpAttributes().Set("perm", new long[] { 1, 0 }));
            var flat = c.EmitHelper(node, "pads_flatten", OpTypes.Reshape, [transposed, c.Int64Constant(node, "pads_shape", [-1])],
                paddings.Type, new OpAttributes().Set("allowzero", 1L));
            pads = c.AsInt64(node, flat);
        }
        var inputs = new List<Value?> { x, pads };
        if (node.Op == "PadV2") inputs.Add(c.Input(node, 2));
        c.Emit(node, OpTypes.Pad, inputs, x.Type, new OpAttributes().Set("mode", mode));
    }
}
