using Atc.Runtime;

namespace Atc.TestModels.Onnx;

/// <summary>
/// Models whose output sizes depend on the data (ONNX): one per op of the planner's dynamic region, and a small
/// SSD/YOLO-like detector with its post-processing (NonMaxSuppression, then a Gather of the selected boxes).
/// </summary>
public static class DataDependentModels
{
    /// <summary>Every model by name, each with the name of its float input(s).</summary>
    public static IReadOnlyDictionary<string, Func<byte[]>> All { get; } = new Dictionary<string, Func<byte[]>>(StringComparer.Ordinal)
    {
        ["nonzero"] = () => Single("NonZero", [], DataType.Int64, 3, 4),
        ["topk_computed_k"] = TopKComputedK,
        ["unique_sorted"] = () => UniqueModel(sorted: 1, axis: null, 12),
        ["unique_unsorted"] = () => UniqueModel(sorted: 0, axis: null, 12),
        ["unique_axis0"] = () => UniqueModel(sorted: 1, axis: 0, 6, 3),
        ["unique_axis1_unsorted"] = () => UniqueModel(sorted: 0, axis: 1, 2, 6),
        ["compress_axis0"] = () => CompressModel(axis: 0),
        ["compress_flat"] = () => CompressModel(axis: null),
        ["range_from_computed"] = RangeFromComputed,
        ["expand_from_computed"] = () => FromComputedCount("Expand"),
        ["tile_from_computed"] = () => FromComputedCount("Tile"),
        ["constant_of_shape_from_computed"] = () => FromComputedCount("ConstantOfShape"),
        ["reshape_from_computed"] = ReshapeFromComputed,
        ["nms_corners"] = () => Nms(centerPointBox: 0, maxPerClass: 3),
        ["nms_centers"] = () => Nms(centerPointBox: 1, maxPerClass: 3),
        ["nms_no_limit_input"] = () => Nms(centerPointBox: 0, maxPerClass: null),
        ["detector"] = Detector,
    };

    private static byte[] Single(string op, (string, object)[] attributes, DataType outputType, params int[] dims)
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.Input("x", DataType.Float32, [.. dims.Cast<object>()]);
        b.AddNode(op, ["x"], ["y"], "op", "", attributes);
        b.Output("y", outputType);
        return b.ToBytes();
    }

    /// <summary>A count in 0..10 computed from x (floor of 10·max(x) for x in [0, 1)), as an int64 scalar.</summary>
    private static string Count(OnnxModelBuilder b, string x, float scale = 10f)
    {
        string max = b.Node("ReduceMax", [x], ("keepdims", 0L));
        string scaled = b.Node("Mul", [max, b.ScalarFloat("scale", scale)]);
        return b.Node("Cast", [b.Node("Floor", [scaled])], ("to", (long)DataType.Int64));
    }

    private static string AsVector(OnnxModelBuilder b, string scalar, string name)
        => b.Node("Reshape", [scalar, b.Int64s(name, 1)]);

    private static byte[] TopKComputedK()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.Input("x", DataType.Float32, 2, 10);
        string k = AsVector(b, Count(b, "x"), "k_shape");
        b.AddNode("TopK", ["x", k], ["values", "indices"], "topk", "", ("axis", 1L));
        b.Output("values", DataType.Float32);
        b.Output("indices", DataType.Int64);
        return b.ToBytes();
    }

    private static byte[] UniqueModel(long sorted, long? axis, params int[] dims)
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.Input("x", DataType.Float32, [.. dims.Cast<object>()]);
        // Few distinct values: round(3x) for x in [0, 1).
        string rounded = b.Node("Round", [b.Node("Mul", ["x", b.ScalarFloat("three", 3f)])]);
        (string, object)[] attributes = axis is { } a ? [("sorted", sorted), ("axis", a)] : [("sorted", sorted)];
        b.AddNode("Unique", [rounded], ["y", "indices", "inverse_indices", "counts"], "unique", "", attributes);
        b.Output("y", DataType.Float32);
        b.Output("indices", DataType.Int64);
        b.Output("inverse_indices", DataType.Int64);
        b.Output("counts", DataType.Int64);
        return b.ToBytes();
    }

    private static byte[] CompressModel(long? axis)
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.Input("x", DataType.Float32, 4, 5);
        string centred = b.Node("Sub", ["x", b.ScalarFloat("half", 0.5f)]);
        string condition = axis is null
            ? b.Node("Greater", [b.Node("Reshape", [centred, b.Int64s("flat", -1)]), b.ScalarFloat("zero", 0f)])
            : b.Node("Greater", [b.Node("ReduceMean", [centred], ("axes", new long[] { 1 }), ("keepdims", 0L)), b.ScalarFloat("zero", 0f)]);
        b.AddNode("Compress", ["x", condition], ["y"], "compress", "", axis is { } a ? [("axis", a)] : []);
        b.Output("y", DataType.Float32);
        return b.ToBytes();
    }

    private static byte[] RangeFromComputed()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.Input("x", DataType.Float32, 2, 3);
        string n = Count(b, "x");
        b.AddNode("Range", [b.Initializer("start", TensorData.Int64([], 0)), n, b.Initializer("delta", TensorData.Int64([], 1))], ["y"], "range");
        b.Output("y", DataType.Int64);
        return b.ToBytes();
    }

    /// <summary>Expand / Tile / ConstantOfShape to [n, 3] with n computed from the data.</summary>
    private static byte[] FromComputedCount(string op)
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.Input("x", DataType.Float32, 1, 3);
        string n = AsVector(b, Count(b, "x"), "n_shape");
        switch (op)
        {
            case "Expand":
                b.AddNode("Expand", ["x", b.Node("Concat", [n, b.Int64s("three", 3)], ("axis", 0L))], ["y"], "expand");
                break;
            case "Tile":
                b.AddNode("Tile", ["x", b.Node("Concat", [n, b.Int64s("one", 1)], ("axis", 0L))], ["y"], "tile");
                break;
            default:
                b.AddNode("ConstantOfShape", [b.Node("Concat", [n, b.Int64s("three", 3)], ("axis", 0L))], ["y"], "fill", "",
                    ("value", TensorData.Float([1], 2.5f)));
                break;
        }
        b.Output("y", DataType.Float32);
        return b.ToBytes();
    }

    /// <summary>x [4, 6] reshaped to [k, -1] with k = 1 + floor(2·max(x)) (1 or 2), then scaled.</summary>
    private static byte[] ReshapeFromComputed()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.Input("x", DataType.Float32, 4, 6);
        string k = b.Node("Add", [Count(b, "x", 2f), b.Initializer("one", TensorData.Int64([], 1))]);
        string shape = b.Node("Concat", [AsVector(b, k, "k_shape"), b.Int64s("rest", -1)], ("axis", 0L));
        string reshaped = b.Node("Reshape", ["x", shape]);
        b.AddNode("Mul", [reshaped, b.ScalarFloat("two", 2f)], ["y"], "scale");
        b.Output("y", DataType.Float32);
        return b.ToBytes();
    }

    /// <summary>NonMaxSuppression on boxes [2, 6, 4] and scores [2, 2, 6]; thresholds are inputs (score, iou).</summary>
    private static byte[] Nms(long centerPointBox, long? maxPerClass)
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.Input("boxes", DataType.Float32, 2, 6, 4);
        b.Input("scores", DataType.Float32, 2, 2, 6);
        b.Input("iou_threshold", DataType.Float32, 1);
        b.Input("score_threshold", DataType.Float32, 1);
        string max = maxPerClass is { } m ? b.Int64s("max_output_boxes_per_class", m) : "";
        b.AddNode("NonMaxSuppression", ["boxes", "scores", max, "iou_threshold", "score_threshold"], ["selected"], "nms", "",
            ("center_point_box", centerPointBox));
        b.Output("selected", DataType.Int64);
        return b.ToBytes();
    }

    /// <summary>
    /// A single-scale anchor head on an 8x8 feature map: image [1, 3, 8, 8] → conv backbone → per cell a box
    /// (centre = cell + offset, size from the head) and 2 class scores → NonMaxSuppression (5 per class; iou and
    /// score thresholds are inputs) → the selected boxes (Gather) and their scores (GatherND).
    /// </summary>
    private static byte[] Detector()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 21);
        b.Input("image", DataType.Float32, 1, 3, 8, 8);
        b.Input("iou_threshold", DataType.Float32, 1);
        b.Input("score_threshold", DataType.Float32, 1);
        string features = b.Node("Relu", [b.Node("Conv", ["image", b.HeWeight("w1", 8, 3, 3, 3), b.Zeros("b1", 8)], ("pads", new long[] { 1, 1, 1, 1 }))]);
        string boxRaw = b.Node("Conv", [features, b.HeWeight("w_box", 4, 8, 1, 1), b.Zeros("b_box", 4)]);
        string boxCells = b.Node("Transpose", [b.Node("Reshape", [boxRaw, b.Int64s("box_shape", 1, 4, 64)])], ("perm", new long[] { 0, 2, 1 }));
        var anchors = new float[64 * 4];
        for (int cell = 0; cell < 64; cell++)
        {
            anchors[cell * 4] = cell % 8 + 0.5f;
            anchors[cell * 4 + 1] = cell / 8 + 0.5f;
        }
        string boxes = b.Node("Add", [b.Node("Mul", [b.Node("Sigmoid", [boxCells]), b.ScalarFloat("box_scale", 3f)]),
            b.Floats("anchors", [1, 64, 4], anchors)]);
        string scoreRaw = b.Node("Conv", [features, b.HeWeight("w_cls", 2, 8, 1, 1), b.Zeros("b_cls", 2)]);
        string scores = b.Node("Sigmoid", [b.Node("Reshape", [scoreRaw, b.Int64s("score_shape", 1, 2, 64)])]);
        string selected = b.Node("NonMaxSuppression", [boxes, scores, b.Int64s("max_per_class", 5), "iou_threshold", "score_threshold"],
            ("center_point_box", 1L));
        string boxIndex = b.Node("Gather", [selected, b.Initializer("box_column", TensorData.Int64([], 2))], ("axis", 1L));
        b.AddNode("Gather", [b.Node("Reshape", [boxes, b.Int64s("boxes_2d", 64, 4)]), boxIndex], ["detections"], "pick_boxes", "", ("axis", 0L));
        b.AddNode("GatherND", [scores, selected], ["detection_scores"], "pick_scores");
        b.AddNode("Identity", [selected], ["selected"], "selected_out");
        b.Output("detections", DataType.Float32);
        b.Output("detection_scores", DataType.Float32);
        b.Output("selected", DataType.Int64);
        return b.ToBytes();
    }
}
