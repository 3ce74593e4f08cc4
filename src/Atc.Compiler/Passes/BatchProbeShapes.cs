using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Passes;

/// <summary>
/// Shapes of intermediate values before gears, for graphs whose only unknown input dim is the batch (ONNX files
/// rarely declare intermediate shapes, so a fusion that needs two shapes to match would otherwise never fire). The
/// runtime's own shape inference runs over the graph twice, with the unknown batch set to two different probe
/// values; a dim that follows the probes exactly is the batch (-1), a dim equal in both runs is known. Only ops that
/// carry the batch through axis 0 untouched are inferred; anything else, or any other unknown input dim, leaves the
/// value's shape unknown (null).
/// </summary>
internal sealed class BatchProbeShapes
{
    private const int ProbeA = 7919, ProbeB = 7907;   // primes, unlikely to be anybody's real dims

    private readonly Dictionary<Value, long[]?> _shapes = new(ReferenceEqualityComparer.Instance);

    private BatchProbeShapes() { }

    /// <summary>Infers every value written by a supported node, in graph order.</summary>
    public static BatchProbeShapes Of(Graph graph)
    {
        var shapes = new BatchProbeShapes();
        var a = new Dictionary<Value, TensorType>(ReferenceEqualityComparer.Instance);
        var b = new Dictionary<Value, TensorType>(ReferenceEqualityComparer.Instance);
        foreach (var input in graph.Inputs)
        {
            if (Probe(input, ProbeA) is { } ta) a[input] = ta;
            if (Probe(input, ProbeB) is { } tb) b[input] = tb;
        }
        foreach (var node in graph.Nodes)
        {
            if (!CarriesTheBatch(node.OpType) || !OperatorRegistry.TryGet(node.OpType, out var op)) continue;
            if (Infer(op, node, a) is not { } outA || Infer(op, node, b) is not { } outB) continue;
            for (int i = 0; i < node.Outputs.Count; i++)
            {
                a[node.Outputs[i]] = outA[i];
                b[node.Outputs[i]] = outB[i];
                shapes._shapes[node.Outputs[i]] = Combine(outA[i].Dims, outB[i].Dims);
            }
        }
        return shapes;
    }

    /// <summary>The value's shape with -1 for the batch, or null when it could not be inferred.</summary>
    public long[]? ShapeOf(Value value) => value.Shape ?? _shapes.GetValueOrDefault(value);

    /// <summary>A graph input's type with its unknown batch set to the probe; null when another dim is unknown.</summary>
    private static TensorType? Probe(Value input, int probe)
    {
        if (input.Shape is not { Length: > 0 } shape) return null;
        var dims = new int[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] >= 0 && shape[i] <= int.MaxValue) dims[i] = (int)shape[i];
            else if (shape[i] == -1 && i == 0) dims[i] = probe;
            else return null;
        }
        return new TensorType(input.Type, dims);
    }

    private static TensorType[]? Infer(IOperator op, Node node, Dictionary<Value, TensorType> known)
    {
        var types = new TensorType?[node.Inputs.Count];
        var constants = new TensorData?[node.Inputs.Count];
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            if (node.Inputs[i] is not { } v) continue;
            if (v.Constant is { } c)
            {
                constants[i] = c;
                types[i] = new TensorType(c.Type, c.Dims);
            }
            else if (known.TryGetValue(v, out var t)) types[i] = t;
            else return null;
        }
        try
        {
            var outputs = op.InferOutputs(new OpContext(node.Name, node.OpType, node.Attributes, types, constants, node.Outputs.Count));
            return outputs.Length == node.Outputs.Count ? outputs : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;   // the planner reports real problems per gear; here the shape just stays unknown
        }
    }

    /// <summary>Equal dims are known; dims that are exactly the two probes are the batch; anything else means the
    /// op did more with the batch than carry it, and the shape is unknown.</summary>
    private static long[]? Combine(int[] a, int[] b)
    {
        if (a.Length != b.Length) return null;
        var dims = new long[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i]) dims[i] = a[i];
            else if (a[i] == ProbeA && b[i] == ProbeB) dims[i] = -1;
            else return null;
        }
        return dims;
    }

    /// <summary>Ops whose output keeps the input's axis 0 as it is (convolutional networks' and transformers' building blocks).</summary>
    private static bool CarriesTheBatch(string op) => op is OpTypes.Conv or OpTypes.ConvTranspose or OpTypes.MaxPool
        or OpTypes.AveragePool or OpTypes.GlobalAveragePool or OpTypes.GlobalMaxPool or OpTypes.BatchNormalization
        or OpTypes.LRN or OpTypes.InstanceNormalization or OpTypes.Softmax or OpTypes.LogSoftmax or OpTypes.Concat
        or OpTypes.Add or OpTypes.Sub or OpTypes.Mul or OpTypes.Div or OpTypes.Max or OpTypes.Min or OpTypes.Sum
        or OpTypes.Mean or OpTypes.PRelu or OpTypes.Relu or OpTypes.Clip or OpTypes.Sigmoid or OpTypes.Tanh
        or OpTypes.LeakyRelu or OpTypes.Elu or OpTypes.HardSigmoid or OpTypes.HardSwish or OpTypes.Identity
        or OpTypes.Transpose or OpTypes.Pad or OpTypes.Resize
        // transformers' building blocks (Combine drops any shape where the batch got mixed with another dim)
        or OpTypes.MatMul or OpTypes.Gemm or OpTypes.Reshape or OpTypes.Gather or OpTypes.Cast or OpTypes.Erf
        or OpTypes.Pow or OpTypes.Sqrt or OpTypes.ReduceMean or OpTypes.Softplus or OpTypes.Gelu or OpTypes.Silu
        or OpTypes.Mish or OpTypes.GatedMul or OpTypes.LayerNormalization or OpTypes.Attention or OpTypes.FusedElementwise or OpTypes.Where;
}
