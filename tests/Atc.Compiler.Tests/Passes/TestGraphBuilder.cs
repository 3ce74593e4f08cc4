using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Compiler.Tests.Passes;

/// <summary>Builds small IR graphs by hand for pass tests; constants get seeded pseudo-random values.</summary>
internal sealed class TestGraphBuilder(int seed = 1)
{
    private readonly Random _random = new(seed);

    public Graph Graph { get; } = new() { Name = "test" };

    public Value Input(string name, params long[] shape)
    {
        var v = new Value(name, DataType.Float32, shape);
        Graph.Inputs.Add(v);
        return v;
    }

    /// <summary>A float32 constant with values uniform in [min, max).</summary>
    public Value Const(string name, int[] dims, double min = -1, double max = 1)
    {
        var values = new float[Shape.ElementCount(dims)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(min + (max - min) * _random.NextDouble());
        return Value.FromConstant(name, TensorData.Float(dims, values));
    }

    public static Value Const(string name, int[] dims, float[] values) => Value.FromConstant(name, TensorData.Float(dims, values));

    public static Value Int64(string name, params long[] values) => Value.FromConstant(name, TensorData.Int64([values.Length], values));

    /// <summary>Adds a node with one float32 output named like the node.</summary>
    public Value Op(string opType, string name, Value?[] inputs, long[]? shape = null, OpAttributes? attributes = null)
        => AddNode(opType, name, inputs, shape, attributes).Outputs[0];

    public Node AddNode(string opType, string name, Value?[] inputs, long[]? shape = null, OpAttributes? attributes = null, int outputs = 1)
    {
        var node = Graph.AddNode(new Node(name, opType, inputs, attributes));
        for (int i = 0; i < outputs; i++) node.AddOutput(outputs == 1 ? name : $"{name}:{i}", DataType.Float32, shape);
        return node;
    }

    public void Output(params Value[] values) => Graph.Outputs.AddRange(values);

    /// <summary>Seeded input data for every graph input (shapes with -1 take <paramref name="unknown"/>).</summary>
    public Dictionary<string, ReferenceEvaluator.Tensor> RandomInputs(int unknown = 2)
    {
        var feeds = new Dictionary<string, ReferenceEvaluator.Tensor>();
        foreach (var input in Graph.Inputs)
        {
            int[] dims = Array.ConvertAll(input.Shape!, d => d < 0 ? unknown : (int)d);
            var data = new float[Shape.ElementCount(dims)];
            for (int i = 0; i < data.Length; i++) data[i] = (float)(_random.NextDouble() * 2 - 1);
            feeds[input.Name] = new ReferenceEvaluator.Tensor(dims, data);
        }
        return feeds;
    }

    public static OpAttributes Attrs(params (string Name, AttributeValue Value)[] attributes)
    {
        var a = new OpAttributes();
        foreach (var (n, v) in attributes) a.Set(n, v);
        return a;
    }
}
