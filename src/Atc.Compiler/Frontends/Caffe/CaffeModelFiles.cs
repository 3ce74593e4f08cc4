using System.Text;
using Atc.Compiler.Frontends.Caffe.Proto;
using Atc.Compiler.Frontends.Caffe.TextFormat;
using Atc.Options;
using Atc.Options.Errors;
using Google.Protobuf;

namespace Atc.Compiler.Frontends.Caffe;

/// <summary>Reads the two files of a Caffe model: the network (.prototxt, protobuf text format) and its trained
/// weights (.caffemodel, binary protobuf), each problem as ATC's Caffe code naming the file and where.</summary>
internal static class CaffeModelFiles
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static NetParameter ReadNet(byte[] bytes, string path)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw NotText(path);
        }
        if (text.Contains('\0')) throw NotText(path);
        NetParameter net;
        try
        {
            net = TextFormatReader.Parse(text, NetParameter.Parser, (field, token) =>
                field.ContainingType.Name == nameof(NetParameter) && field.Name == "layers"
                    ? new AtcException(AtcErrors.CaffeV1LayersInModel(path))
                    : null);
        }
        catch (TextFormatException e)
        {
            throw new AtcException(AtcErrors.CaffeTextParseFailed(path, "NetParameter", e.Field, e.Line, e.Column, e.Reason));
        }
        if (net.Layer.Count == 0) throw new AtcException(AtcErrors.CaffeNoLayers(path));
        return net;
    }

    /// <summary>The trained layers of the .caffemodel by name (the first layer of a name that has blobs).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<BlobProto>> ReadWeights(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AtcException(AtcErrors.ReadFailed(path, AtcOptionNames.Weight, e.Message.TrimEnd('.')));
        }
        if (bytes.Length == 0) throw new AtcException(AtcErrors.CaffeWeightParseFailed(path, "The file is empty"));
        NetParameter weights;
        try
        {
            weights = NetParameter.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new AtcException(AtcErrors.CaffeWeightParseFailed(path,
                "The file is not a complete binary Caffe NetParameter (" + e.Message.TrimEnd('.') + "; " + bytes.Length + " bytes read)"));
        }
        if (weights.Layers.Count > 0 && weights.Layer.Count == 0) throw new AtcException(AtcErrors.CaffeV1LayersInWeights(path));
        if (weights.Layer.Count == 0) throw new AtcException(AtcErrors.CaffeNoWeightLayers(path));
        var byName = new Dictionary<string, IReadOnlyList<BlobProto>>(StringComparer.Ordinal);
        foreach (var layer in weights.Layer)
            if (layer.Blobs.Count > 0) byName.TryAdd(layer.Name, layer.Blobs);
        return byName;
    }

    private static AtcException NotText(string path)
        => new(AtcErrors.CaffeTextParseFailed(path, "NetParameter", "", 1, 1,
            "the file is not text (a binary .caffemodel?): --model takes the network .prototxt and --weight the .caffemodel"));
}
