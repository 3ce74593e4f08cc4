using Atc.Compiler.Ir;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Quantized;

namespace Atc.Compiler.Passes;

/// <summary>
/// Runs QDQ-quantised element-wise ops in 8 bits, as ONNX Runtime does: QuantizeLinear(Add/Mul(DequantizeLinear(a),
/// DequantizeLinear(b))) becomes QLinearAdd/QLinearMul, and QuantizeLinear(Sigmoid/LeakyRelu(DequantizeLinear(x)))
/// QLinearSigmoid/QLinearLeakyRelu. A Relu or Clip between the Add/Mul and the QuantizeLinear (the residual
/// "Add -> Relu -> Q" of a quantised ResNet) folds into the int8 op as a clamp of its quantised output: QuantizeLinear
/// is non-decreasing for a positive scale, so Q(max(v, lo)) = max(Q(v), Q(lo)) (for Relu Q(0) is the zero point) and
/// likewise for the upper bound, which keeps the result bit-exact. Their kernels compute the pattern's own float32 arithmetic (DQ, the op, Q), so
/// the result is the unfused graph's bits. Scales and zero points must be constant and per tensor, both operands and
/// the output of one 8-bit type. Runs before constant folding (a constant operand's DequantizeLinear would become a
/// float constant); DequantizeLinear nodes left without readers go with dead-code elimination.
/// </summary>
public sealed class QdqElementwiseFusion : IGraphPass
{
    public const string BinaryFused = "Add/Mul run as QLinearAdd/QLinearMul";
    public const string ClampFolded = "Relu/Clip folded into QLinearAdd/QLinearMul's output clamp";
    public const string ActivationFused = "Sigmoid/LeakyRelu run as QLinearSigmoid/QLinearLeakyRelu";

    public string Name => nameof(QdqElementwiseFusion);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        var names = new ValueNames(graph);
        var uses = GraphUses.Of(graph);
        foreach (var (quantize, found, output) in QdqOperands.QuantizedProducers(graph, names, uses))
        {
            var producer = found;
            var type = quantize.Outputs[0].Type;
            var clamp = ClampBetween(uses, ref producer, output);
            switch (producer.OpType)
            {
                case OpTypes.Add or OpTypes.Mul when producer.Inputs.Count == 2
                    && QdqOperands.PerTensorEightBit(names, producer.Inputs[0]) is { } a && a.Data.Type == type
                    && QdqOperands.PerTensorEightBit(names, producer.Inputs[1]) is { } b && b.Data.Type == type:
                    producer.OpType = producer.OpType == OpTypes.Add ? OpTypes.QLinearAdd : OpTypes.QLinearMul;
                    producer.Inputs.Clear();
                    producer.Inputs.AddRange([a.Data, a.Scale, a.ZeroPoint, b.Data, b.Scale, b.ZeroPoint, output.Scale, output.ZeroPoint]);
                    result.Add(BinaryFused);
                    if (clamp is { } bounds)
                    {
                        producer.Attributes.Set(QuantizedConvOperator.OutputMinAttribute, bounds.Min).Set(QuantizedConvOperator.OutputMaxAttribute, bounds.Max);
                        graph.Nodes.Remove(bounds.Activation);
                        bounds.Activation.Outputs.Clear();
                        result.Add(ClampFolded);
                    }
                    break;
                case OpTypes.Sigmoid or OpTypes.LeakyRelu when producer.Inputs.Count == 1
                    && QdqOperands.PerTensorEightBit(names, producer.Inputs[0]) is { } x && x.Data.Type == type:
                    producer.OpType = producer.OpType == OpTypes.Sigmoid ? OpTypes.QLinearSigmoid : OpTypes.QLinearLeakyRelu;
                    producer.Inputs.Clear();
                    producer.Inputs.AddRange([x.Data, x.Scale, x.ZeroPoint, output.Scale, output.ZeroPoint]);
                    result.Add(ActivationFused);
                    break;
                default:
                    continue;
            }
            GraphRewrites.Absorb(graph, producer, quantize);
        }
        return result.Complete(graph);
    }

    /// <summary>When <paramref name="producer"/> is a Relu/Clip (bounds as attributes) that alone reads a
    /// single-output Add or Mul, moves <paramref name="producer"/> to that Add/Mul and returns the activation with its
    /// bounds quantised by the QuantizeLinear's (positive, finite) scale; otherwise null.</summary>
    private static (Node Activation, int Min, int Max)? ClampBetween(GraphUses uses, ref Node producer, (Value Scale, Value ZeroPoint) output)
    {
        if (producer.OpType is not (OpTypes.Relu or OpTypes.Clip) || producer.Inputs.Count != 1) return null;
        if (producer.Inputs[0] is not { Producer: { OpType: OpTypes.Add or OpTypes.Mul } op } v || op.Outputs.Count != 1) return null;
        if (!ReferenceEquals(uses.SoleReader(v), producer)) return null;
        float scale = output.Scale.Constant!.ToFloatArray()[0];
        if (!(scale > 0) || !float.IsFinite(scale)) return null;
        var (min, max) = QdqOperands.QuantisedBounds(producer, output);
        var activation = producer;
        producer = op;
        return (activation, min, max);
    }
}
