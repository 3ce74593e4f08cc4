using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Quantized;

namespace Atc.Compiler.Passes;

/// <summary>
/// Runs QDQ-quantised Conv and MatMul in int8, as ONNX Runtime does: DequantizeLinear(x) and DequantizeLinear(weights)
/// into a Conv or MatMul whose only reader is a QuantizeLinear become one QLinearConv / QLinearMatMul with the same
/// scales and zero points (a Conv bias DequantizeLinear(int32, x_scale · w_scale, 0) becomes QLinearConv's int32 B).
/// Activation scales and zero points must be constant scalars; weight ones may be per output channel (axis 0 for a
/// Conv's weights, the column axis for a MatMul's 2-D B). Anything else stays in float, which computes the same
/// model with float rounding. Runs before constant folding, which would turn the weights' DequantizeLinear into float
/// weights; the DequantizeLinear nodes it leaves without readers go with dead-code elimination.
/// </summary>
public sealed class QdqFusion : IGraphPass
{
    public const string ConvFused = "Conv run as QLinearConv";
    public const string MatMulFused = "MatMul run as QLinearMatMul";
    public const string MaxPoolInteger = "DequantizeLinear -> MaxPool -> QuantizeLinear run as an 8-bit MaxPool";
    public const string ActivationFolded = "Relu/Clip folded into QLinearConv's output clamp";

    public string Name => nameof(QdqFusion);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        var names = new ValueNames(graph);
        var uses = GraphUses.Of(graph);
        foreach (var (quantize, found, output) in QdqOperands.QuantizedProducers(graph, names, uses))
        {
            if (quantize.Inputs[0]!.Type != DataType.Float32) continue;
            var producer = found;
            // Conv -> Relu/Clip -> Q: the activation becomes a clamp of the quantised output (Q is monotonic, so
            // Q(max(v, lo)) = max(Q(v), Q(lo))).
            if (producer.OpType == OpTypes.MaxPool && TryIntegerMaxPool(graph, uses, producer, quantize))
            {
                result.Add(MaxPoolInteger);
                continue;
            }
            Node? activation = null;
            if (producer.OpType is OpTypes.Relu or OpTypes.Clip && producer.Inputs.Count == 1
                && producer.Inputs[0] is { Producer: { OpType: OpTypes.Conv } conv } convOutput
                && ReferenceEquals(uses.SoleReader(convOutput), producer) && conv.Outputs.Count == 1)
            {
                activation = producer;
                producer = conv;
            }
            string? fused = producer.OpType switch
            {
                OpTypes.Conv => TryConv(names, producer, output) ? ConvFused : null,
                OpTypes.MatMul => TryMatMul(names, producer, output) ? MatMulFused : null,
                _ => null,
            };
            if (fused is null) continue;
            if (activation is not null)
            {
                var (min, max) = QdqOperands.QuantisedBounds(activation, output);
                producer.Attributes.Set(QuantizedConvOperator.OutputMinAttribute, min).Set(QuantizedConvOperator.OutputMaxAttribute, max);
                graph.Nodes.Remove(activation);
                activation.Outputs.Clear();
                result.Add(ActivationFolded);
            }
            GraphRewrites.Absorb(graph, producer, quantize);
            result.Add(fused);
        }
        return result.Complete(graph);
    }

    private static bool TryConv(ValueNames names, Node conv, (Value Scale, Value ZeroPoint) output)
    {
        if (conv.Inputs.Count > 3 || conv.Attributes.Has("activation")) return false;
        if (conv.Attributes.Has("layout") && !conv.Attributes.GetString("layout", "NCHW").StartsWith("NC", StringComparison.Ordinal)) return false;
        if (QdqOperands.Dequantized(names, conv.Inputs[0], perAxis: null) is not { } x || !x.Data.Type.IsEightBit()) return false;
        if (conv.Inputs[1] is not { } wValue || wValue.Producer is null) return false;
        if (QdqOperands.Dequantized(names, wValue, perAxis: 0) is not { Data.IsConstant: true } w || !w.Data.Type.IsEightBit()) return false;
        Value? bias = null;
        if (conv.Inputs.Count > 2 && conv.Inputs[2] is { } b)
        {
            if (QdqOperands.Dequantized(names, b, perAxis: 0) is not { Data.IsConstant: true } qb || qb.Data.Type != DataType.Int32) return false;
            // The int32 bias adds to the accumulator only when its scale is the accumulator's.
            for (int o = 0; o < qb.Scales.Length; o++)
                if (qb.ZeroPoints.Any(z => z != 0) || qb.Scales[o] != x.Scales[0] * w.Scales[w.Scales.Length == 1 ? 0 : o]) return false;
            if (qb.Scales.Length == 1 && w.Scales.Length > 1) return false;
            bias = qb.Data;
        }
        conv.OpType = OpTypes.QLinearConv;
        conv.Inputs.Clear();
        conv.Inputs.AddRange([x.Data, x.Scale, x.ZeroPoint, w.Data, w.Scale, w.ZeroPoint, output.Scale, output.ZeroPoint]);
        if (bias is not null) conv.Inputs.Add(bias);
        return true;
    }

    private static bool TryMatMul(ValueNames names, Node matMul, (Value Scale, Value ZeroPoint) output)
    {
        if (QdqOperands.Dequantized(names, matMul.Inputs[0], perAxis: null) is not { } a || !a.Data.Type.IsEightBit()) return false;
        // Per-column parameters only for a 2-D B (axis 1); a scalar for any B.
        var bValue = matMul.Inputs[1];
        int? columnAxis = bValue?.Producer is { OpType: OpTypes.DequantizeLinear } dq && dq.Inputs[0]?.Shape is { Length: 2 } ? 1 : null;
        if (QdqOperands.Dequantized(names, bValue, columnAxis) is not { } b || !b.Data.Type.IsEightBit()) return false;
        matMul.OpType = OpTypes.QLinearMatMul;
        matMul.Inputs.Clear();
        matMul.Inputs.AddRange([a.Data, a.Scale, a.ZeroPoint, b.Data, b.Scale, b.ZeroPoint, output.Scale, output.ZeroPoint]);
        return true;
    }

    /// <summary>DQ -> MaxPool -> Q with the same constant scalar scale (positive) and zero point on both sides: the
    /// pool runs on the quantised values (dequantising is increasing, and Q(DQ(q)) = q), as ONNX Runtime does.</summary>
    private static bool TryIntegerMaxPool(Graph graph, GraphUses uses, Node pool, Node quantize)
    {
        if (pool.Outputs.Count != 1 || pool.Inputs[0] is not { Producer: { OpType: OpTypes.DequantizeLinear } dq } pooled) return false;
        if (!ReferenceEquals(uses.SoleReader(pooled), pool) || dq.Inputs[0] is not { } data || !data.Type.IsEightBit()) return false;
        if (dq.Inputs[1]?.Constant is not { ElementCount: 1, Type: DataType.Float32 } inScale
            || quantize.Inputs[1]?.Constant is not { ElementCount: 1, Type: DataType.Float32 } outScale) return false;
        float scale = inScale.ToFloatArray()[0];
        if (!(scale > 0) || !float.IsFinite(scale) || BitConverter.SingleToInt32Bits(scale) != BitConverter.SingleToInt32Bits(outScale.ToFloatArray()[0])) return false;
        if (GraphRewrites.InputOrNull(dq, 2)?.Constant is not { ElementCount: 1 } inZero || GraphRewrites.InputOrNull(quantize, 2)?.Constant is not { ElementCount: 1 } outZero) return false;
        if (inZero.Type != data.Type || outZero.Type != data.Type || inZero.ToInt64Array()[0] != outZero.ToInt64Array()[0]) return false;
        pool.Inputs[0] = data;
        GraphRewrites.Absorb(graph, pool, quantize);
        graph.Nodes.Remove(dq);
        dq.Outputs.Clear();
        return true;
    }
}

/// <summary>The 8-bit types the int8 kernels take.</summary>
internal static class QuantizedTypes
{
    public static bool IsEightBit(this DataType type) => type is DataType.UInt8 or DataType.Int8;
}
