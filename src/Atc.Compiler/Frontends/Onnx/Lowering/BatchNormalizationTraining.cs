using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>
/// BatchNormalization with training_mode=1 (opset 14+), written out as ONNX defines it: Y normalises X with the
/// batch's own mean and (population) variance over every axis but the channel axis 1; outputs 1 and 2 are the
/// running statistics input_mean·momentum + batch_mean·(1 - momentum) and the same for the variance.
/// </summary>
internal static class BatchNormalizationTraining
{
    public static void Lower(NodeLowering n)
    {
        var x = n.RequiredInput(0, "X");
        if (n.Context.Ranks.RankOf(x) is not { } rank || rank < 2)
        {
            n.Unsupported("BatchNormalization in training mode on an input of unknown rank");
            return;
        }
        var type = x.Type;
        long[] axes = [0, .. Enumerable.Range(2, rank - 2).Select(a => (long)a)];
        float epsilon = n.Node.Float("epsilon", 1e-5f), momentum = n.Node.Float("momentum", 0.9f);
        var keep = new OpAttributes().Set("axes", axes).Set("keepdims", 1L);
        var perChannel = new OpAttributes().Set("axes", axes);

        var mean = n.EmitHelper("batch_mean", OpTypes.ReduceMean, [x], keep, type);
        var centred = n.EmitHelper("centred", OpTypes.Sub, [x, mean], null, type);
        var variance = n.EmitHelper("batch_var", OpTypes.ReduceMean, [n.EmitHelper("square", OpTypes.Mul, [centred, centred], null, type)], keep, type);
        var std = n.EmitHelper("std", OpTypes.Sqrt, [n.EmitHelper("var_eps", OpTypes.Add, [variance, Scalar(n, "epsilon", type, epsilon)], null, type)], null, type);
        var scale = n.EmitHelper("scale", OpTypes.Unsqueeze, [n.RequiredInput(1, "scale")], perChannel, type);
        var bias = n.EmitHelper("bias", OpTypes.Unsqueeze, [n.RequiredInput(2, "B")], perChannel, type);
        var normalized = n.EmitHelper("normalized", OpTypes.Div, [centred, std], null, type);
        n.Emit(OpTypes.Add, [n.EmitHelper("scaled", OpTypes.Mul, [normalized, scale], null, type), bias], null, 1, type);

        Running(n, 1, "running_mean", n.RequiredInput(3, "input_mean"), mean, perChannel, momentum, type);
        Running(n, 2, "running_var", n.RequiredInput(4, "input_var"), variance, perChannel, momentum, type);
    }

    private static void Running(NodeLowering n, int output, string name, Value input, Value batch, OpAttributes squeeze, float momentum, DataType type)
    {
        // An output the node does not name is not computed; a named but unread one is removed by dead-node elimination.
        if (!HasOutput(n, output)) return;
        var kept = n.EmitHelper($"{name}_kept", OpTypes.Mul, [input, Scalar(n, "momentum", type, momentum)], null, type);
        var batchPart = n.EmitHelper($"{name}_batch", OpTypes.Mul,
            [n.EmitHelper($"{name}_squeezed", OpTypes.Squeeze, [batch], squeeze, type), Scalar(n, "one_minus_momentum", type, 1 - momentum)], null, type);
        n.EmitOutput(output, name, OpTypes.Add, [kept, batchPart], null, type);
    }

    private static bool HasOutput(NodeLowering n, int output)
        => output < n.Node.Outputs.Count && n.Node.Outputs[output].Length > 0;

    private static Value Scalar(NodeLowering n, string name, DataType type, double value) => n.Constant(name, OnnxTensorReader.Scalar(type, value));
}
