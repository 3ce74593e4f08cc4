using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.DataDependent;

/// <summary>
/// NonMaxSuppression (ONNX): boxes float [B, N, 4], scores float [B, C, N], optional max_output_boxes_per_class
/// (int64 scalar, default 0 = none), iou_threshold (float, default 0), score_threshold (float, none by default);
/// attr center_point_box (0: [y1, x1, y2, x2] any diagonal; 1: [xc, yc, w, h]) → int64 [selected, 3] of
/// (batch, class, box). Bound: B x C x min(N, max_output_boxes_per_class when it is constant).
/// </summary>
internal sealed class NonMaxSuppressionOperator() : DataDependentOperator(OpTypes.NonMaxSuppression)
{
    public override TensorType[] InferBounds(OpContext context, out bool[][] dataDependentDims)
    {
        var boxes = RequireType(context, 0, DataType.Float32);
        var scores = RequireType(context, 1, DataType.Float32);
        if (boxes.Rank != 3 || boxes.Dims[2] != 4)
            throw Error($"boxes must be [batch, boxes, 4], got {Shape.Format(boxes.Dims)}");
        if (scores.Rank != 3 || scores.Dims[0] != boxes.Dims[0] || scores.Dims[2] != boxes.Dims[1])
            throw Error($"scores must be [batch, classes, boxes] = [{boxes.Dims[0]}, C, {boxes.Dims[1]}], got {Shape.Format(scores.Dims)}");
        long perClass = boxes.Dims[1];
        if (context.HasInput(2) && context.Constant(2) is { } max) perClass = Math.Clamp(max.ToInt64Array()[0], 0, perClass);
        long bound = (long)scores.Dims[0] * scores.Dims[1] * perClass;
        if (bound > int.MaxValue) throw Error($"up to {bound} selections: more than {int.MaxValue}");
        dataDependentDims = [[true, false]];
        return [new TensorType(DataType.Int64, [(int)bound, 3])];
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var scores = context.Input(1);
        var centerPointBox = context.Attributes.GetInt("center_point_box", 0);
        if (centerPointBox is not (0 or 1)) throw Error($"center_point_box must be 0 or 1, got {centerPointBox}");
        return new NonMaxSuppressionKernel(scores.Dims[0], scores.Dims[1], scores.Dims[2], centerPointBox == 1,
            context.HasInput(2), context.HasInput(3), context.HasInput(4));
    }
}

/// <summary>
/// Per batch and class: the candidates above the score threshold, best first (equal scores: lower box index first),
/// each kept unless its IoU with an already kept box of the class exceeds the threshold, up to the per-class limit.
/// </summary>
internal sealed unsafe class NonMaxSuppressionKernel(int batches, int classes, int boxCount, bool centerPointBox,
    bool hasMax, bool hasIou, bool hasScoreThreshold) : DataDependentKernel
{
    public override void Run(in KernelArgs args, int[][] actualDims)
    {
        float* boxes = (float*)args.Inputs[0], scores = (float*)args.Inputs[1];
        long maxPerClass = hasMax && args.Inputs[2] != 0 ? *(long*)args.Inputs[2] : 0;
        float iouThreshold = hasIou && args.Inputs[3] != 0 ? *(float*)args.Inputs[3] : 0f;
        bool thresholded = hasScoreThreshold && args.Inputs[4] != 0;
        float scoreThreshold = thresholded ? *(float*)args.Inputs[4] : 0f;
        var y = (long*)args.Outputs[0];
        int selectedCount = 0;
        var candidates = new List<int>(boxCount);
        var kept = new List<int>();
        for (int b = 0; b < batches && maxPerClass > 0; b++)
        {
            float* batchBoxes = boxes + (long)b * boxCount * 4;
            for (int c = 0; c < classes; c++)
            {
                float* classScores = scores + ((long)b * classes + c) * boxCount;
                candidates.Clear();
                for (int i = 0; i < boxCount; i++)
                    if (!thresholded || classScores[i] > scoreThreshold) candidates.Add(i);
                candidates.Sort((p, q) => classScores[q].CompareTo(classScores[p]) is var order and not 0 ? order : p.CompareTo(q));
                kept.Clear();
                foreach (int i in candidates)
                {
                    if (kept.Count >= maxPerClass) break;
                    bool suppressed = false;
                    foreach (int k in kept)
                        if (Suppresses(batchBoxes + (long)k * 4, batchBoxes + (long)i * 4, iouThreshold)) { suppressed = true; break; }
                    if (suppressed) continue;
                    kept.Add(i);
                    y[selectedCount * 3] = b;
                    y[selectedCount * 3 + 1] = c;
                    y[selectedCount * 3 + 2] = i;
                    selectedCount++;
                }
            }
        }
        actualDims[0] = [selectedCount, 3];
    }

    private bool Suppresses(float* a, float* b, float threshold)
    {
        var (ay1, ax1, ay2, ax2) = Corners(a);
        var (by1, bx1, by2, bx2) = Corners(b);
        float areaA = (ay2 - ay1) * (ax2 - ax1), areaB = (by2 - by1) * (bx2 - bx1);
        if (areaA <= 0 || areaB <= 0) return false;
        float ih = Math.Min(ay2, by2) - Math.Max(ay1, by1), iw = Math.Min(ax2, bx2) - Math.Max(ax1, bx1);
        if (ih <= 0 || iw <= 0) return false;
        float intersection = ih * iw, union = areaA + areaB - intersection;
        return union > 0 && intersection / union > threshold;
    }

    /// <summary>(ymin, xmin, ymax, xmax) of a box in either encoding.</summary>
    private (float, float, float, float) Corners(float* box)
    {
        if (centerPointBox)
        {
            float xc = box[0], yc = box[1], w = box[2], h = box[3];
            return (yc - h / 2, xc - w / 2, yc + h / 2, xc + w / 2);
        }
        return (Math.Min(box[0], box[2]), Math.Min(box[1], box[3]), Math.Max(box[0], box[2]), Math.Max(box[1], box[3]));
    }
}
