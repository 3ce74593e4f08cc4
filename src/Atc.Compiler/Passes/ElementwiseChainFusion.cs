using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Elementwise.Fused;
using Atc.Runtime.Operators.Elementwise.Unary;
using static Atc.Compiler.Passes.FusionPatterns;

namespace Atc.Compiler.Passes;

/// <summary>
/// Chains of two or more float32 element-wise ops (Add/Sub/Mul/Div/Max/Min with a constant or any broadcast
/// operand, unary activations, Clip) that are left after the producers' epilogues took theirs → one
/// FusedElementwise node, which makes one pass over memory in cache-sized blocks. Each link's output must be read
/// by the next link only, once, and be no graph output; the other operands become the node's inputs (scalar
/// constants its "scalars"). The fused node computes each step with the op's own routine, so results are the
/// unfused chain's bits.
/// </summary>
public sealed class ElementwiseChainFusion : IGraphPass
{
    public const string Fused = "element-wise chains fused", Links = "element-wise ops in fused chains";

    public string Name => nameof(ElementwiseChainFusion);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        while (TryFuseOnce(graph, result)) { }
        return result.Complete(graph);
    }

    private static bool TryFuseOnce(Graph graph, PassResult result)
    {
        var uses = GraphUses.Of(graph);
        // Graph order: a chain's first link comes before its others, so every chain is found from its start.
        foreach (var head in graph.Nodes)
        {
            if (!IsLink(head) || head.Inputs[0] is not { } start) continue;
            var chain = new List<Node> { head };
            for (var node = head; SoleReaderLink(uses, node) is { } next; node = next) chain.Add(next);
            if (chain.Count < 2) continue;

            var program = Build(chain, start);
            var last = chain[^1];
            var fused = Replace(graph, chain, last, OpTypes.FusedElementwise, [.. program.Inputs]);
            fused.Attributes.Set("steps", new AttributeValue([.. program.Steps.Select(s => s.Encode())]));
            fused.Attributes.Set("scalars", program.Scalars.ToArray());
            result.Add(Fused);
            result.Add(Links, chain.Count);
            return true;
        }
        return false;
    }

    /// <summary>A float32 element-wise node the fused kernel can run: a binary with two inputs, or a unary.</summary>
    private static bool IsLink(Node node)
    {
        if (node.Outputs.Count != 1 || node.Outputs[0].Type != DataType.Float32) return false;
        if (node.Inputs.Any(i => i is null || i.Type != DataType.Float32)) return false;
        if (ElementwiseProgram.Binaries.Contains(node.OpType)) return node.Inputs.Count == 2;
        return node.Inputs.Count == 1 && UnaryName(node) is { } name && ElementwiseProgram.Unaries.ContainsKey(name);
    }

    /// <summary>The step name of a unary node: Gelu with approximate="tanh" is its own map.</summary>
    private static string? UnaryName(Node node) => node.OpType switch
    {
        OpTypes.Gelu => node.Attributes.GetString("approximate", "none") switch
        {
            "none" => OpTypes.Gelu,
            "tanh" => FusedActivations.GeluTanhName,
            _ => null,
        },
        _ => node.OpType,
    };

    /// <summary>The next link: the only reader of the node's output, reading it through exactly one input.</summary>
    private static Node? SoleReaderLink(GraphUses uses, Node node)
    {
        var value = node.Outputs[0];
        if (uses.SoleReader(value) is not { } next || !IsLink(next)) return null;
        return next.Inputs.Count(i => ReferenceEquals(i, value)) == 1 ? next : null;
    }

    private static FusedProgram Build(List<Node> chain, Value start)
    {
        var program = new FusedProgram();
        program.Inputs.Add(start);
        var current = start;
        foreach (var node in chain)
        {
            string op = UnaryName(node)!;
            if (node.Inputs.Count == 1)
            {
                int first = program.Scalars.Count;
                program.Scalars.AddRange(Parameters(node));
                program.Steps.Add(new ElementwiseStep(op, StepOperand.None, first));
            }
            else
            {
                bool valueFirst = ReferenceEquals(node.Inputs[0], current);
                var operand = valueFirst ? node.Inputs[1]! : node.Inputs[0]!;
                if (operand.Constant is { ElementCount: 1 } && ScalarOf(operand) is { } scalar)
                {
                    program.Scalars.Add((float)scalar);
                    program.Steps.Add(new ElementwiseStep(op, valueFirst ? StepOperand.Scalar : StepOperand.ScalarFirst, program.Scalars.Count - 1));
                }
                else
                {
                    int index = program.Inputs.FindIndex(v => ReferenceEquals(v, operand));
                    if (index < 0)
                    {
                        program.Inputs.Add(operand);
                        index = program.Inputs.Count - 1;
                    }
                    program.Steps.Add(new ElementwiseStep(op, valueFirst ? StepOperand.Input : StepOperand.InputFirst, index));
                }
            }
            current = node.Outputs[0];
        }
        return program;
    }

    /// <summary>A unary's float parameters in the order <see cref="ElementwiseProgram.Unary"/> reads them.</summary>
    private static float[] Parameters(Node node) => node.OpType switch
    {
        OpTypes.LeakyRelu => [node.Attributes.GetFloat("alpha", 0.01f)],
        OpTypes.HardSigmoid => [node.Attributes.GetFloat("alpha", 0.2f), node.Attributes.GetFloat("beta", 0.5f)],
        OpTypes.Clip => [node.Attributes.GetFloat("min", float.NegativeInfinity), node.Attributes.GetFloat("max", float.PositiveInfinity)],
        _ => [],
    };

    private sealed class FusedProgram
    {
        public List<Value> Inputs { get; } = [];
        public List<ElementwiseStep> Steps { get; } = [];
        public List<float> Scalars { get; } = [];
    }
}
