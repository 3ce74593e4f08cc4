using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Operators;
using static Atc.Compiler.Passes.FusionPatterns;

namespace Atc.Compiler.Passes;

/// <summary>
/// LayerNorm as exporters before opset 17 write it, over the trailing axes of X:
/// mean = ReduceMean(X), D = X - mean, var = ReduceMean(Pow(D, 2)), Y = D / Sqrt(var + eps), then optionally
/// Y · gamma and + beta (constants varying only along the normalised axes) → one LayerNormalization node
/// (axis = first normalised axis, from the end). Both reductions must keep dims and reduce the same trailing axes;
/// D must be read by the Pow and the Div only; every other intermediate by the next node only.
/// </summary>
public sealed class LayerNormPatternFusion : IGraphPass
{
    public const string Fused = "layer norms recognised";

    public string Name => nameof(LayerNormPatternFusion);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        var names = new ValueNames(graph);
        var shapes = BatchProbeShapes.Of(graph);
        while (TryFuseOnce(graph, names, shapes, result)) { }
        return result.Complete(graph);
    }

    private static bool TryFuseOnce(Graph graph, ValueNames names, BatchProbeShapes shapes, PassResult result)
    {
        var uses = GraphUses.Of(graph);
        foreach (var mean in graph.Nodes)
        {
            if (mean.OpType != OpTypes.ReduceMean || mean.Inputs.Count != 1 || mean.Inputs[0] is not { Type: DataType.Float32 } x) continue;
            if (shapes.ShapeOf(x) is not { } xShape || TrailingAxes(mean, xShape.Length) is not { } axes) continue;
            if (SoleReader(uses, mean, OpTypes.Sub) is not { } sub || !ReferenceEquals(sub.Inputs[0], x)) continue;
            if (Match(uses, sub, axes, xShape.Length) is not { } m) continue;
            var (chain, last, epsilon, gamma, beta) = m;
            chain.Insert(0, mean);
            if (!OnlyInternalUses(uses, chain, last)) continue;

            var normalizedDims = xShape[^axes..];
            if (normalizedDims.Any(d => d <= 0)) continue;
            int inner = checked((int)normalizedDims.Aggregate(1L, (a, d) => a * d));
            var scale = Parameter(names, gamma, normalizedDims, inner, last.Name + "_scale");
            var bias = Parameter(names, beta, normalizedDims, inner, last.Name + "_bias");
            if (gamma is not null && scale is null || beta is not null && bias is null) continue;
            scale ??= ConstantTensors.NewFloat32(names, last.Name + "_scale", [1], [1f]);

            var fused = Replace(graph, chain, last, OpTypes.LayerNormalization, bias is null ? [x, scale] : [x, scale, bias]);
            fused.Attributes.Set("axis", (long)-axes).Set("epsilon", epsilon);
            result.Add(Fused);
            return true;
        }
        return false;
    }

    /// <summary>The number k of trailing axes a keepdims ReduceMean reduces ([-k..-1] in any spelling); null otherwise.</summary>
    private static int? TrailingAxes(Node reduce, int rank)
    {
        if (reduce.Attributes.GetInt("keepdims", 1) != 1) return null;
        long[] axes = reduce.Attributes.GetInts("axes", []);
        if (axes.Length == 0 || axes.Length > rank) return null;
        var normalized = axes.Select(a => a < 0 ? a + rank : a).OrderBy(a => a).ToArray();
        for (int i = 0; i < normalized.Length; i++)
            if (normalized[i] != rank - normalized.Length + i) return null;
        return normalized.Length;
    }

    private static LayerNormMatch? Match(GraphUses uses, Node sub, int axes, int rank)
    {
        var d = sub.Outputs[0];
        var readers = uses.Readers(d);
        if (uses.IsGraphOutput(d) || readers.Count != 2) return null;
        var pow = readers.FirstOrDefault(r => r.OpType == OpTypes.Pow && ReferenceEquals(r.Inputs[0], d) && IsScalar(r.Inputs[1], 2));
        var div = readers.FirstOrDefault(r => r.OpType == OpTypes.Div && ReferenceEquals(r.Inputs[0], d));
        if (pow is null || div is null) return null;
        if (SoleReader(uses, pow, OpTypes.ReduceMean) is not { } variance || TrailingAxes(variance, rank) != axes) return null;
        if (SoleReader(uses, variance, OpTypes.Add) is not { } addEps || ScalarOf(OtherInput(addEps, variance.Outputs[0])) is not { } epsilon) return null;
        if (SoleReader(uses, addEps, OpTypes.Sqrt) is not { } sqrt || !ReferenceEquals(div.Inputs[1], sqrt.Outputs[0])) return null;

        List<Node> chain = [sub, pow, variance, addEps, sqrt, div];
        Node last = div;
        Value? gamma = null, beta = null;
        if (SoleReader(uses, div, OpTypes.Mul) is { } mul && OtherInput(mul, div.Outputs[0]) is { IsConstant: true } g)
        {
            chain.Add(mul);
            (last, gamma) = (mul, g);
        }
        if (SoleReader(uses, last, OpTypes.Add) is { } add && OtherInput(add, last.Outputs[0]) is { IsConstant: true } b)
        {
            chain.Add(add);
            (last, beta) = (add, b);
        }
        return new(chain, last, (float)epsilon, gamma, beta);
    }

    /// <summary>A scale or shift as a flat [inner] (or [1]) constant, when it varies along the normalised axes only:
    /// its dims, without leading 1s, are a suffix of the normalised dims. Null when the constant does not fit.</summary>
    private static Value? Parameter(ValueNames names, Value? constant, long[] normalizedDims, int inner, string name)
    {
        if (constant is null) return null;
        if (ConstantTensors.Float32(constant) is not { } values) return null;
        if (values.Length == 1) return ConstantTensors.NewFloat32(names, name, [1], values);
        var dims = constant.Constant!.Dims.SkipWhile(d => d == 1).ToArray();
        if (dims.Length > normalizedDims.Length || !dims.Select(d => (long)d).SequenceEqual(normalizedDims[^dims.Length..])) return null;
        if (values.Length == inner) return ConstantTensors.NewFloat32(names, name, [inner], values);
        // Broadcast along the leading normalised axes (e.g. gamma [D] over axes [-2, -1]).
        var expanded = new float[inner];
        for (int i = 0; i < inner; i++) expanded[i] = values[i % values.Length];
        return ConstantTensors.NewFloat32(names, name, [inner], expanded);
    }

    private readonly record struct LayerNormMatch(List<Node> Chain, Node Last, float Epsilon, Value? Gamma, Value? Beta);
}
