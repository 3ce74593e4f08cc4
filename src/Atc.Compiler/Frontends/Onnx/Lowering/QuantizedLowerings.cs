using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>
/// The quantised ops map one to one onto canonical ops with ONNX's inputs and attributes; the lowering only states each
/// output's element type (a zero point's type, int32, or uint8), which the shape rules check again per gear.
/// </summary>
internal static class QuantizedLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        table[OpTypes.QuantizeLinear] = QuantizeLinear;
        table[OpTypes.DequantizeLinear] = n => n.Emit(OpTypes.DequantizeLinear, NeuralNetLowerings.Inputs(n),
            OnnxAttributes.Copy(n, "axis", "block_size"), 1, DataType.Float32);
        table[OpTypes.DynamicQuantizeLinear] = DynamicQuantizeLinear;
        table[OpTypes.MatMulInteger] = n => n.Emit(OpTypes.MatMulInteger, NeuralNetLowerings.Inputs(n), null, 1, DataType.Int32);
        table[OpTypes.QLinearMatMul] = n => n.Emit(OpTypes.QLinearMatMul, NeuralNetLowerings.Inputs(n), null, 1,
            n.RequiredInput(7, "y_zero_point").Type);
        table[OpTypes.ConvInteger] = n => n.Emit(OpTypes.ConvInteger, NeuralNetLowerings.Inputs(n), ConvAttributes(n), 1, DataType.Int32);
        table[OpTypes.QLinearConv] = n => n.Emit(OpTypes.QLinearConv, NeuralNetLowerings.Inputs(n), ConvAttributes(n), 1,
            n.RequiredInput(7, "y_zero_point").Type);
        // ONNX Runtime's contrib ops (domain com.microsoft): the output has the first operand's type.
        foreach (var op in new[] { OpTypes.QLinearAdd, OpTypes.QLinearMul })
            table[MicrosoftDomain + op] = n => n.Emit(op, WithZeroPoints(n, 8, [2, 5, 7]), null, 1, n.RequiredInput(0, "A").Type);
        table[MicrosoftDomain + OpTypes.QLinearSigmoid] = n => n.Emit(OpTypes.QLinearSigmoid, WithZeroPoints(n, 5, [2, 4]), null, 1,
            n.RequiredInput(0, "X").Type);
        table[MicrosoftDomain + OpTypes.QLinearLeakyRelu] = n => n.Emit(OpTypes.QLinearLeakyRelu, WithZeroPoints(n, 5, [2, 4]),
            OnnxAttributes.Copy(n, "alpha"), 1, n.RequiredInput(0, "X").Type);
    }

    /// <summary>The contrib op's inputs with each omitted zero point made an explicit 0 of the first operand's type
    /// (the contrib ops' default), so the canonical op has a fixed input list.</summary>
    private static List<Value?> WithZeroPoints(NodeLowering n, int count, int[] zeroPoints)
    {
        var type = n.RequiredInput(0, "the first operand").Type;
        var inputs = Enumerable.Range(0, count).Select(n.Input).ToList();
        foreach (int i in zeroPoints)
            inputs[i] ??= n.Constant("zero_point" + i, TensorData.FromArray(type, [], new byte[1]));
        return inputs;
    }

    /// <summary>The key prefix of ONNX Runtime's contrib ops in the op table.</summary>
    public const string MicrosoftDomain = "com.microsoft:";

    private static OpAttributes ConvAttributes(NodeLowering n)
        => OnnxAttributes.Copy(n, "kernel_shape", "strides", "dilations", "pads", "auto_pad", "group");

    // Without a zero point the type comes from output_dtype (opset 21), else uint8.
    private static void QuantizeLinear(NodeLowering n)
    {
        var zeroPoint = n.Input(2);
        var attributes = OnnxAttributes.Copy(n, "axis", "block_size", "output_dtype");
        var type = zeroPoint?.Type
            ?? (attributes.GetInt("output_dtype", 0) is var code and not 0 ? (DataType)code : DataType.UInt8);
        n.Emit(OpTypes.QuantizeLinear, NeuralNetLowerings.Inputs(n), attributes, 1, type);
    }

    private static void DynamicQuantizeLinear(NodeLowering n)
    {
        var node = n.Emit(OpTypes.DynamicQuantizeLinear, [n.RequiredInput(0, "x")], null, 3, DataType.Float32);
        node.Outputs[0].Type = DataType.UInt8;
        node.Outputs[2].Type = DataType.UInt8;
    }
}
