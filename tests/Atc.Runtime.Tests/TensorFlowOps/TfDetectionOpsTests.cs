using Atc.Compiler.Frontends.TensorFlow.Proto;
using DataType = Atc.Compiler.Frontends.TensorFlow.Proto.DataType;
using Atc.Runtime;
using Atc.TestModels.TensorFlow;
using Atc.Tests.TestSupport;
using static Atc.Tests.TensorFlowOps.TfOpHarness;

namespace Atc.Tests.TensorFlowOps;

/// <summary>
/// NonMaxSuppressionV3/V4/V5, Where with one input and TopKV2 with a computed k, end to end (they run in the dynamic
/// region), against a reference written here from TensorFlow's documented rules: candidates scoring strictly above
/// score_threshold, best first (equal scores: lower index first), dropped when IoU with a kept box exceeds
/// iou_threshold, at most max_output_size.
/// </summary>
public class TfDetectionOpsTests
{
    private static (float[] Boxes, float[] Scores) Detections(int seed, int count)
    {
        var random = new Random(seed);
        var boxes = new float[count * 4];
        var scores = new float[count];
        for (int i = 0; i < count; i++)
        {
            // Clusters of overlapping boxes, some corners given in reverse order (TensorFlow accepts any diagonal).
            float cy = random.Next(0, 4) * 0.25f + (float)random.NextDouble() * 0.05f, cx = random.Next(0, 4) * 0.25f;
            float h = 0.1f + (float)random.NextDouble() * 0.15f, w = 0.1f + (float)random.NextDouble() * 0.15f;
            bool flip = i % 5 == 0;
            boxes[4 * i] = flip ? cy + h : cy;
            boxes[4 * i + 1] = cx;
            boxes[4 * i + 2] = flip ? cy : cy + h;
            boxes[4 * i + 3] = cx + w;
            scores[i] = (float)Math.Round(random.NextDouble(), 1); // ties on purpose
        }
        return (boxes, scores);
    }

    private static List<int> ReferenceNms(float[] boxes, float[] scores, int maxOutput, float iouThreshold, float scoreThreshold)
    {
        var order = Enumerable.Range(0, scores.Length).Where(i => scores[i] > scoreThreshold)
            .OrderByDescending(i => scores[i]).ThenBy(i => i).ToList();
        var kept = new List<int>();
        foreach (int i in order)
        {
            if (kept.Count == maxOutput) break;
            if (kept.All(k => Iou(boxes, k, i) <= iouThreshold)) kept.Add(i);
        }
        return kept;
    }

    private static double Iou(float[] b, int i, int j)
    {
        double Area(int k) => Math.Abs((double)b[4 * k + 2] - b[4 * k]) * Math.Abs((double)b[4 * k + 3] - b[4 * k + 1]);
        double ymin = Math.Max(Math.Min(b[4 * i], b[4 * i + 2]), Math.Min(b[4 * j], b[4 * j + 2]));
        double ymax = Math.Min(Math.Max(b[4 * i], b[4 * i + 2]), Math.Max(b[4 * j], b[4 * j + 2]));
        double xmin = Math.Max(Math.Min(b[4 * i + 1], b[4 * i + 3]), Math.Min(b[4 * j + 1], b[4 * j + 3]));
        double xmax = Math.Min(Math.Max(b[4 * i + 1], b[4 * i + 3]), Math.Max(b[4 * j + 1], b[4 * j + 3]));
        double intersection = Math.Max(0, ymax - ymin) * Math.Max(0, xmax - xmin);
        double union = Area(i) + Area(j) - intersection;
        return Area(i) <= 0 || Area(j) <= 0 || union <= 0 ? 0 : intersection / union;
    }

    [Theory]
    [InlineData("NonMaxSuppressionV3", 10, 0.5f, 0.25f, false)]
    [InlineData("NonMaxSuppressionV3", 40, 0.3f, -1f, false)]
    [InlineData("NonMaxSuppressionV4", 6, 0.5f, 0.1f, false)]
    [InlineData("NonMaxSuppressionV4", 30, 0.4f, 0.2f, true)]
    [InlineData("NonMaxSuppressionV5", 8, 0.5f, 0.3f, false)]
    [InlineData("NonMaxSuppressionV5", 25, 0.6f, 0f, true)]
    public void NonMaxSuppression_selects_as_tensorflow(string op, int maxOutput, float iou, float scoreThreshold, bool pad)
    {
        const int count = 40;
        var (boxes, scores) = Detections(maxOutput + (int)(iou * 10), count);
        var b = new TfGraphBuilder();
        var boxesIn = b.Placeholder("boxes", [count, 4]);
        var scoresIn = b.Placeholder("scores", [count]);
        List<string> inputs = [boxesIn, scoresIn, b.ScalarInt32("max_output", maxOutput), b.Const("iou", [], iou), b.Const("score_threshold", [], scoreThreshold)];
        if (op == "NonMaxSuppressionV5") inputs.Add(b.Const("sigma", [], 0f));
        var attributes = new List<(string, AttrValue)> { ("T", TfAttr.Type(DataType.DtFloat)) };
        if (op != "NonMaxSuppressionV3") attributes.Add(("pad_to_max_output_size", new AttrValue { B = pad }));
        b.Op(op, "nms", inputs, [.. attributes]);
        b.Identity("selected", "nms");
        if (op == "NonMaxSuppressionV5") b.Identity("kept_scores", "nms:1");
        if (op != "NonMaxSuppressionV3") b.Identity("valid", op == "NonMaxSuppressionV5" ? "nms:2" : "nms:1");

        var outputs = Run(b, TensorData.Float([count, 4], boxes), TensorData.Float([count], scores));

        var expected = ReferenceNms(boxes, scores, maxOutput, iou, scoreThreshold);
        Assert.InRange(expected.Count, 2, maxOutput); // the case must select, and suppress, something
        var selected = expected.Select(i => (long)i).ToList();
        if (pad) selected.AddRange(Enumerable.Repeat(0L, maxOutput - expected.Count));
        Assert.Equal(Atc.Runtime.DataType.Int32, outputs[0].Type);
        Assert.Equal(selected, outputs[0].ToInt64Array());
        if (op == "NonMaxSuppressionV5")
        {
            var keptScores = expected.Select(i => scores[i]).Concat(pad ? Enumerable.Repeat(0f, maxOutput - expected.Count) : []);
            Assert.Equal(keptScores, outputs[1].ToFloatArray());
        }
        if (op != "NonMaxSuppressionV3")
            Assert.Equal([(long)expected.Count], outputs[^1].ToInt64Array());
    }

    [Fact]
    public void Soft_nms_is_reported_unsupported()
    {
        var b = new TfGraphBuilder();
        b.Op("NonMaxSuppressionV5", "nms", [b.Placeholder("boxes", [4, 4]), b.Placeholder("scores", [4]), b.ScalarInt32("max_output", 2),
            b.Const("iou", [], 0.5f), b.Const("score_threshold", [], 0f), b.Const("sigma", [], 0.5f)], ("T", TfAttr.Type(DataType.DtFloat)));
        var error = Assert.Throws<Atc.Options.AtcException>(() => ModelPipeline.ImportTensorFlow(b.ToBytes(), "nms.pb"));
        Assert.Contains("soft", error.Message);
    }

    [Fact]
    public void Where_with_one_input_lists_the_true_coordinates()
    {
        float[] values = [0, 1.5f, 0, 0, -2, 0, 3, 0, 0, 0, 0, 7];
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [2, 2, 3]);
        b.Op("Where", "coordinates", [x], ("T", TfAttr.Type(DataType.DtFloat)));

        var y = Assert.Single(Run(b, TensorData.Float([2, 2, 3], values)));

        var expected = Enumerable.Range(0, values.Length).Where(i => values[i] != 0)
            .SelectMany(i => new long[] { i / 6, i / 3 % 2, i % 3 }).ToArray();
        Assert.Equal([expected.Length / 3, 3], y.Dims);
        Assert.Equal(expected, y.ToInt64Array());
    }

    [Fact]
    public void TopKV2_takes_a_computed_k()
    {
        // k = min(5, number of elements > 0): the usual detector form of "at most k".
        float[] values = [0.3f, -1, 0.9f, 0.1f, -0.5f, 0.7f, 0.2f, -0.2f];
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [8]);
        var positive = b.Op("Greater", "positive", [x, b.Const("zero", [], 0f)], ("T", TfAttr.Type(DataType.DtFloat)));
        var asInt = b.Op("Cast", "as_int", [positive], ("SrcT", TfAttr.Type(DataType.DtBool)), ("DstT", TfAttr.Type(DataType.DtInt32)));
        var count = b.Op("Sum", "count", [asInt, b.ConstInt32("axis", [1], 0)], ("T", TfAttr.Type(DataType.DtInt32)), ("Tidx", TfAttr.Type(DataType.DtInt32)));
        var k = b.Op("Minimum", "k", [count, b.ScalarInt32("five", 5)], ("T", TfAttr.Type(DataType.DtInt32)));
        b.Op("TopKV2", "top", [x, k], ("T", TfAttr.Type(DataType.DtFloat)));
        b.Identity("top_values", "top");
        b.Identity("top_indices", "top:1");

        var outputs = Run(b, TensorData.Float([8], values));

        Assert.Equal([0.9f, 0.7f, 0.3f, 0.2f, 0.1f], outputs[0].ToFloatArray());
        Assert.Equal([2L, 5, 0, 6, 3], outputs[1].ToInt64Array());
    }
}
