using Atc.Compiler.Ir;
using Atc.Runtime.Operators;
using static Atc.Compiler.Passes.FusionPatterns;

namespace Atc.Compiler.Passes;

/// <summary>
/// Finds activations that exporters write as several element-wise nodes and makes each one node, which
/// <see cref="BiasAndActivationFusion"/> can then move into the producing Conv/Gemm/MatMul:
///  - SiLU: x · Sigmoid(x) → Silu;
///  - HardSwish: x · HardSigmoid(x) with alpha 1/6, beta 1/2 (PyTorch's) → HardSwish;
///  - Mish: x · Tanh(Softplus(x)) → Mish;
///  - GELU: Erf(x / √2) or Erf(x · 1/√2), + 1, times x and 0.5 in any of the exporter's orders → Gelu;
///  - GELU, tanh form: Tanh(√(2/π) · (x + 0.044715 · x³)) with x³ as Pow(x, 3), + 1, times x and 0.5 → Gelu
///    (approximate = "tanh").
/// Every intermediate must be read only inside the pattern; constants must match to 1e-6 relative.
/// </summary>
public sealed class ActivationPatternFusion : IGraphPass
{
    public const string Fused = "activations recognised";

    private const double Sqrt2 = 1.4142135623730951, SqrtTwoOverPi = 0.7978845608028654, TanhCubic = 0.044715;

    public string Name => nameof(ActivationPatternFusion);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        while (TryFuseOnce(graph, result)) { }
        return result.Complete(graph);
    }

    private static bool TryFuseOnce(Graph graph, PassResult result)
    {
        var uses = GraphUses.Of(graph);
        foreach (var node in graph.Nodes)
        {
            var match = node.OpType switch
            {
                OpTypes.Sigmoid => GatedBySelf(uses, node, OpTypes.Silu),
                OpTypes.HardSigmoid when IsPyTorchHardSigmoid(node) => GatedBySelf(uses, node, OpTypes.HardSwish),
                OpTypes.Softplus => Mish(uses, node),
                OpTypes.Erf => GeluErf(uses, node),
                OpTypes.Tanh => GeluTanh(uses, node),
                _ => null,
            };
            if (match is not { } m || !OnlyInternalUses(uses, m.Chain, m.Last)) continue;
            var (chain, last, op, x, approximate) = m;
            var fused = Replace(graph, chain, last, op, [x]);
            if (approximate is not null) fused.Attributes.Set("approximate", approximate);
            result.Add(Fused);
            result.Note($"{op}{(approximate is null ? "" : $"({approximate})")} '{fused.Name}' from {chain.Count} nodes");
            return true;
        }
        return false;
    }

    private static bool IsPyTorchHardSigmoid(Node node)
        => Math.Abs(node.Attributes.GetFloat("alpha", 0.2f) - 1.0 / 6.0) <= 1e-6 && Math.Abs(node.Attributes.GetFloat("beta", 0.5f) - 0.5) <= 1e-6;

    /// <summary>f(x) · x, f being <paramref name="gate"/>'s op.</summary>
    private static Match? GatedBySelf(GraphUses uses, Node gate, string op)
    {
        if (gate.Inputs.Count != 1 || gate.Inputs[0] is not { } x) return null;
        if (SoleReader(uses, gate, OpTypes.Mul) is not { } mul || OtherInput(mul, gate.Outputs[0]) is not { } other || !ReferenceEquals(other, x)) return null;
        return new([gate, mul], mul, op, x, null);
    }

    /// <summary>x · Tanh(Softplus(x)).</summary>
    private static Match? Mish(GraphUses uses, Node softplus)
    {
        if (softplus.Inputs.Count != 1 || softplus.Inputs[0] is not { } x) return null;
        if (SoleReader(uses, softplus, OpTypes.Tanh) is not { } tanh) return null;
        if (SoleReader(uses, tanh, OpTypes.Mul) is not { } mul || !ReferenceEquals(OtherInput(mul, tanh.Outputs[0]), x)) return null;
        return new([softplus, tanh, mul], mul, OpTypes.Mish, x, null);
    }

    /// <summary>Erf(x / √2) (or x · 1/√2), then the common "(1 + ·) · x · 0.5" tail.</summary>
    private static Match? GeluErf(GraphUses uses, Node erf)
    {
        if (erf.Inputs.Count != 1 || erf.Inputs[0]?.Producer is not { } scale || scale.Inputs.Count != 2) return null;
        Value? x = scale.OpType switch
        {
            OpTypes.Div when IsScalar(scale.Inputs[1], Sqrt2) => scale.Inputs[0],
            OpTypes.Mul when IsScalar(scale.Inputs[1], 1 / Sqrt2) => scale.Inputs[0],
            OpTypes.Mul when IsScalar(scale.Inputs[0], 1 / Sqrt2) => scale.Inputs[1],
            _ => null,
        };
        if (x is null || x.IsConstant) return null;
        return HalfTimesOnePlus(uses, [scale, erf], erf, x, null);
    }

    /// <summary>Tanh(√(2/π) · (x + 0.044715 · Pow(x, 3))), then the common tail.</summary>
    private static Match? GeluTanh(GraphUses uses, Node tanh)
    {
        if (tanh.Inputs.Count != 1 || tanh.Inputs[0]?.Producer is not { OpType: OpTypes.Mul } scaled) return null;
        if (ScaledOperand(scaled, SqrtTwoOverPi)?.Producer is not { OpType: OpTypes.Add, Inputs.Count: 2 } inner) return null;
        foreach (int i in (int[])[0, 1])
        {
            if (inner.Inputs[i] is not { IsConstant: false } x || inner.Inputs[1 - i]?.Producer is not { OpType: OpTypes.Mul } cubic) continue;
            if (ScaledOperand(cubic, TanhCubic)?.Producer is not { OpType: OpTypes.Pow } pow) continue;
            if (!ReferenceEquals(pow.Inputs[0], x) || !IsScalar(pow.Inputs.Count == 2 ? pow.Inputs[1] : null, 3)) continue;
            return HalfTimesOnePlus(uses, [pow, cubic, inner, scaled, tanh], tanh, x, "tanh");
        }
        return null;
    }

    /// <summary>The non-constant operand of a Mul by the scalar <paramref name="factor"/>.</summary>
    private static Value? ScaledOperand(Node mul, double factor)
    {
        if (mul.OpType != OpTypes.Mul || mul.Inputs.Count != 2) return null;
        if (IsScalar(mul.Inputs[1], factor)) return mul.Inputs[0];
        if (IsScalar(mul.Inputs[0], factor)) return mul.Inputs[1];
        return null;
    }

    /// <summary>
    /// t → Add(t, 1) = s, then x · s · 0.5 as the exporter writes it: (x · s) · 0.5, (s · 0.5) · x, or (x · 0.5) · s.
    /// </summary>
    private static Match? HalfTimesOnePlus(GraphUses uses, List<Node> chain, Node t, Value x, string? approximate)
    {
        if (SoleReader(uses, t, OpTypes.Add) is not { } add || !IsScalar(OtherInput(add, t.Outputs[0]), 1)) return null;
        var s = add.Outputs[0];
        if (SoleReader(uses, add, OpTypes.Mul) is not { } first || OtherInput(first, s) is not { } other) return null;
        string op = OpTypes.Gelu;
        if (ReferenceEquals(other, x) || IsScalar(other, 0.5))
        {
            // (x · s) · 0.5 or (s · 0.5) · x
            if (SoleReader(uses, first, OpTypes.Mul) is not { } second) return null;
            var rest = OtherInput(second, first.Outputs[0]);
            bool closes = ReferenceEquals(other, x) ? IsScalar(rest, 0.5) : ReferenceEquals(rest, x);
            return closes ? new([.. chain, add, first, second], second, op, x, approximate) : null;
        }
        // (x · 0.5) · s: the half product must be read by this Mul only.
        if (other.Producer is not { OpType: OpTypes.Mul } half || ScaledOperand(half, 0.5) is not { } halved || !ReferenceEquals(halved, x)) return null;
        return new([.. chain, add, half, first], first, op, x, approximate);
    }

    private readonly record struct Match(List<Node> Chain, Node Last, string OpType, Value X, string? Approximate);
}
