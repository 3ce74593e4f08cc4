using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Quantized;

/// <summary>One single-node ONNX model with its runtime inputs: compiled here and run in ONNX Runtime on the same data.</summary>
internal sealed class QuantizedCase(string opType, int opset = 13, string domain = "")
{
    private readonly OnnxModelBuilder _builder = new(opset);
    private readonly List<string> _inputs = [];
    private readonly Dictionary<string, TensorData> _feeds = new(StringComparer.Ordinal);
    private readonly List<(string Name, object Value)> _attributes = [];
    private DataType[] _outputTypes = [];

    /// <summary>A graph input fed with <paramref name="value"/>, or "" for an omitted optional input.</summary>
    public QuantizedCase Feed(string name, TensorData? value)
    {
        if (value is null) { _inputs.Add(""); return this; }
        _builder.Input(name, value.Type, [.. value.Dims.Cast<object>()]);
        _inputs.Add(name);
        _feeds[name] = value;
        return this;
    }

    /// <summary>An initializer (weights, scales, zero points).</summary>
    public QuantizedCase Weight(string name, TensorData value)
    {
        _inputs.Add(_builder.Initializer(name, value));
        return this;
    }

    public QuantizedCase Attribute(string name, object value) { _attributes.Add((name, value)); return this; }

    /// <summary>The node's outputs by element type (declared as graph outputs y0, y1, ...).</summary>
    public QuantizedCase Outputs(params DataType[] types) { _outputTypes = types; return this; }

    /// <summary>The graph inputs' values by name.</summary>
    public IReadOnlyDictionary<string, TensorData> Feeds => _feeds;

    public (TensorData[] Ours, TensorData[] Ort) Run()
    {
        var outputs = Enumerable.Range(0, _outputTypes.Length).Select(i => "y" + i).ToArray();
        if (domain.Length > 0) _builder.ExtraOpsets[domain] = 1;
        _builder.AddNode(opType, [.. _inputs], outputs, null, domain, [.. _attributes]);
        for (int i = 0; i < outputs.Length; i++) _builder.Output(outputs[i], _outputTypes[i]);
        var onnx = _builder.ToBytes();
        var graph = ModelPipeline.ImportOnnx(onnx, opType + ".onnx");
        var model = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [.. graph.Inputs.Select(i => _feeds[i.Name].Dims)]));
        var ours = model.Run([.. graph.Inputs.Select(i => _feeds[i.Name])]);
        var ort = OrtRunner.Run(onnx, _feeds);
        return (ours, ort);
    }
}
