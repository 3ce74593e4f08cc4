using Atc.Compiler.Emit;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;

namespace Atc.Tests.Execution;

/// <summary>Builds id-based graphs directly (the form the .om stores) for runtime tests.</summary>
internal sealed class GraphBuilder
{
    private readonly List<GraphValue> _values = [];
    private readonly List<TensorData?> _constants = [];
    private readonly List<GraphNode> _nodes = [];
    private readonly List<int> _inputs = [];
    private readonly List<int> _outputs = [];

    private int NewValue(string name, DataType type, TensorData? constant = null)
    {
        _values.Add(new GraphValue(name, type));
        _constants.Add(constant);
        return _values.Count - 1;
    }

    public int Input(string name, DataType type = DataType.Float32)
    {
        int v = NewValue(name, type);
        _inputs.Add(v);
        return v;
    }

    public int Constant(string name, TensorData data) => NewValue(name, data.Type, data);

    public int Node(string opType, params int[] inputs) => Nodes(opType, 1, null, inputs)[0];

    public int NodeWith(string opType, OpAttributes attributes, params int[] inputs) => Nodes(opType, 1, attributes, inputs)[0];

    public int[] Nodes(string opType, int outputCount, OpAttributes? attributes, params int[] inputs)
    {
        string name = $"{opType.ToLowerInvariant()}_{_nodes.Count}";
        var outputs = Enumerable.Range(0, outputCount).Select(j => NewValue(outputCount == 1 ? name : $"{name}:{j}", DataType.Float32)).ToArray();
        _nodes.Add(new GraphNode(name, opType, "Test" + opType, attributes ?? new OpAttributes(), inputs, outputs));
        return outputs;
    }

    public GraphBuilder Output(int value) { _outputs.Add(value); return this; }

    public ModelGraph Build() => new([.. _values], [.. _nodes], [.. _inputs], [.. _outputs], [.. _constants]);
}

/// <summary>Plans and serialises test graphs the way the emitter does for IR graphs.</summary>
internal static class TestOm
{
    public static OmModel Compile(ModelGraph graph, OperatorResolver resolver, int[][][] gears,
        ModelGearKind kind = ModelGearKind.Static, int[][]? selectors = null, InputShapeRange[]? ranges = null)
    {
        var plans = gears.Select(shapes => ExecutionPlanner.Plan(graph, shapes, resolver)).ToArray();
        var typed = new ModelGraph([.. graph.Values.Select((v, i) => v with { Type = plans[0].Values[i].Type })],
            graph.Nodes, graph.Inputs, graph.Outputs, graph.Constants);
        var inputs = graph.Inputs.Select((v, k) => new TensorDescriptor(typed.Values[v].Name, typed.Values[v].Type, "ND",
            Merge(gears.Select(g => g[k])))).ToArray();
        if (ranges is not null)
            inputs = [.. inputs.Select((d, k) => d with { Dims = [.. ranges[k].Min.Select((m, i) => m == ranges[k].Max[i] ? (long)m : -1)] })];
        var outputs = graph.Outputs.Select((v, k) => new TensorDescriptor(typed.Values[v].Name, typed.Values[v].Type, "ND",
            Merge(plans.Select(p => p.OutputShape(typed, k))))).ToArray();
        return new OmModel
        {
            Name = "test_model",
            SourceFramework = "onnx",
            SocVersion = "Ascend310",
            ProducerVersion = "atc.net test",
            Graph = typed,
            Inputs = inputs,
            Outputs = outputs,
            GearKind = kind,
            Gears = [.. gears.Select((g, i) => new ModelGear(i, selectors?[i] ?? [], g,
                [.. Enumerable.Range(0, outputs.Length).Select(k => plans[i].OutputShape(typed, k))]))],
            Ranges = ranges ?? [],
            Plans = plans,
            OpsEstimate = 7,
        };
    }

    public static byte[] Write(ModelGraph graph, OperatorResolver resolver, params int[][][] gears)
        => OmWriter.Write(Compile(graph, resolver, gears));

    private static long[] Merge(IEnumerable<int[]> shapes)
    {
        long[]? merged = null;
        foreach (var s in shapes)
        {
            if (merged is null) { merged = [.. s.Select(d => (long)d)]; continue; }
            for (int i = 0; i < merged.Length; i++) if (merged[i] != s[i]) merged[i] = -1;
        }
        return merged ?? [];
    }

    /// <summary>x:[B,4] → Add(x, Add(c, c)) → Reshape([-1]) → Double → output 0; Identity(x) → output 1.
    /// Add(c, c) folds, the Reshape aliases its input. Values: x=0 c=1 flat=2 c2=3 sum=4 reshaped=5 y=6 z=7.</summary>
    public static ModelGraph SmallGraph()
    {
        var b = new GraphBuilder();
        int x = b.Input("x");
        int c = b.Constant("c", TensorData.Float([4], 1, 2, 3, 4));
        int shape = b.Constant("flat", TensorData.Int64([1], -1));
        int c2 = b.Node("Add", c, c);
        int sum = b.Node("Add", x, c2);
        int flat = b.Node("Reshape", sum, shape);
        int y = b.Node("Double", flat);
        int z = b.Node("Identity", x);
        return b.Output(y).Output(z).Build();
    }
}
