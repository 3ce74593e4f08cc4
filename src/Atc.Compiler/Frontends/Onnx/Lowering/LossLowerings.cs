using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>The loss ops (opset 12/13): NegativeLogLikelihoodLoss as the canonical op, SoftmaxCrossEntropyLoss as
/// its ONNX function body, LogSoftmax over the class axis feeding that op.</summary>
internal static class LossLowerings
{
    private static readonly string[] Reductions = ["mean", "sum", "none"];

    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        table[OpTypes.NegativeLogLikelihoodLoss] = NegativeLogLikelihoodLoss;
        table["SoftmaxCrossEntropyLoss"] = SoftmaxCrossEntropyLoss;
    }

    private static void NegativeLogLikelihoodLoss(NodeLowering n)
        => n.Emit(OpTypes.NegativeLogLikelihoodLoss, [n.RequiredInput(0, "input"), n.RequiredInput(1, "target"), n.Input(2)], Attributes(n), 1);

    /// <summary>Output 1 (log_prob, optional) is the LogSoftmax over axis 1 that the loss is taken from.</summary>
    private static void SoftmaxCrossEntropyLoss(NodeLowering n)
    {
        var attributes = Attributes(n);
        var scores = n.RequiredInput(0, "scores");
        var logProb = n.EmitOutput(1, "log_prob", OpTypes.LogSoftmax, [scores], new OpAttributes().Set("axis", 1L), scores.Type);
        n.Emit(OpTypes.NegativeLogLikelihoodLoss, [logProb, n.RequiredInput(1, "labels"), n.Input(2)], attributes, 1, scores.Type);
    }

    private static OpAttributes Attributes(NodeLowering n)
    {
        string reduction = n.Node.String("reduction", "mean");
        if (Array.IndexOf(Reductions, reduction) < 0)
            throw new AtcException(AtcErrors.AttributeValueUnsupported(n.Node.Name, n.OpType, "reduction", reduction, Reductions));
        var attributes = new OpAttributes().Set("reduction", reduction);
        if (n.Node.Has("ignore_index")) attributes.Set("ignore_index", n.Node.Int("ignore_index", 0));
        return attributes;
    }
}
