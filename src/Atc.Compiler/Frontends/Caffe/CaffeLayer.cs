using System.Globalization;
using Atc.Compiler.Frontends.Caffe.Proto;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Compiler.Frontends.Caffe;

/// <summary>
/// One Caffe layer while it is converted: its parameters, its bottoms as ONNX tensors with their shapes (Caffe's
/// static shapes, from the declared input dims), its weight blobs (from the .caffemodel, matched by layer name),
/// and the tensor names its tops must get. Converters write nodes through <see cref="Writer"/>.
/// </summary>
internal sealed class CaffeLayer(LayerParameter parameter, IReadOnlyList<string> bottoms, IReadOnlyList<long[]> bottomShapes,
    IReadOnlyList<BlobProto> blobs, IReadOnlyList<string> topNames, OnnxGraphWriter writer, string weightPath)
{
    private readonly long[]?[] _topShapes = new long[]?[topNames.Count];

    public LayerParameter Parameter { get; } = parameter;
    public string Name => Parameter.Name;
    public string Type => Parameter.Type;
    public IReadOnlyList<string> Bottoms { get; } = bottoms;
    public IReadOnlyList<long[]> BottomShapes { get; } = bottomShapes;
    public IReadOnlyList<BlobProto> Blobs { get; } = blobs;
    /// <summary>The tensor name each top must be written to (the blob name, or a versioned name for in-place layers).</summary>
    public IReadOnlyList<string> TopNames { get; } = topNames;
    public OnnxGraphWriter Writer { get; } = writer;

    public string Bottom => Bottoms[0];
    public long[] BottomShape => BottomShapes[0];
    public int Rank => BottomShapes[0].Length;

    /// <summary>The shape of top <paramref name="index"/>, once the converter has set it.</summary>
    public long[]? TopShape(int index) => _topShapes[index];

    public void SetTop(int index, long[] shape)
    {
        foreach (var d in shape)
            if (d <= 0) throw Invalid(Shape(shape), "top " + TopNames[index], "the layer would make a blob with a dimension of " + d + " from bottom shape(s) " + string.Join(" and ", BottomShapes.Select(Shape)),
                "Check the layer's parameters against its bottom's shape, or the input shape.");
        _topShapes[index] = shape;
    }

    /// <summary>Name for an inner node or constant of this layer (the layer's last node takes the layer's name).</summary>
    public string Inner(string suffix) => Name + "/" + suffix;

    /// <summary>Exactly <paramref name="count"/> bottoms (E13014 otherwise).</summary>
    public void RequireBottoms(int min, int max = -1)
    {
        max = max < 0 ? min : max;
        if (Bottoms.Count < min || Bottoms.Count > max)
            throw Invalid(Bottoms.Count.ToString(CultureInfo.InvariantCulture), "bottom",
                "a " + Type + " layer takes " + (min == max ? min.ToString(CultureInfo.InvariantCulture) : min + " to " + (max == int.MaxValue ? "any number of" : max.ToString(CultureInfo.InvariantCulture))) + " bottom(s)",
                "Give layer [" + Name + "] the bottoms its type takes.");
    }

    /// <summary>An axis parameter normalized against the rank (Caffe allows -rank..rank-1).</summary>
    public int Axis(long axis, string parameter, int rank = -1)
    {
        rank = rank < 0 ? Rank : rank;
        if (axis < -rank || axis >= rank)
            throw Invalid(axis.ToString(CultureInfo.InvariantCulture), parameter, "the axis is outside the bottom's " + rank + " axes",
                "Use an axis from " + (-rank) + " to " + (rank - 1) + ".");
        return (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>
    /// Weight blob <paramref name="index"/> as floats, checked against the element count the layer's parameters and
    /// bottoms give (<paramref name="dims"/>): E11029 when the layer has no blobs at all, E11033 for a missing blob
    /// or a count that does not match. Caffe's legacy 4-D blob shapes (1x1xNxK) are accepted by count.
    /// </summary>
    public float[] Blob(int index, string role, params long[] dims)
    {
        if (Blobs.Count == 0) throw new AtcException(AtcErrors.CaffeLayerWithoutWeights(Name, Type, weightPath));
        long expected = 1;
        foreach (var d in dims) expected *= d;
        var blobName = Name + " blob " + index + " (" + role + ")";
        if (index >= Blobs.Count)
            throw new AtcException(AtcErrors.CaffeBlobInvalid(blobName, 0,
                "layer [" + Name + "] has " + Blobs.Count + " blob(s), but its parameters need blob " + index + " (" + role + ", shape " + Shape(dims) + ")"));
        var blob = Blobs[index];
        long count = blob.Data.Count > 0 ? blob.Data.Count : blob.DoubleData.Count;
        if (count != expected)
            throw new AtcException(AtcErrors.CaffeBlobInvalid(blobName, count,
                "the layer's parameters and bottom shape need " + expected + " values (shape " + Shape(dims) + "), the blob holds " + count
                + (DeclaredShape(blob) is { } declared ? " (declared shape " + declared + ")" : "")));
        if (blob.Data.Count > 0)
        {
            var values = new float[count];
            blob.Data.CopyTo(values, 0);
            return values;
        }
        return blob.DoubleData.Select(d => (float)d).ToArray();
    }

    public AtcException Invalid(string value, string parameter, string reason, string fix)
        => new(AtcErrors.CaffeLayerParameterInvalid(value, parameter, Name + " (" + Type + ")", reason, fix));

    public static string Shape(IEnumerable<long> dims) => "[" + string.Join(",", dims) + "]";

    private static string? DeclaredShape(BlobProto blob)
    {
        if (blob.Shape is { } shape) return Shape(shape.Dim);
        if (blob.HasNum || blob.HasChannels || blob.HasHeight || blob.HasWidth) return Shape([blob.Num, blob.Channels, blob.Height, blob.Width]);
        return null;
    }
}
