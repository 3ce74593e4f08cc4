using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Quantized;

namespace Atc.Compiler.Passes;

/// <summary>
/// Reading QDQ patterns for the int8 fusions of Add/Mul/activations and Gemm: the 8-bit tensor behind a
/// DequantizeLinear with constant parameters, and a QuantizeLinear's constant scalar scale and zero point.
/// </summary>
internal static class QdqOperands
{
    /// <summary>A dequantised operand: its 8-bit (or int32) data, scale and zero point values (a missing zero point
    /// becomes a constant 0 of the data's type), and the constants' values.</summary>
    public sealed record Operand(Value Data, Value Scale, Value ZeroPoint, float[] Scales, int[] ZeroPoints);

    /// <summary>The operand behind <paramref name="value"/> when a DequantizeLinear (no blocks) with constant
    /// parameters produces it: per tensor, or, when <paramref name="perAxis"/> is given, per slice of that axis of
    /// the data.</summary>
    public static Operand? Dequantized(ValueNames names, Value? value, int? perAxis = null)
    {
        if (value?.Producer is not { OpType: OpTypes.DequantizeLinear } dq || dq.Attributes.GetInt("block_size", 0) != 0) return null;
        var data = dq.Inputs[0]!;
        if (dq.Inputs[1]?.Constant is not { Type: DataType.Float32 } scales) return null;
        var zeroPoint = GraphRewrites.InputOrNull(dq, 2);
        if (zeroPoint is not null && zeroPoint.Constant is null) return null;
        if (scales.ElementCount != 1)
        {
            if (perAxis is not { } axis || data.Shape is not { } shape || scales.Dims.Length != 1) return null;
            long attribute = dq.Attributes.GetInt("axis", 1);
            if ((attribute < 0 ? attribute + shape.Length : attribute) != axis) return null;
        }
        var zero = zeroPoint ?? Zero(names, data.Type, dq.Name);
        var zeros = zero.Constant!.ToInt64Array().Select(v => (int)v).ToArray();
        if (zeros.Length != 1 && zeros.Length != scales.ElementCount) return null;
        return new Operand(data, dq.Inputs[1]!, zero, scales.ToFloatArray(), zeros);
    }

    /// <summary>An 8-bit operand quantised per tensor.</summary>
    public static Operand? PerTensorEightBit(ValueNames names, Value? value)
        => Dequantized(names, value) is { } operand && operand.Data.Type.IsEightBit() && operand.Scales.Length == 1 ? operand : null;

    /// <summary>The QuantizeLinear's scale and zero point when both are constant scalars and the output is 8-bit (a
    /// missing zero point is a 0 of the output type).</summary>
    public static (Value Scale, Value ZeroPoint)? Quantization(ValueNames names, Node quantize)
    {
        var type = quantize.Outputs[0].Type;
        if (!type.IsEightBit() || quantize.Attributes.GetInt("block_size", 0) != 0) return null;
        if (quantize.Inputs[1] is not { Constant: { ElementCount: 1, Type: DataType.Float32 } } scale) return null;
        var zeroPoint = GraphRewrites.InputOrNull(quantize, 2);
        if (zeroPoint is null) return (scale, Zero(names, type, quantize.Name));
        return zeroPoint.Constant is { ElementCount: 1 } && zeroPoint.Type == type ? (scale, zeroPoint) : null;
    }

    /// <summary>The fusions' starting points: each QuantizeLinear (in a snapshot of the nodes, checked as it is reached,
    /// so earlier rewrites are seen) whose input only it reads, from a single-output producer, with constant scalar
    /// parameters and an 8-bit output.</summary>
    public static IEnumerable<(Node Quantize, Node Producer, (Value Scale, Value ZeroPoint) Output)> QuantizedProducers(Graph graph,
        ValueNames names, GraphUses uses)
    {
        foreach (var quantize in graph.Nodes.ToList())
        {
            if (quantize.OpType != OpTypes.QuantizeLinear || quantize.Inputs[0] is not { Producer: { } producer } y) continue;
            if (!ReferenceEquals(uses.SoleReader(y), quantize) || producer.Outputs.Count != 1) continue;
            if (Quantization(names, quantize) is not { } output) continue;
            yield return (quantize, producer, output);
        }
    }

    /// <summary>The quantised output bounds of a Relu (0, +inf) or Clip (min, max), quantised as QuantizeLinear does.</summary>
    public static (int Min, int Max) QuantisedBounds(Node activation, (Value Scale, Value ZeroPoint) output)
    {
        float scale = output.Scale.Constant!.ToFloatArray()[0];
        var type = output.ZeroPoint.Constant!.Type;
        int zeroPoint = (int)output.ZeroPoint.Constant.ToInt64Array()[0];
        var (typeMin, typeMax) = QuantizedParameters.Range(type);
        float lo = activation.OpType == OpTypes.Relu ? 0f : activation.Attributes.GetFloat("min", float.NegativeInfinity);
        float hi = activation.OpType == OpTypes.Relu ? float.PositiveInfinity : activation.Attributes.GetFloat("max", float.PositiveInfinity);
        return (QuantizedParameters.RoundAndSaturate(lo / scale, zeroPoint, typeMin, typeMax),
            QuantizedParameters.RoundAndSaturate(hi / scale, zeroPoint, typeMin, typeMax));
    }

    private static Value Zero(ValueNames names, DataType type, string near)
        => Value.FromConstant(names.Fresh(near + "/zero_point"), TensorData.FromArray(type, [], new byte[type.SizeOf()]));
}
