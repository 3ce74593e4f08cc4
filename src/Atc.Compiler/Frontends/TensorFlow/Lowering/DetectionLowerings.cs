using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>
/// The data-dependent TensorFlow ops of detection post-processing, run in the gear's dynamic region:
/// NonMaxSuppressionV2-V5 (one class of boxes) become ONNX-semantics NonMaxSuppression on a batch and class of one
/// (the same rules: score strictly above the threshold, suppression when IoU exceeds the threshold, equal scores in
/// box order), and Where with one input becomes NonZero transposed to [count, rank].
/// </summary>
internal static class DetectionLowerings
{
    public static void Register(Dictionary<string, TfLowering> table)
    {
        table["NonMaxSuppressionV2"] = (c, n) => NonMaxSuppression(c, n, scoreThreshold: false, outputs: 1);
        table["NonMaxSuppressionV3"] = (c, n) => NonMaxSuppression(c, n, scoreThreshold: true, outputs: 1);
        table["NonMaxSuppressionV4"] = (c, n) => NonMaxSuppression(c, n, scoreThreshold: true, outputs: 2);
        table["NonMaxSuppressionV5"] = (c, n) => NonMaxSuppression(c, n, scoreThreshold: true, outputs: 3);
        table["Where"] = Where;
    }

    /// <summary>boxes [n, 4], scores [n], max_output_size, iou_threshold (V3+: score_threshold; V5: soft_nms_sigma,
    /// which must be 0: soft NMS rescores boxes instead of dropping them) → selected_indices int32 [m]; V4 adds
    /// valid_outputs, V5 selected_scores and valid_outputs. pad_to_max_output_size pads with zeros to
    /// max_output_size, which must then be constant.</summary>
    private static void NonMaxSuppression(TfLoweringContext c, TfNode node, bool scoreThreshold, int outputs)
    {
        int inputs = outputs == 3 ? 6 : scoreThreshold ? 5 : 4;
        c.RequireInputs(node, inputs);
        if (outputs == 3)
        {
            var sigma = c.Input(node, 5).Constant ?? throw new TfUnsupportedException(node.Op + " (non-constant soft_nms_sigma)");
            if (sigma.ToFloatArray().Any(v => v != 0)) throw new TfUnsupportedException(node.Op + " (soft_nms_sigma > 0: soft NMS)");
        }
        bool pad = outputs > 1 && node.GetBool("pad_to_max_output_size", false);
        long? padTo = pad ? c.ConstInt(node, 2, "max_output_size when pad_to_max_output_size is set") : null;

        var boxes = c.EmitHelper(node, "boxes", OpTypes.Unsqueeze, [c.Input(node, 0)], DataType.Float32,
            new OpAttributes().Set("axes", new long[] { 0 }));
        var scores = c.Input(node, 1);
        var classScores = c.EmitHelper(node, "scores", OpTypes.Unsqueeze, [scores], DataType.Float32,
            new OpAttributes().Set("axes", new long[] { 0, 1 }));
        var maxOutput = c.AsInt64(node, c.Input(node, 2));
        Value?[] operands = [boxes, classScores, maxOutput, c.Input(node, 3), scoreThreshold ? c.Input(node, 4) : null];
        var selected = c.EmitHelper(node, "selected", OpTypes.NonMaxSuppression, operands, DataType.Int64,
            new OpAttributes().Set("center_point_box", 0L));
        var indices = c.EmitHelper(node, "box_index", OpTypes.Gather, [selected, c.Int64Constant(node, "box_column", [2], [])],
            DataType.Int64, new OpAttributes().Set("axis", 1L));
        var count = c.EmitHelper(node, "count", OpTypes.Size, [indices], DataType.Int64);
        // Scores are gathered before padding: TensorFlow's padded scores are zeros, not box 0's score.
        var kept = outputs == 3
            ? c.EmitHelper(node, "kept_scores", OpTypes.Gather, [scores, indices], DataType.Float32, new OpAttributes().Set("axis", 0L))
            : null;
        if (padTo is { } length)
        {
            indices = PadTo(c, node, "indices", indices, length, TensorData.Int64([(int)length], new long[length]));
            if (kept is not null) kept = PadTo(c, node, "scores", kept, length, TensorData.Float([(int)length], new float[length]));
        }
        c.EmitAt(node, 0, OpTypes.Cast, [indices], DataType.Int32, new OpAttributes().Set("to", (long)DataType.Int32));
        if (kept is not null) c.EmitAt(node, 1, OpTypes.Identity, [kept], DataType.Float32);
        if (outputs > 1)
            c.EmitAt(node, outputs - 1, OpTypes.Cast, [count], DataType.Int32, new OpAttributes().Set("to", (long)DataType.Int32));
    }

    /// <summary>The first <paramref name="zeros"/>.Length values of <paramref name="values"/> followed by zeros.</summary>
    private static Value PadTo(TfLoweringContext c, TfNode node, string what, Value values, long length, TensorData zeros)
    {
        var padding = c.Constant(node.Name + "/" + what + "_zeros", zeros);
        var joined = c.EmitHelper(node, what + "_joined", OpTypes.Concat, [values, padding], values.Type, new OpAttributes().Set("axis", 0L));
        return c.EmitHelper(node, what + "_padded", OpTypes.Slice,
            [joined, c.Int64Constant(node, what + "_pad_start", [0]), c.Int64Constant(node, what + "_pad_end", [length])], values.Type);
    }

    /// <summary>Where(condition) → int64 [count, rank], the coordinates of the true (non-zero) elements in row-major
    /// order.</summary>
    private static void Where(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 1, 1);
        var nonZero = c.EmitHelper(node, "nonzero", OpTypes.NonZero, [c.Input(node, 0)], DataType.Int64);
        c.Emit(node, OpTypes.Transpose, [nonZero], DataType.Int64, new OpAttributes().Set("perm", new long[] { 1, 0 }));
    }
}
