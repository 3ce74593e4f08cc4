using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Runtime;
using Atc.Runtime.Core;
using Google.Protobuf;
using AttrType = Atc.Compiler.Frontends.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Atc.TestModels.Onnx;

/// <summary>
/// Writes ONNX models from C#: graph inputs (fixed or symbolic dims), initializers (given or seeded random), nodes
/// with attributes, graph outputs, and the opset. Weights come from one System.Random(seed) in call order, so the same
/// calls always give the same bytes.
/// </summary>
/// <example><code>
/// var b = new OnnxModelBuilder(opset: 13, seed: 1);
/// var x = b.Input("input", DataType.Float32, "N", 64);
/// var y = b.Node("Gemm", [x, b.HeWeight("fc.weight", 10, 64), b.Zeros("fc.bias", 10)], ("transB", 1));
/// b.Output(y, DataType.Float32, "N", 10);
/// byte[] model = b.ToBytes();
/// </code></example>
internal sealed class OnnxModelBuilder
{
    private readonly GraphProto _graph = new() { Name = "model" };
    private readonly Random _random;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _opCounts = new(StringComparer.Ordinal);

    public OnnxModelBuilder(int opset = 13, int seed = 0)
    {
        Opset = opset;
        _random = new Random(seed);
    }

    /// <summary>Version of the default (ai.onnx) operator set the model imports.</summary>
    public int Opset { get; }
    public string GraphName { get => _graph.Name; set => _graph.Name = value; }
    public string ProducerName { get; set; } = "Atc.TestModels";
    /// <summary>Write initializer data into the typed fields (float_data, int64_data, ...) instead of raw_data.</summary>
    public bool UseTypedFields { get; set; }
    /// <summary>Extra opset imports (domain → version), e.g. for custom-domain nodes.</summary>
    public Dictionary<string, int> ExtraOpsets { get; } = new(StringComparer.Ordinal);

    /// <summary>The ONNX IR version that goes with the opset (ONNX's release table); IR 3 files list initializers as inputs.</summary>
    public long IrVersion => Opset switch
    {
        <= 8 => 3, 9 => 4, 10 => 5, 11 => 6, <= 14 => 7, <= 17 => 8, <= 19 => 9, <= 21 => 10, _ => 11,
    };

    /// <summary>The graph under construction, for tests that need to edit the protobuf directly.</summary>
    public GraphProto Graph => _graph;

    // ---- inputs and outputs ----

    /// <summary>Declares a graph input. Each dim is an int/long (fixed) or a string (symbolic, e.g. "N").</summary>
    public string Input(string name, DataType type, params object[] dims)
    {
        Reserve(name);
        _graph.Input.Add(MakeValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Declares a graph output (an existing tensor). Dims as for <see cref="Input"/>; none = unknown shape.</summary>
    public void Output(string name, DataType type, params object[] dims)
        => _graph.Output.Add(MakeValueInfo(name, type, dims.Length == 0 ? null : dims));

    /// <summary>Declares the type of an intermediate tensor (value_info).</summary>
    public void ValueInfo(string name, DataType type, params object[] dims) => _graph.ValueInfo.Add(MakeValueInfo(name, type, dims));

    private static ValueInfoProto MakeValueInfo(string name, DataType type, object[]? dims)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (dims is not null)
        {
            tensorType.Shape = new TensorShapeProto();
            foreach (var d in dims)
                tensorType.Shape.Dim.Add(d switch
                {
                    string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                    int i => new TensorShapeProto.Types.Dimension { DimValue = i },
                    long l => new TensorShapeProto.Types.Dimension { DimValue = l },
                    _ => throw new ArgumentException($"dim {d} must be an int, a long or a symbol name"),
                });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    // ---- initializers ----

    public string Initializer(string name, TensorData data)
    {
        Reserve(name);
        _graph.Initializer.Add(ToTensorProto(name, data, UseTypedFields));
        return name;
    }

    /// <summary>Adds an initializer written exactly as given (external data, odd encodings in tests).</summary>
    public string Initializer(TensorProto tensor)
    {
        Reserve(tensor.Name);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Floats(string name, int[] dims, params float[] values) => Initializer(name, TensorData.Float(dims, values));
    public string Int64s(string name, params long[] values) => Initializer(name, TensorData.Int64([values.Length], values));
    public string ScalarFloat(string name, float value) => Initializer(name, TensorData.Scalar(value));
    public string Zeros(string name, params int[] dims) => Initializer(name, TensorData.Float(dims, new float[Count(dims)]));

    /// <summary>Gaussian weights N(mean, std²) from the builder's seeded generator.</summary>
    public string Normal(string name, float mean, float std, params int[] dims)
        => Initializer(name, TensorData.Float(dims, NextNormal(Count(dims), mean, std)));

    /// <summary>Uniform weights in [low, high) from the builder's seeded generator.</summary>
    public string Uniform(string name, float low, float high, params int[] dims)
    {
        var values = new float[Count(dims)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(low + (high - low) * _random.NextDouble());
        return Initializer(name, TensorData.Float(dims, values));
    }

    /// <summary>He-scaled weights: N(0, 2 / fan_in) with fan_in = product of dims[1..] (conv [O,I,k..] and Gemm [out,in]).</summary>
    public string HeWeight(string name, params int[] dims)
        => Normal(name, 0f, MathF.Sqrt(2f / Math.Max(1, Count(dims.AsSpan(1)))), dims);

    /// <summary>Fan-in scaled weights N(0, 1 / fan_in): keeps a final linear layer's outputs O(1).</summary>
    public string LinearWeight(string name, params int[] dims)
        => Normal(name, 0f, MathF.Sqrt(1f / Math.Max(1, Count(dims.AsSpan(1)))), dims);

    public float[] NextNormal(long count, float mean, float std)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            // Box-Muller; 1 - NextDouble() is in (0, 1] so the logarithm is finite.
            double u1 = 1.0 - _random.NextDouble(), u2 = _random.NextDouble();
            values[i] = (float)(mean + std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
        return values;
    }

    public double NextDouble() => _random.NextDouble();

    // ---- nodes ----

    /// <summary>Adds a node with one output (named "&lt;op&gt;_&lt;k&gt;_out") and returns the output name.</summary>
    public string Node(string opType, string[] inputs, params (string Name, object Value)[] attributes)
        => Node(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> generated outputs and returns their names.</summary>
    public string[] Node(string opType, string[] inputs, int outputCount, params (string Name, object Value)[] attributes)
    {
        string name = NextNodeName(opType);
        var outputs = Enumerable.Range(0, outputCount).Select(i => Unique(outputCount == 1 ? $"{name}_out" : $"{name}_out{i}")).ToArray();
        AddNode(opType, inputs, outputs, name, "", attributes);
        return outputs;
    }

    /// <summary>Adds a node named <paramref name="name"/> whose one output has the same name; returns it.</summary>
    public string NamedNode(string name, string opType, string[] inputs, params (string Name, object Value)[] attributes)
    {
        string output = Unique(name);
        AddNode(opType, inputs, [output], name, "", attributes);
        return output;
    }

    /// <summary>Adds a node with exact output names, node name (null = generated; "" = none) and domain.</summary>
    public void AddNode(string opType, string[] inputs, string[] outputs, string? name = null, string domain = "",
        params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name ?? NextNodeName(opType) };
        if (domain.Length > 0) node.Domain = domain;
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var o in outputs) if (o.Length > 0) _names.Add(o);
        foreach (var (attrName, value) in attributes) node.Attribute.Add(Attribute(attrName, value));
        _graph.Node.Add(node);
    }

    /// <summary>An attribute from a C# value: int/long → INT, float/double → FLOAT, string → STRING, long[]/int[] →
    /// INTS, float[] → FLOATS, string[] → STRINGS, TensorData → TENSOR, GraphProto → GRAPH (a control-flow body).</summary>
    public static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i: a.Type = AttrType.Int; a.I = i; break;
            case long l: a.Type = AttrType.Int; a.I = l; break;
            case float f: a.Type = AttrType.Float; a.F = f; break;
            case double d: a.Type = AttrType.Float; a.F = (float)d; break;
            case string s: a.Type = AttrType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ls: a.Type = AttrType.Ints; a.Ints.AddRange(ls); break;
            case int[] isx: a.Type = AttrType.Ints; a.Ints.AddRange(isx.Select(v => (long)v)); break;
            case float[] fs: a.Type = AttrType.Floats; a.Floats.AddRange(fs); break;
            case string[] ss: a.Type = AttrType.Strings; a.Strings.AddRange(ss.Select(ByteString.CopyFromUtf8)); break;
            case TensorData t: a.Type = AttrType.Tensor; a.T = ToTensorProto("", t, false); break;
            case TensorProto tp: a.Type = AttrType.Tensor; a.T = tp; break;
            case GraphProto g: a.Type = AttrType.Graph; a.G = g; break;
            default: throw new ArgumentException($"attribute '{name}': unsupported value type {value.GetType().Name}");
        }
        return a;
    }

    // ---- writing ----

    public ModelProto ToModel()
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = "1",
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (domain, version) in ExtraOpsets) model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        if (IrVersion < 4)
        {
            // IR 3 requires every initializer to be declared as a graph input too.
            var declared = model.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var t in model.Graph.Initializer.Where(t => !declared.Contains(t.Name)))
                model.Graph.Input.Add(MakeValueInfo(t.Name, (DataType)t.DataType, [.. t.Dims.Select(d => (object)d)]));
        }
        return model;
    }

    public byte[] ToBytes() => ToModel().ToByteArray();

    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    /// <summary>TensorData → TensorProto, in raw_data (default) or in the typed repeated fields.</summary>
    public static TensorProto ToTensorProto(string name, TensorData data, bool typedFields)
    {
        var t = new TensorProto { DataType = (int)data.Type };
        if (name.Length > 0) t.Name = name;
        t.Dims.AddRange(data.Dims.Select(d => (long)d));
        if (!typedFields)
        {
            t.RawData = ByteString.CopyFrom(data.Bytes.Span);
            return t;
        }
        switch (data.Type)
        {
            case DataType.Float32: t.FloatData.AddRange(data.AsSpan<float>().ToArray()); break;
            case DataType.Float64: t.DoubleData.AddRange(data.AsSpan<double>().ToArray()); break;
            case DataType.Int64: t.Int64Data.AddRange(data.AsSpan<long>().ToArray()); break;
            case DataType.Int32: t.Int32Data.AddRange(data.AsSpan<int>().ToArray()); break;
            case DataType.Int8: t.Int32Data.AddRange(data.AsSpan<sbyte>().ToArray().Select(v => (int)v)); break;
            case DataType.Float16: t.Int32Data.AddRange(data.AsSpan<ushort>().ToArray().Select(v => (int)v)); break;
            case DataType.BFloat16 or DataType.UInt16: t.Int32Data.AddRange(data.AsSpan<ushort>().ToArray().Select(v => (int)v)); break;
            case DataType.Int16: t.Int32Data.AddRange(data.AsSpan<short>().ToArray().Select(v => (int)v)); break;
            case DataType.UInt32: t.Uint64Data.AddRange(data.AsSpan<uint>().ToArray().Select(v => (ulong)v)); break;
            case DataType.UInt64: t.Uint64Data.AddRange(data.AsSpan<ulong>().ToArray()); break;
            default: t.Int32Data.AddRange(data.Bytes.ToArray().Select(v => (int)v)); break;
        }
        return t;
    }

    private string NextNodeName(string opType)
    {
        int k = _opCounts.GetValueOrDefault(opType);
        _opCounts[opType] = k + 1;
        return $"{opType}_{k}";
    }

    private string Unique(string stem)
    {
        string name = stem;
        for (int k = 1; _names.Contains(name); k++) name = $"{stem}_{k}";
        _names.Add(name);
        return name;
    }

    private void Reserve(string name)
    {
        if (!_names.Add(name)) throw new ArgumentException($"tensor name '{name}' is already used in this model");
    }

    private static int Count(ReadOnlySpan<int> dims)
    {
        int n = 1;
        foreach (int d in dims) n *= d;
        return n;
    }
}
