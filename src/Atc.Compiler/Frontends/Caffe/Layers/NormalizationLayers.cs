using Atc.Compiler.Frontends.Caffe.Proto;

namespace Atc.Compiler.Frontends.Caffe.Layers;

/// <summary>BatchNorm (Caffe's three blobs: mean and variance sums and their scale factor; no affine part) and Scale
/// (a learned or second-bottom multiplier over axes [axis, axis+num_axes), with an optional bias). The compiler's
/// BatchNorm folding then merges BatchNorm + Scale into the preceding convolution, as ATC does.</summary>
internal static class NormalizationLayers
{
    public static void Register(IDictionary<string, Action<CaffeLayer>> table)
    {
        table["BatchNorm"] = BatchNorm;
        table["Scale"] = Scale;
        table["Normalize"] = Normalize;
    }

    /// <summary>SSD's Normalize: x / sqrt(Σ x² + eps) per item (across_spatial) or per pixel over the channels, times
    /// the learned scale (blob 0: one value when channel_shared, else one per channel).</summary>
    private static void Normalize(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        var p = layer.Parameter.NormParam ?? new NormalizeParameter();
        if (layer.Rank < 2)
            throw layer.Invalid(CaffeLayer.Shape(layer.BottomShape), "bottom", "Normalize works over axis 1, which the bottom lacks", "Give the bottom at least 2 axes.");
        long channels = layer.BottomShape[1];
        var scale = layer.Blob(0, "scale", p.ChannelShared ? 1 : channels);
        layer.SetTop(0, layer.BottomShape);
        var w = layer.Writer;
        long[] axes = p.AcrossSpatial ? [.. Enumerable.Range(1, layer.Rank - 1).Select(a => (long)a)] : [1];
        var squares = w.Node(layer.Inner("sum_squares"), "ReduceSumSquare", [layer.Bottom], ("axes", axes), ("keepdims", 1L));
        var norm = w.Node(layer.Inner("norm"), "Sqrt", [w.Node(layer.Inner("plus_eps"), "Add", [squares, w.Floats(layer.Inner("eps"), [p.Eps])])]);
        var normalized = w.Node(layer.Inner("normalized"), "Div", [layer.Bottom, norm]);
        long[] scaleDims = p.ChannelShared ? [] : [channels, .. Enumerable.Repeat(1L, layer.Rank - 2)];
        w.Node(layer.Name, "Mul", [normalized, w.Floats(layer.Inner("scale"), scale, scaleDims)], [layer.TopNames[0]]);
    }

    private static void BatchNorm(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        var p = layer.Parameter.BatchNormParam ?? new BatchNormParameter();
        if (layer.Rank < 2)
            throw layer.Invalid(CaffeLayer.Shape(layer.BottomShape), "bottom", "BatchNorm normalizes axis 1, which the bottom lacks", "Give the bottom at least 2 axes.");
        long channels = layer.BottomShape[1];
        var mean = layer.Blob(0, "mean", channels);
        var variance = layer.Blob(1, "variance", channels);
        // Caffe keeps running sums and their count: the statistics are blob / factor (0 when the factor is 0).
        var factor = layer.Blob(2, "moving average factor", 1)[0];
        float scale = factor == 0f ? 0f : 1f / factor;
        for (int c = 0; c < channels; c++) { mean[c] *= scale; variance[c] *= scale; }
        // Inference always uses the stored statistics (use_global_stats: false only matters in training).
        layer.SetTop(0, layer.BottomShape);
        var ones = Enumerable.Repeat(1f, (int)channels).ToArray();
        layer.Writer.Node(layer.Name, "BatchNormalization",
            [layer.Bottom, layer.Writer.Floats(layer.Inner("gamma"), ones, channels), layer.Writer.Floats(layer.Inner("beta"), new float[channels], channels),
             layer.Writer.Floats(layer.Inner("mean"), mean, channels), layer.Writer.Floats(layer.Inner("variance"), variance, channels)],
            [layer.TopNames[0]], ("epsilon", p.Eps));
    }

    private static void Scale(CaffeLayer layer)
    {
        layer.RequireBottoms(1, 2);
        var p = layer.Parameter.ScaleParam ?? new ScaleParameter();
        int axis = layer.Axis(p.Axis, "axis", Math.Max(layer.Rank, 1));
        layer.SetTop(0, layer.BottomShape);
        string multiplier;
        long[] covered;
        int nextBlob;
        if (layer.Bottoms.Count == 2)
        {
            // The multiplier is bottom[1], covering bottom[0]'s axes from axis on; trailing 1s make it broadcast.
            var second = layer.BottomShapes[1];
            covered = second;
            CheckCovered(layer, axis, covered, "bottom[1] shape");
            int trailing = layer.Rank - axis - second.Length;
            multiplier = trailing == 0 ? layer.Bottoms[1]
                : layer.Writer.Node(layer.Inner("unsqueeze"), "Unsqueeze",
                    [layer.Bottoms[1], layer.Writer.Int64s(layer.Inner("axes"), [.. Enumerable.Range(second.Length, trailing).Select(i => (long)i)])]);
            nextBlob = 0;
        }
        else
        {
            int numAxes = p.NumAxes < 0 ? layer.Rank - axis : p.NumAxes;
            if (axis + numAxes > layer.Rank)
                throw layer.Invalid(p.NumAxes.ToString(System.Globalization.CultureInfo.InvariantCulture), "num_axes",
                    "axis " + axis + " plus num_axes runs past the bottom's " + layer.Rank + " axes", "Use num_axes from -1 to " + (layer.Rank - axis) + ".");
            covered = layer.BottomShape.Skip(axis).Take(numAxes).ToArray();
            multiplier = Broadcast(layer, "scale", layer.Blob(0, "scale", covered), covered, axis);
            nextBlob = 1;
        }
        if (!p.BiasTerm)
        {
            layer.Writer.Node(layer.Name, "Mul", [layer.Bottom, multiplier], [layer.TopNames[0]]);
            return;
        }
        var product = layer.Writer.Node(layer.Inner("mul"), "Mul", [layer.Bottom, multiplier]);
        var bias = Broadcast(layer, "bias", layer.Blob(nextBlob, "bias", covered), covered, axis);
        layer.Writer.Node(layer.Name, "Add", [product, bias], [layer.TopNames[0]]);
    }

    /// <summary>A constant over axes [axis, axis + covered) of the bottom, shaped to broadcast against it.</summary>
    private static string Broadcast(CaffeLayer layer, string role, float[] values, long[] covered, int axis)
    {
        long[] dims = [.. covered, .. Enumerable.Repeat(1L, layer.Rank - axis - covered.Length)];
        return layer.Writer.Floats(layer.Inner(role), values, dims.Length == 0 ? [1] : dims);
    }

    private static void CheckCovered(CaffeLayer layer, int axis, long[] covered, string what)
    {
        bool fits = axis + covered.Length <= layer.Rank;
        for (int i = 0; fits && i < covered.Length; i++) fits = covered[i] == layer.BottomShape[axis + i];
        if (!fits)
            throw layer.Invalid(CaffeLayer.Shape(covered), what, "it must equal bottom[0]'s dims from axis " + axis + " (" + CaffeLayer.Shape(layer.BottomShape.Skip(axis)) + ")",
                "Give bottom[1] the shape of bottom[0]'s axes from axis on, or change axis.");
    }
}
