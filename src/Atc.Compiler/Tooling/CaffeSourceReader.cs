using Atc.Compiler.Frontends.Caffe;
using Atc.Compiler.Frontends.Caffe.Layers;
using Atc.Compiler.Frontends.Caffe.Proto;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Atc.Compiler.Tooling;

/// <summary>A Caffe .prototxt as a <see cref="SourceModel"/> (--mode=1, --check_report): every layer with its type,
/// bottoms and *_param messages as JSON; no weight file is needed.</summary>
internal static class CaffeSourceReader
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    public static SourceModel Read(byte[] bytes, string path)
    {
        var net = CaffeModelFiles.ReadNet(bytes, path);
        var layers = net.Layer.Where(CaffeNetConverter.InTestPhase).ToList();
        var inputs = CaffeNetConverter.DeclaredInputs(net, layers, path)
            .Select(i => new SourceInput(i.Name, "float32", i.Shape.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList()))
            .ToList();
        var nodes = new List<SourceNode>();
        var unread = new List<string>();
        foreach (var layer in layers)
        {
            foreach (var bottom in layer.Bottom) unread.Remove(bottom);
            if (layer.Type != CaffeLayerTable.InputType) unread.AddRange(layer.Top.Where(t => !unread.Contains(t)));
            nodes.Add(new SourceNode(layer.Name, layer.Type, layer.Bottom.ToList(), Attributes(layer), CaffeLayerTable.IsSupported(layer.Type)));
        }
        return new SourceModel("caffe", net.Name.Length > 0 ? net.Name : Path.GetFileNameWithoutExtension(path), inputs, nodes, unread);
    }

    /// <summary>The layer's parameter messages (fields ending in "_param") as JSON, and its top names.</summary>
    private static List<KeyValuePair<string, string>> Attributes(LayerParameter layer)
    {
        var attributes = new List<KeyValuePair<string, string>> { new("top", System.Text.Json.JsonSerializer.Serialize(layer.Top.ToList())) };
        foreach (var field in LayerParameter.Descriptor.Fields.InFieldNumberOrder())
            if (field.FieldType == FieldType.Message && field.Name.EndsWith("_param", StringComparison.Ordinal) && field.Accessor.HasValue(layer))
                attributes.Add(new(field.Name, Formatter.Format((IMessage)field.Accessor.GetValue(layer))));
        if (layer.Blobs.Count > 0) attributes.Add(new("blobs", "\"" + layer.Blobs.Count + " blobs\""));
        return attributes;
    }
}
