using System.Globalization;
using Atc.Compiler.Frontends.Caffe.Proto;
using ReductionOp = Atc.Compiler.Frontends.Caffe.Proto.ReductionParameter.Types.ReductionOp;

namespace Atc.Compiler.Frontends.Caffe.Layers;

/// <summary>Reduction (SUM, ASUM, SUMSQ or MEAN over every axis from axis on, times coeff) and ArgMax (top_k indices,
/// or values with out_max_val, along axis or over each item's flattened values). Caffe's ArgMax breaks ties toward
/// the larger index, ONNX's TopK toward the smaller; ties are the only place the two differ.</summary>
internal static class ReductionLayers
{
    public static void Register(IDictionary<string, Action<CaffeLayer>> table)
    {
        table["Reduction"] = Reduction;
        table["ArgMax"] = ArgMax;
    }

    private static void Reduction(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        var p = layer.Parameter.ReductionParam ?? new ReductionParameter();
        int axis = layer.Axis(p.Axis, "axis");
        long[] axes = [.. Enumerable.Range(axis, layer.Rank - axis).Select(a => (long)a)];
        layer.SetTop(0, [.. layer.BottomShape.Take(axis)]);
        bool scaled = p.Coeff != 1f;
        string output = scaled ? layer.Writer.Unique(layer.Inner("reduced")) : layer.TopNames[0];
        string name = scaled ? layer.Inner("reduce") : layer.Name;
        switch (p.Operation)
        {
            case ReductionOp.Sum:
                layer.Writer.Node(name, "ReduceSum", [layer.Bottom, layer.Writer.Int64s(layer.Inner("axes"), axes)], [output], ("keepdims", 0L));
                break;
            case ReductionOp.Asum:
                layer.Writer.Node(name, "ReduceL1", [layer.Bottom], [output], ("axes", axes), ("keepdims", 0L));
                break;
            case ReductionOp.Sumsq:
                layer.Writer.Node(name, "ReduceSumSquare", [layer.Bottom], [output], ("axes", axes), ("keepdims", 0L));
                break;
            case ReductionOp.Mean:
                layer.Writer.Node(name, "ReduceMean", [layer.Bottom], [output], ("axes", axes), ("keepdims", 0L));
                break;
            default:
                throw layer.Invalid(((int)p.Operation).ToString(CultureInfo.InvariantCulture), "operation", "the operation is not one of Caffe's SUM (1), ASUM (2), SUMSQ (3), MEAN (4)", "Use SUM, ASUM, SUMSQ or MEAN.");
        }
        if (scaled)
            layer.Writer.Node(layer.Name, "Mul", [output, layer.Writer.Floats(layer.Inner("coeff"), [p.Coeff])], [layer.TopNames[0]]);
    }

    private static void ArgMax(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        var p = layer.Parameter.ArgmaxParam ?? new ArgMaxParameter();
        var shape = layer.BottomShape;
        int? axis = p.HasAxis ? layer.Axis(p.Axis, "axis") : null;
        long available = axis is { } a ? shape[a] : shape.Skip(1).Aggregate(1L, (x, d) => x * d);
        if (p.TopK < 1 || p.TopK > available)
            throw layer.Invalid(p.TopK.ToString(CultureInfo.InvariantCulture), "top_k", "top_k must be from 1 to the " + available + " values it chooses among",
                "Use a top_k from 1 to " + available + ".");
        long k = p.TopK;
        var w = layer.Writer;
        if (axis is { } along)
        {
            var top = (long[])shape.Clone();
            top[along] = k;
            layer.SetTop(0, top);
            var outputs = w.Unique(layer.Inner("values"));
            var indices = w.Unique(layer.Inner("indices"));
            w.Node(layer.Inner("topk"), "TopK", [layer.Bottom, w.Int64s(layer.Inner("k"), k)], [outputs, indices], ("axis", (long)along));
            if (p.OutMaxVal) w.Node(layer.Name, "Identity", [outputs], [layer.TopNames[0]]);
            else w.Node(layer.Name, "Cast", [indices], [layer.TopNames[0]], ("to", 1L));
            return;
        }
        // Over each item's flattened values: [N, 1, k] indices, or [N, 2, k] with the values as channel 1.
        layer.SetTop(0, [shape[0], p.OutMaxVal ? 2 : 1, k]);
        var flat = w.Node(layer.Inner("flatten"), "Reshape", [layer.Bottom, w.Int64s(layer.Inner("flat_shape"), 0, -1)]);
        var values = w.Unique(layer.Inner("values"));
        var positions = w.Unique(layer.Inner("indices"));
        w.Node(layer.Inner("topk"), "TopK", [flat, w.Int64s(layer.Inner("k"), k)], [values, positions], ("axis", 1L));
        var index = w.Node(layer.Inner("cast"), "Cast", [positions], ("to", 1L));
        var axesOne = w.Int64s(layer.Inner("axis1"), 1);
        if (!p.OutMaxVal)
        {
            w.Node(layer.Name, "Unsqueeze", [index, axesOne], [layer.TopNames[0]]);
            return;
        }
        var indexRow = w.Node(layer.Inner("unsqueeze_index"), "Unsqueeze", [index, axesOne]);
        var valueRow = w.Node(layer.Inner("unsqueeze_value"), "Unsqueeze", [values, w.Int64s(layer.Inner("axis1_values"), 1)]);
        w.Node(layer.Name, "Concat", [indexRow, valueRow], [layer.TopNames[0]], ("axis", 1L));
    }
}
