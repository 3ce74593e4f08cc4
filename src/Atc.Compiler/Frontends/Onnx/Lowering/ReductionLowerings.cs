using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>Reductions, ArgMax/ArgMin and the Softmax family. Reduce axes moved from an attribute to an input
/// (ReduceSum at opset 13, the others at 18); the canonical ops take the attribute.</summary>
internal static class ReductionLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        foreach (var op in new[] { OpTypes.ReduceMean, OpTypes.ReduceSum, OpTypes.ReduceMax, OpTypes.ReduceMin,
                     OpTypes.ReduceProd, OpTypes.ReduceSumSquare, OpTypes.ReduceL1, OpTypes.ReduceL2, OpTypes.ReduceLogSumExp })
            table[op] = n => Reduce(n, n.OpType);
        table["ReduceLogSum"] = ReduceLogSum;
        table[OpTypes.ArgMax] = ArgReduce;
        table[OpTypes.ArgMin] = ArgReduce;
        table[OpTypes.Softmax] = Softmax;
        table[OpTypes.LogSoftmax] = Softmax;
        table[OpTypes.Hardmax] = Softmax;
        table[OpTypes.CumSum] = n => n.Emit(OpTypes.CumSum, [n.RequiredInput(0, "x"), n.RequiredInput(1, "axis")],
            OnnxAttributes.Copy(n, "exclusive", "reverse"), 1);
        table[OpTypes.TopK] = TopK;
        table[OpTypes.Einsum] = n => n.Emit(OpTypes.Einsum, n.AllInputs(), OnnxAttributes.Copy(n, "equation"), 1);
    }

    private static void Reduce(NodeLowering n, string opType)
    {
        if (ReduceAttributes(n) is not { } attributes) return;
        var data = n.RequiredInput(0, "data");
        if (attributes.GetInts("axes", []).Length == 0 && n.Node.Int("noop_with_empty_axes", 0) != 0)
            n.Emit(OpTypes.Identity, [data], null, 1);
        else
            n.Emit(opType, [data], attributes, 1);
    }

    // log(sum(x)): no canonical op of its own.
    private static void ReduceLogSum(NodeLowering n)
    {
        if (ReduceAttributes(n) is not { } attributes) return;
        var data = n.RequiredInput(0, "data");
        if (attributes.GetInts("axes", []).Length == 0 && n.Node.Int("noop_with_empty_axes", 0) != 0)
        {
            n.Emit(OpTypes.Log, [data], null, 1);
            return;
        }
        var sum = n.EmitHelper("sum", OpTypes.ReduceSum, [data], attributes, data.Type);
        n.Emit(OpTypes.Log, [sum], null, 1);
    }

    /// <summary>axes (from the attribute or the constant input) and keepdims; null when the axes are computed.</summary>
    private static OpAttributes? ReduceAttributes(NodeLowering n)
    {
        var attributes = OnnxAttributes.Copy(n, "keepdims");
        bool axesAreInput = n.OpType == OpTypes.ReduceSum ? n.Opset >= 13 : n.Opset >= 18;
        if (axesAreInput)
        {
            var axes = n.ConstantInput(1, "axes", out bool ok);
            if (!ok) return null;
            if (axes is not null && axes.ElementCount > 0) attributes.Set("axes", axes.ToInt64Array());
        }
        else if (n.Node.Ints("axes") is { Length: > 0 } axes)
            attributes.Set("axes", axes);
        return attributes;
    }

    private static void ArgReduce(NodeLowering n)
        => n.Emit(n.OpType, [n.RequiredInput(0, "data")], OnnxAttributes.Copy(n, "axis", "keepdims", "select_last_index"), 1, DataType.Int64);

    // K is an attribute before opset 10 and an input from 10. Output 1 (indices) is int64 whatever the model declares.
    private static void TopK(NodeLowering n)
    {
        var x = n.RequiredInput(0, "X");
        var k = n.Opset < 10
            ? n.Constant("k", TensorData.Int64([1], n.Node.Int("k", 0)))
            : n.RequiredInput(1, "K");
        var node = n.Emit(OpTypes.TopK, [x, k], OnnxAttributes.Copy(n, "axis", "largest", "sorted"), 2, x.Type);
        node.Outputs[1].Type = DataType.Int64;
    }

    // Before opset 13 Softmax (and Hardmax) flattened the input to 2-D at axis (default 1); the canonical op has that as legacy=1.
    private static void Softmax(NodeLowering n)
    {
        var attributes = new OpAttributes();
        if (n.Opset < 13)
            attributes.Set("axis", n.Node.Int("axis", 1)).Set("legacy", 1L);
        else
            attributes.Set("axis", n.Node.Int("axis", -1));
        n.Emit(n.OpType, [n.RequiredInput(0, "input")], attributes, 1);
    }
}
