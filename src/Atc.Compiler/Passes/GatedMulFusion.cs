using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Operators;
using static Atc.Compiler.Passes.FusionPatterns;

namespace Atc.Compiler.Passes;

/// <summary>
/// Squeeze-excite's gate: Mul(X, Sigmoid(G)) or Mul(X, HardSigmoid(G)), G broadcasting into X without enlarging it
/// (a per-channel gate), becomes one GatedMul(X, G): the gate runs on G's few values and the multiply makes one pass
/// over X, with no gate tensor in between. The gate's output must be read by that Mul only. x · Sigmoid(x) (SiLU) is
/// <see cref="ActivationPatternFusion"/>'s, which runs first.
/// </summary>
public sealed class GatedMulFusion : IGraphPass
{
    public const string Fused = "gate multiplies fused";

    public string Name => nameof(GatedMulFusion);

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
        foreach (var gate in graph.Nodes)
        {
            if (gate.OpType is not (OpTypes.Sigmoid or OpTypes.HardSigmoid) || gate.Inputs.Count != 1 || gate.Inputs[0] is not { } g) continue;
            if (SoleReader(uses, gate, OpTypes.Mul) is not { } mul || OtherInput(mul, gate.Outputs[0]) is not { } x) continue;
            if (ReferenceEquals(x, g) || x.Type != DataType.Float32 || !KeepsShape(shapes, x, mul.Outputs[0])) continue;

            var fused = Replace(graph, [gate, mul], mul, OpTypes.GatedMul, [x, g]);
            fused.Attributes.Set("gate", gate.OpType);
            if (gate.OpType == OpTypes.HardSigmoid)
                fused.Attributes.Set("alpha", gate.Attributes.GetFloat("alpha", 0.2f)).Set("beta", gate.Attributes.GetFloat("beta", 0.5f));
            result.Add(Fused);
            return true;
        }
        return false;
    }

    /// <summary>The product has X's shape (so the gate only broadcasts), judged on the batch-probe shapes.</summary>
    private static bool KeepsShape(BatchProbeShapes shapes, Value x, Value product)
        => shapes.ShapeOf(x) is { } xs && shapes.ShapeOf(product) is { } ys && xs.AsSpan().SequenceEqual(ys) && !xs.Contains(0L);
}
