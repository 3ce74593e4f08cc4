using System.Globalization;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Compiler.Frontends.TensorFlow;
using Atc.Compiler.Frontends.TensorFlow.Proto;
using Atc.Options;
using Atc.Options.Errors;
using Google.Protobuf;

namespace Atc.Compiler.Tooling;

/// <summary>Reads a TensorFlow GraphDef or an ONNX model into a <see cref="SourceModel"/>, without lowering anything.
/// Weights are summarised (type and shape), never copied into the result.</summary>
public static class SourceModelReader
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    public static SourceModel Read(AtcFramework framework, byte[] bytes, string path)
        => framework switch
        {
            AtcFramework.Caffe => CaffeSourceReader.Read(bytes, path),
            AtcFramework.TensorFlow => ReadTensorFlow(bytes, path),
            _ => ReadOnnx(bytes, path),
        };

    private static SourceModel ReadTensorFlow(byte[] bytes, string path)
    {
        var graphDef = TfGraphDefReader.Read(bytes, path);
        var supported = new HashSet<string>(TensorFlowImporter.SupportedOps, StringComparer.Ordinal);
        var inputs = new List<SourceInput>();
        var nodes = new List<SourceNode>();
        var consumed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graphDef.Node)
        {
            foreach (var input in node.Input) consumed.Add(InputNodeName(input));
            if (node.Op == "Placeholder")
            {
                node.Attr.TryGetValue("dtype", out var dtype);
                node.Attr.TryGetValue("shape", out var shape);
                inputs.Add(new SourceInput(node.Name, dtype is null ? "unknown" : TfDataTypes.Name(dtype.Type),
                    shape?.Shape is null || shape.Shape.UnknownRank ? null : shape.Shape.Dim.Select(d => d.Size.ToString(CultureInfo.InvariantCulture)).ToList()));
            }
            var attributes = node.Attr.OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => new KeyValuePair<string, string>(a.Key, TfAttribute(a.Value))).ToList();
            nodes.Add(new SourceNode(node.Name, node.Op, node.Input.ToList(), attributes, supported.Contains(node.Op)));
        }
        var outputs = graphDef.Node.Where(n => !consumed.Contains(n.Name) && n.Op is not ("Const" or "NoOp" or "Placeholder")).Select(n => n.Name).ToList();
        return new SourceModel("tensorflow", Path.GetFileNameWithoutExtension(path), inputs, nodes, outputs);
    }

    private static string InputNodeName(string input)
    {
        var name = input.TrimStart('^');
        int colon = name.LastIndexOf(':');
        return colon > 0 ? name[..colon] : name;
    }

    private static string TfAttribute(AttrValue value)
    {
        if (value.ValueCase == AttrValue.ValueOneofCase.Tensor) return TensorSummary(TfDataTypes.Name(value.Tensor.Dtype), value.Tensor.TensorShape?.Dim.Select(d => d.Size));
        if (value.ValueCase == AttrValue.ValueOneofCase.S) return JsonString(value.S.ToStringUtf8());
        if (value.ValueCase == AttrValue.ValueOneofCase.List && value.List.Tensor.Count > 0) return "\"" + value.List.Tensor.Count + " tensors\"";
        return Formatter.Format(value);
    }

    private static SourceModel ReadOnnx(byte[] bytes, string path)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new AtcException(AtcErrors.ModelParseFailed(path, "ONNX", "the protobuf data is malformed or truncated (" + e.Message.TrimEnd('.') + ")"));
        }
        if (proto.Graph is null) throw new AtcException(AtcErrors.ModelParseFailed(path, "ONNX", "the file holds no ONNX graph (ModelProto.graph is missing)"));
        var graph = proto.Graph;
        var supported = new HashSet<string>(OnnxImporter.SupportedOpTypes, StringComparer.Ordinal);
        var initializers = new HashSet<string>(graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).Select(i =>
        {
            var tensor = i.Type?.TensorType;
            var dims = tensor?.Shape is null ? null
                : tensor.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : d.HasDimParam && d.DimParam.Length > 0 ? d.DimParam : "-1").ToList();
            return new SourceInput(i.Name, tensor is null ? "unknown" : OnnxDataTypes.Name(tensor.ElemType), dims);
        }).ToList();
        var nodes = graph.Node.Select((n, k) =>
        {
            var attributes = n.Attribute.Select(a => new KeyValuePair<string, string>(a.Name, OnnxAttribute(a))).ToList();
            bool isDefaultDomain = n.Domain.Length == 0 || n.Domain == "ai.onnx";
            var name = n.Name.Length > 0 ? n.Name : n.OpType + "_" + k.ToString(CultureInfo.InvariantCulture);
            return new SourceNode(name, n.OpType, n.Input.ToList(), attributes, isDefaultDomain && supported.Contains(n.OpType));
        }).ToList();
        var name = graph.Name.Length > 0 ? graph.Name : Path.GetFileNameWithoutExtension(path);
        return new SourceModel("onnx", name, inputs, nodes, graph.Output.Select(o => o.Name).ToList());
    }

    private static string OnnxAttribute(AttributeProto attribute)
    {
        if (attribute.T is not null) return TensorSummary(OnnxDataTypes.Name(attribute.T.DataType), attribute.T.Dims);
        if (attribute.Tensors.Count > 0) return "\"" + attribute.Tensors.Count + " tensors\"";
        if (attribute.G is not null || attribute.Graphs.Count > 0) return "\"subgraph\"";
        if (attribute.HasS) return JsonString(attribute.S.ToStringUtf8());
        if (attribute.HasI) return attribute.I.ToString(CultureInfo.InvariantCulture);
        if (attribute.HasF) return float.IsFinite(attribute.F) ? attribute.F.ToString("R", CultureInfo.InvariantCulture) : JsonString(attribute.F.ToString(CultureInfo.InvariantCulture));
        if (attribute.Ints.Count > 0) return "[" + string.Join(",", attribute.Ints) + "]";
        if (attribute.Floats.Count > 0) return "[" + string.Join(",", attribute.Floats.Select(f => float.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture) : "null")) + "]";
        if (attribute.Strings.Count > 0) return "[" + string.Join(",", attribute.Strings.Select(s => JsonString(s.ToStringUtf8()))) + "]";
        return "null";
    }

    private static string TensorSummary(string dataType, IEnumerable<long>? dims)
        => "{\"tensor\":{\"dtype\":" + JsonString(dataType) + ",\"shape\":[" + string.Join(",", dims ?? []) + "]}}";

    private static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
