using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Operators;
using static Atc.Compiler.Passes.FusionPatterns;

namespace Atc.Compiler.Passes;

/// <summary>
/// Scaled-dot-product attention as exporters write it → one Attention node:
/// S = MatMul(Q, Kᵀ), scaled by constants (Mul or Div by a scalar on Q, on Kᵀ or on S), then optionally masked
/// (Add of a float mask, or Where(bool mask, S, fill) / Where(bool mask, fill, S) with a scalar fill), then
/// Softmax over the last axis, then MatMul(·, V). The Reshape/Transpose nodes around it stay: they become Q, Kᵀ and V.
/// Every intermediate must be read by the next node only and be no graph output; Q, Kᵀ and V must have rank 2 or
/// more and the mask must not enlarge the scores' last two dims (shapes from <see cref="BatchProbeShapes"/>). A scale
/// after the mask is not fused (it would scale the mask too).
/// </summary>
public sealed class AttentionPatternFusion : IGraphPass
{
    public const string Fused = "attention blocks fused";

    public string Name => nameof(AttentionPatternFusion);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        var shapes = BatchProbeShapes.Of(graph);
        while (TryFuseOnce(graph, shapes, result)) { }
        return result.Complete(graph);
    }

    private static bool TryFuseOnce(Graph graph, BatchProbeShapes shapes, PassResult result)
    {
        var uses = GraphUses.Of(graph);
        foreach (var softmax in graph.Nodes)
        {
            if (softmax.OpType != OpTypes.Softmax || softmax.Inputs is not [{ Type: DataType.Float32 } logits]) continue;
            if (shapes.ShapeOf(logits) is not { Length: >= 2 } scoreShape || !SoftmaxOverLastAxis(softmax, scoreShape.Length)) continue;
            if (SoleReader(uses, softmax, OpTypes.MatMul) is not { } context || !ReferenceEquals(context.Inputs[0], softmax.Outputs[0])) continue;
            if (context.Inputs.Count != 2 || context.Inputs[1] is not { } v || shapes.ShapeOf(v) is not { Length: >= 2 }) continue;
            if (Match(graph, uses, shapes, logits, scoreShape) is not { } m) continue;

            List<Node> chain = [.. m.Chain, softmax, context];
            if (!OnlyInternalUses(uses, chain, context)) continue;
            Value?[] inputs = m.Mask is null ? [m.Q, m.KTransposed, v] : [m.Q, m.KTransposed, v, m.Mask];
            var fused = Replace(graph, chain, context, OpTypes.Attention, inputs);
            fused.Attributes.Set("scale", (float)m.Scale);
            if (m.Mask is not null) fused.Attributes.Set("mask", m.MaskMode).Set("fill", m.Fill);
            result.Add(Fused);
            return true;
        }
        return false;
    }

    /// <summary>Softmax normalising the last axis: opset 13's axis -1 (or rank - 1), or the legacy form on the last axis.</summary>
    private static bool SoftmaxOverLastAxis(Node softmax, int rank)
    {
        long axis = softmax.Attributes.GetInt("axis", -1);
        return axis == -1 || axis == rank - 1;
    }

    /// <summary>Walks from the Softmax's input back to the first MatMul: optional mask, optional scales, MatMul,
    /// then optional scales on Q and Kᵀ.</summary>
    private static AttentionMatch? Match(Graph graph, GraphUses uses, BatchProbeShapes shapes, Value logits, long[] scoreShape)
    {
        var producers = Producers(graph);
        var chain = new List<Node>();
        double scale = 1;
        Value? mask = null;
        string maskMode = "";
        float fill = 0;
        var current = logits;
        while (true)
        {
            if (!producers.TryGetValue(current, out var node) || node.Outputs.Count != 1) return null;
            if (node.OpType == OpTypes.MatMul) break;
            if (ScaleStep(node) is { } step)
            {
                scale *= step.Factor;
                chain.Add(node);
                current = step.Input;
                continue;
            }
            // Walking backwards: a scale already passed sits after the mask and would scale it too.
            if (mask is not null || chain.Count > 0) return null;
            if (node.OpType == OpTypes.Add && node.Inputs.Count == 2)
            {
                // The scores side leads back to a MatMul; the other side is the mask.
                int side = LeadsToMatMul(producers, node.Inputs[0]) ? 0 : LeadsToMatMul(producers, node.Inputs[1]) ? 1 : -1;
                if (side < 0 || node.Inputs[1 - side] is not { Type: DataType.Float32 } m) return null;
                (mask, maskMode, current) = (m, "add", node.Inputs[side]!);
                chain.Add(node);
                continue;
            }
            if (node.OpType == OpTypes.Where && node.Inputs is [{ Type: DataType.Bool } condition, { } whenTrue, { } whenFalse])
            {
                if (ScalarOf(whenFalse) is { } keepFill && !whenTrue.IsConstant) (mask, maskMode, fill, current) = (condition, "keep", (float)keepFill, whenTrue);
                else if (ScalarOf(whenTrue) is { } dropFill && !whenFalse.IsConstant) (mask, maskMode, fill, current) = (condition, "drop", (float)dropFill, whenFalse);
                else return null;
                chain.Add(node);
                continue;
            }
            return null;
        }

        var scores = producers[current];
        if (scores.Inputs is not [{ } q, { } kt]) return null;
        chain.Add(scores);
        (q, double qScale) = PeelScale(producers, uses, q, chain);
        (kt, double kScale) = PeelScale(producers, uses, kt, chain);
        if (shapes.ShapeOf(q) is not { Length: >= 2 } || shapes.ShapeOf(kt) is not { Length: >= 2 }) return null;
        if (mask is not null && !MaskFits(shapes, mask, scoreShape)) return null;
        return new AttentionMatch(chain, q, kt, scale * qScale * kScale, mask, maskMode, fill);
    }

    /// <summary>A Mul by a scalar constant (either side) or a Div by one (the value first): the value and the factor.</summary>
    private static (Value Input, double Factor)? ScaleStep(Node node)
    {
        if (node.Inputs is not [{ } a, { } b] || node.Outputs[0].Type != DataType.Float32) return null;
        if (node.OpType == OpTypes.Mul)
        {
            if (ScalarOf(b) is { } fb && !a.IsConstant) return (a, fb);
            if (ScalarOf(a) is { } fa && !b.IsConstant) return (b, fa);
        }
        if (node.OpType == OpTypes.Div && ScalarOf(b) is { } divisor && divisor != 0 && !a.IsConstant) return (a, 1 / divisor);
        return null;
    }

    /// <summary>Q or Kᵀ with the scalar scales written on it removed (when they feed nothing else).</summary>
    private static (Value Input, double Factor) PeelScale(Dictionary<Value, Node> producers, GraphUses uses, Value value, List<Node> chain)
    {
        double factor = 1;
        while (producers.TryGetValue(value, out var node) && node.Outputs.Count == 1 && uses.SoleReader(value) is not null
               && ScaleStep(node) is { } step)
        {
            chain.Add(node);
            factor *= step.Factor;
            value = step.Input;
        }
        return (value, factor);
    }

    private static bool LeadsToMatMul(Dictionary<Value, Node> producers, Value? value)
    {
        while (value is not null && producers.TryGetValue(value, out var node))
        {
            if (node.OpType == OpTypes.MatMul) return true;
            if (ScaleStep(node) is not { } step) return false;
            value = step.Input;
        }
        return false;
    }

    /// <summary>The mask broadcasts into the scores' last two dims without enlarging them (dims known).</summary>
    private static bool MaskFits(BatchProbeShapes shapes, Value mask, long[] scoreShape)
    {
        long[]? dims = mask.Constant is { } c ? [.. c.Dims.Select(d => (long)d)] : shapes.ShapeOf(mask);
        if (dims is null || dims.Length > scoreShape.Length) return false;
        for (int i = 1; i <= Math.Min(2, dims.Length); i++)
        {
            long m = dims[^i], s = scoreShape[^i];
            if (m != 1 && (m != s || m < 0)) return false;
        }
        return true;
    }

    private static Dictionary<Value, Node> Producers(Graph graph)
    {
        var producers = new Dictionary<Value, Node>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
            foreach (var output in node.Outputs) producers[output] = node;
        return producers;
    }

    private sealed record AttentionMatch(List<Node> Chain, Value Q, Value KTransposed, double Scale, Value? Mask, string MaskMode, float Fill);
}
