using System.Globalization;
using Atc.Compiler.Frontends.Caffe.Proto;

namespace Atc.Compiler.Frontends.Caffe.Layers;

/// <summary>Layers that move data without arithmetic: Concat, Slice, Split, Flatten, Reshape and Permute. Leading
/// axes are kept as ONNX Reshape's 0 (copy) so that batch gears resize them; the static dims Caffe's declared input
/// shape gives are used only where Caffe's parameters need them (slice sizes, dims after a flattened range).</summary>
internal static class TensorLayers
{
    public static void Register(IDictionary<string, Action<CaffeLayer>> table)
    {
        table["Concat"] = Concat;
        table["Slice"] = Slice;
        table["Split"] = Split;
        table["Flatten"] = Flatten;
        table["Reshape"] = Reshape;
        table["Permute"] = Permute;
        table["Crop"] = Crop;
    }

    /// <summary>Crop: bottom[0] cut to bottom[1]'s dims on every axis from axis on, starting at offset (none: 0; one:
    /// the same for every cropped axis; else one per cropped axis).</summary>
    private static void Crop(CaffeLayer layer)
    {
        layer.RequireBottoms(2);
        var p = layer.Parameter.CropParam ?? new CropParameter();
        int axis = layer.Axis(p.Axis, "axis");
        var reference = layer.BottomShapes[1];
        int cropped = layer.Rank - axis;
        if (reference.Length != layer.Rank)
            throw layer.Invalid(CaffeLayer.Shape(reference), "bottom 1", "Crop needs a reference bottom of the same rank as bottom 0 " + CaffeLayer.Shape(layer.BottomShape),
                "Give a reference blob with " + layer.Rank + " axes.");
        if (p.Offset.Count is not (0 or 1) && p.Offset.Count != cropped)
            throw layer.Invalid(string.Join(",", p.Offset), "offset", "Crop takes no offset, one, or one per cropped axis (" + cropped + ")", "Give 1 or " + cropped + " offsets.");
        var top = (long[])layer.BottomShape.Clone();
        var starts = new long[cropped];
        var ends = new long[cropped];
        for (int i = 0; i < cropped; i++)
        {
            int d = axis + i;
            long offset = p.Offset.Count == 0 ? 0 : p.Offset[p.Offset.Count == 1 ? 0 : i];
            if (offset + reference[d] > layer.BottomShape[d])
                throw layer.Invalid(offset.ToString(CultureInfo.InvariantCulture), "offset", "axis " + d + " of " + CaffeLayer.Shape(layer.BottomShape) + " is too small for offset " + offset + " plus the reference's " + reference[d],
                    "Use an offset of at most " + (layer.BottomShape[d] - reference[d]) + " on axis " + d + ".");
            top[d] = reference[d];
            starts[i] = offset;
            ends[i] = offset + reference[d];
        }
        layer.SetTop(0, top);
        layer.Writer.Node(layer.Name, "Slice", [layer.Bottom, layer.Writer.Int64s(layer.Inner("starts"), starts), layer.Writer.Int64s(layer.Inner("ends"), ends),
            layer.Writer.Int64s(layer.Inner("axes"), [.. Enumerable.Range(axis, cropped).Select(a => (long)a)])], [layer.TopNames[0]]);
    }

    private static void Concat(CaffeLayer layer)
    {
        layer.RequireBottoms(1, int.MaxValue);
        var p = layer.Parameter.ConcatParam ?? new ConcatParameter();
        int axis = layer.Axis(p.HasConcatDim && !p.HasAxis ? p.ConcatDim : p.Axis, "axis");
        long total = 0;
        for (int i = 0; i < layer.Bottoms.Count; i++)
        {
            var shape = layer.BottomShapes[i];
            bool fits = shape.Length == layer.Rank;
            for (int d = 0; fits && d < shape.Length; d++) fits = d == axis || shape[d] == layer.BottomShape[d];
            if (!fits)
                throw layer.Invalid(CaffeLayer.Shape(shape), "bottom " + i, "Concat needs bottoms that agree on every axis but " + axis + "; bottom 0 is " + CaffeLayer.Shape(layer.BottomShape),
                    "Make the bottoms' other axes equal, or change axis.");
            total += shape[axis];
        }
        var top = (long[])layer.BottomShape.Clone();
        top[axis] = total;
        layer.SetTop(0, top);
        if (layer.Bottoms.Count == 1) layer.Writer.Node(layer.Name, "Identity", layer.Bottoms, [layer.TopNames[0]]);
        else layer.Writer.Node(layer.Name, "Concat", layer.Bottoms, [layer.TopNames[0]], ("axis", (long)axis));
    }

    private static void Slice(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        var p = layer.Parameter.SliceParam ?? new SliceParameter();
        int axis = layer.Axis(p.HasSliceDim && !p.HasAxis ? p.SliceDim : p.Axis, "axis");
        long size = layer.BottomShape[axis];
        int tops = layer.TopNames.Count;
        var sizes = new long[tops];
        if (p.SlicePoint.Count > 0)
        {
            if (p.SlicePoint.Count != tops - 1)
                throw layer.Invalid(string.Join(",", p.SlicePoint), "slice_point", "Slice takes one slice_point fewer than its tops (" + tops + ")", "Give " + (tops - 1) + " slice_point values.");
            long previous = 0;
            for (int i = 0; i < tops; i++)
            {
                long end = i < tops - 1 ? p.SlicePoint[i] : size;
                if (end <= previous || end > size)
                    throw layer.Invalid(string.Join(",", p.SlicePoint), "slice_point", "slice points must increase strictly inside (0, " + size + ") along axis " + axis, "Give increasing slice points below " + size + ".");
                sizes[i] = end - previous;
                previous = end;
            }
        }
        else
        {
            if (size % tops != 0)
                throw layer.Invalid(size.ToString(CultureInfo.InvariantCulture), "axis " + axis, "without slice_point the axis is split evenly, but " + size + " is not a multiple of " + tops + " tops", "Give slice_point values.");
            Array.Fill(sizes, size / tops);
        }
        for (int i = 0; i < tops; i++)
        {
            var shape = (long[])layer.BottomShape.Clone();
            shape[axis] = sizes[i];
            layer.SetTop(i, shape);
        }
        layer.Writer.Node(layer.Name, "Split", [layer.Bottom, layer.Writer.Int64s(layer.Inner("split"), sizes)], layer.TopNames, ("axis", (long)axis));
    }

    /// <summary>Caffe's Split copies its bottom to every top: one Identity per top (removed by the compiler).</summary>
    private static void Split(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        for (int i = 0; i < layer.TopNames.Count; i++)
        {
            layer.SetTop(i, layer.BottomShape);
            layer.Writer.Node(i == 0 ? layer.Name : layer.Inner("copy" + i), "Identity", [layer.Bottom], [layer.TopNames[i]]);
        }
    }

    private static void Flatten(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        var p = layer.Parameter.FlattenParam ?? new FlattenParameter();
        int axis = layer.Axis(p.Axis, "axis");
        int end = layer.Axis(p.EndAxis, "end_axis");
        if (end < axis) throw layer.Invalid(p.EndAxis.ToString(CultureInfo.InvariantCulture), "end_axis", "end_axis comes before axis " + axis, "Use an end_axis at or after axis.");
        long flattened = 1;
        for (int i = axis; i <= end; i++) flattened *= layer.BottomShape[i];
        var trailing = layer.BottomShape.Skip(end + 1).ToArray();
        layer.SetTop(0, [.. layer.BottomShape.Take(axis), flattened, .. trailing]);
        long[] shape = [.. Enumerable.Repeat(0L, axis), -1, .. trailing];
        layer.Writer.Node(layer.Name, "Reshape", [layer.Bottom, layer.Writer.Int64s(layer.Inner("shape"), shape)], [layer.TopNames[0]]);
    }

    private static void Reshape(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        var p = layer.Parameter.ReshapeParam ?? new ReshapeParameter();
        var dims = p.Shape?.Dim.ToArray() ?? [];
        // axis may be -1 (after the last axis, i.e. rank) down to -(rank+1); num_axes -1 means to the end.
        int rank = layer.Rank;
        long axisValue = p.Axis < 0 ? p.Axis + rank + 1 : p.Axis;
        if (axisValue < 0 || axisValue > rank)
            throw layer.Invalid(p.Axis.ToString(CultureInfo.InvariantCulture), "axis", "the axis is outside the bottom's " + rank + " axes", "Use an axis from " + (-rank - 1) + " to " + rank + ".");
        int axis = (int)axisValue;
        int numAxes = p.NumAxes < 0 ? rank - axis : p.NumAxes;
        if (p.NumAxes < -1 || axis + numAxes > rank)
            throw layer.Invalid(p.NumAxes.ToString(CultureInfo.InvariantCulture), "num_axes", "axis " + axis + " plus num_axes runs past the bottom's " + rank + " axes", "Use num_axes from -1 to " + (rank - axis) + ".");
        if (dims.Count(d => d == -1) > 1 || dims.Any(d => d < -1))
            throw layer.Invalid(CaffeLayer.Shape(dims), "shape", "at most one dim may be -1 and none below it", "Use -1 for one inferred dim and 0 to copy a dim.");

        long total = layer.BottomShape.Aggregate(1L, (a, b) => a * b);
        var top = new List<long>(layer.BottomShape.Take(axis));
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == 0 && axis + i >= rank)
                throw layer.Invalid("0", "shape.dim[" + i + "]", "0 copies bottom axis " + (axis + i) + ", which does not exist", "Give the dim's size.");
            top.Add(dims[i] == 0 ? layer.BottomShape[axis + i] : dims[i]);
        }
        top.AddRange(layer.BottomShape.Skip(axis + numAxes));
        long known = top.Where(d => d != -1).Aggregate(1L, (a, b) => a * b);
        int inferred = top.IndexOf(-1);
        if (inferred >= 0)
        {
            if (known == 0 || total % known != 0)
                throw layer.Invalid(CaffeLayer.Shape(dims), "shape", "the bottom's " + total + " values do not divide into the other dims (" + known + ")", "Fix the shape so that its product divides the bottom's count.");
            top[inferred] = total / known;
        }
        else if (known != total)
            throw layer.Invalid(CaffeLayer.Shape(dims), "shape", "the shape holds " + known + " values, the bottom " + total, "Give a shape with the bottom's count, or use -1 for one dim.");
        layer.SetTop(0, [.. top]);

        // Leading kept axes and Caffe's 0s copy the bottom's dim at the same position, which is what ONNX's 0 means.
        long[] shape = [.. Enumerable.Repeat(0L, axis), .. dims, .. layer.BottomShape.Skip(axis + numAxes)];
        layer.Writer.Node(layer.Name, "Reshape", [layer.Bottom, layer.Writer.Int64s(layer.Inner("shape"), shape)], [layer.TopNames[0]]);
    }

    private static void Permute(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        var order = (layer.Parameter.PermuteParam ?? new PermuteParameter()).Order.Select(o => (long)o).ToList();
        // Caffe's Permute lists the leading new axes; the rest follow in their order.
        if (order.Any(o => o >= layer.Rank) || order.Distinct().Count() != order.Count)
            throw layer.Invalid(string.Join(",", order), "order", "the order must name distinct axes below " + layer.Rank, "Give a permutation of the bottom's axes.");
        for (long axis = 0; axis < layer.Rank; axis++) if (!order.Contains(axis)) order.Add(axis);
        layer.SetTop(0, order.Select(o => layer.BottomShape[o]).ToArray());
        layer.Writer.Node(layer.Name, "Transpose", [layer.Bottom], [layer.TopNames[0]], ("perm", order.ToArray()));
    }
}
