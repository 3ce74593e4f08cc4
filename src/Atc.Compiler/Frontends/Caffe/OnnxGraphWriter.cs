using System.Runtime.InteropServices;
using Atc.Compiler.Frontends.Onnx.Proto;
using Google.Protobuf;
using AttributeType = Atc.Compiler.Frontends.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Atc.Compiler.Frontends.Caffe;

/// <summary>
/// Writes the ONNX graph a Caffe net becomes (opset <see cref="Opset"/>): the layers are expressed as ONNX nodes with
/// Caffe's semantics, and the ONNX front end lowers them, so the two frameworks share one lowering of each op.
/// </summary>
internal sealed class OnnxGraphWriter
{
    /// <summary>Opset 13: Softmax over one axis (Caffe's), Split sizes and Unsqueeze axes as inputs.</summary>
    public const int Opset = 13;
    private const int FloatType = 1;
    private const int Int64Type = 7;

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    // Node names are their own namespace in ONNX: a layer's node keeps the layer's name even though its top blob
    // (a tensor) often has the same name, so --out_nodes finds Caffe layers by name.
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);

    public GraphProto Graph { get; } = new();

    public ModelProto ToModel(string name)
    {
        Graph.Name = name;
        var model = new ModelProto { IrVersion = 7, ProducerName = "Atc.Compiler Caffe importer", Graph = Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    /// <summary>A name no tensor of the graph has yet, starting from <paramref name="preferred"/>.</summary>
    public string Unique(string preferred)
    {
        var name = preferred;
        for (int k = 1; !_names.Add(name); k++) name = preferred + "_" + k;
        return name;
    }

    /// <summary>Reserves names the graph must keep as given (blob names of outputs), before any node takes them.</summary>
    public void Reserve(string name) => _names.Add(name);

    public void Input(string name, IReadOnlyList<long> dims)
    {
        var type = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = new TensorShapeProto() };
        foreach (var d in dims) type.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        Graph.Input.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = type } });
    }

    public void Output(string name)
        => Graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType } } });

    public string Floats(string preferred, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = Unique(preferred), DataType = FloatType, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.Add(dims);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Int64s(string preferred, params long[] values)
    {
        var tensor = new TensorProto { Name = Unique(preferred), DataType = Int64Type };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.Add(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node writing the given (already unique) output names.</summary>
    public void Node(string name, string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, params (string Name, object Value)[] attributes)
    {
        var nodeName = name;
        for (int k = 1; !_nodeNames.Add(nodeName); k++) nodeName = name + "_" + k;
        var node = new NodeProto { Name = nodeName, OpType = opType };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        foreach (var (attrName, value) in attributes) node.Attribute.Add(Attribute(attrName, value));
        Graph.Node.Add(node);
    }

    /// <summary>A one-output node whose output is a fresh tensor named after the node; returns the tensor.</summary>
    public string Node(string name, string opType, IEnumerable<string> inputs, params (string Name, object Value)[] attributes)
    {
        var output = Unique(name);
        Node(name, opType, inputs, [output], attributes);
        return output;
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var attribute = new AttributeProto { Name = name };
        switch (value)
        {
            case long i: attribute.Type = AttributeType.Int; attribute.I = i; break;
            case int i: attribute.Type = AttributeType.Int; attribute.I = i; break;
            case float f: attribute.Type = AttributeType.Float; attribute.F = f; break;
            case long[] ints: attribute.Type = AttributeType.Ints; attribute.Ints.Add(ints); break;
            default: throw new ArgumentException("attribute " + name + " has an unsupported value type " + value.GetType().Name);
        }
        return attribute;
    }
}
