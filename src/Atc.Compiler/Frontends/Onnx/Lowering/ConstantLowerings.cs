using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>Constant becomes a constant value (no node); ConstantOfShape keeps its shape input and fill value.</summary>
internal static class ConstantLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        table["Constant"] = Constant;
        table[OpTypes.ConstantOfShape] = ConstantOfShape;
    }

    private static void Constant(NodeLowering n)
    {
        var node = n.Node;
        TensorData? data;
        if (node.Tensor("value") is { } tensor) data = n.ReadTensor(tensor, "value");
        else if (node.Has("value_float")) data = TensorData.Scalar(node.Float("value_float", 0f));
        else if (node.Floats("value_floats") is { } floats) data = TensorData.Float([floats.Length], floats);
        else if (node.Has("value_int")) data = TensorData.Int64([], node.Int("value_int", 0));
        else if (node.Ints("value_ints") is { } ints) data = TensorData.Int64([ints.Length], ints);
        else if (new[] { "sparse_value", "value_string", "value_strings" }.FirstOrDefault(node.Has) is { } kind)
        {
            n.Unsupported($"Constant with {kind}");
            return;
        }
        else
            throw new AtcException(AtcErrors.InvalidModel($"node {node} has no value attribute"));
        if (data is not null) n.BindConstant(data);
    }

    // The fill value is a one-element tensor (float 0 when absent); the output takes its type.
    private static void ConstantOfShape(NodeLowering n)
    {
        TensorData value = TensorData.Float([1], 0f);
        if (n.Node.Tensor("value") is TensorProto tensor)
        {
            if (n.ReadTensor(tensor, "value") is not { } read) return;
            value = read;
        }
        var attributes = new OpAttributes().Set("value", new AttributeValue(value));
        n.Emit(OpTypes.ConstantOfShape, [n.RequiredInput(0, "shape")], attributes, 1, value.Type);
    }
}
