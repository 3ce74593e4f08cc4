using Atc.Compiler.Passes;
using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Quantized;

/// <summary>
/// The QDQ residual "DQ(a), DQ(b) -> Add -> Relu/Clip -> Q" runs as one QLinearAdd whose quantised output is clamped
/// (QdqElementwiseFusion). The expected values apply the activation before QuantizeLinear, as the model says, while the
/// kernel clamps after it: equality over inputs spread across the whole range (many negative sums, saturation at both
/// ends) is the check that Q(max(v, 0)) = max(Q(v), zero_point) and Q(clamp(v, lo, hi)) = clamp(Q(v), Q(lo), Q(hi)).
/// </summary>
public class QdqResidualClampTests(ITestOutputHelper output)
{
    private const float AScale = 0.05f, BScale = 0.031f, CScale = 0.04f;
    private const int AZero = 128, BZero = 90, CZero = 120;

    private static string Q(OnnxModelBuilder b, string x, string tag, float scale, int zeroPoint) => b.Node("QuantizeLinear",
        [x, b.ScalarFloat("s_" + tag, scale), b.Initializer("zp_" + tag, TensorData.FromArray(DataType.UInt8, [], new[] { (byte)zeroPoint }))]);

    private static string Dq(OnnxModelBuilder b, string q, string tag, float scale, int zeroPoint) => b.Node("DequantizeLinear",
        [q, b.ScalarFloat("ds_" + tag, scale), b.Initializer("dzp_" + tag, TensorData.FromArray(DataType.UInt8, [], new[] { (byte)zeroPoint }))]);

    private static byte[] Residual(string activation)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 41) { GraphName = "qdq_residual" };
        b.Input("a", DataType.Float32, 1, 8, 6, 6);
        b.Input("b", DataType.Float32, 1, 8, 6, 6);
        var sum = b.Node("Add", [Dq(b, Q(b, "a", "a", AScale, AZero), "a", AScale, AZero), Dq(b, Q(b, "b", "b", BScale, BZero), "b", BScale, BZero)]);
        var activated = activation == "Relu" ? b.Node("Relu", [sum])
            : b.Node("Clip", [sum, b.ScalarFloat("clip_min", -1.5f), b.ScalarFloat("clip_max", 2.5f)]);
        b.NamedNode("y", "DequantizeLinear", [Q(b, activated, "y", CScale, CZero), b.ScalarFloat("ys", CScale),
            b.Initializer("yzp", TensorData.FromArray(DataType.UInt8, [], new[] { (byte)CZero }))]);
        b.Output("y", DataType.Float32, 1, 8, 6, 6);
        return b.ToBytes();
    }

    private static int Quantize(float value, float scale, int zeroPoint) => Math.Clamp((int)MathF.Round(value / scale) + zeroPoint, 0, 255);

    [Theory]
    [InlineData("Relu")]
    [InlineData("Clip")]
    public void Add_then_activation_then_q_runs_as_a_clamped_qlinearadd_bit_exact_with_the_formula(string activation)
    {
        var onnx = Residual(activation);
        var graph = ModelPipeline.ImportOnnx(onnx, "qdq_residual.onnx");
        var report = PassPipeline.RunWithReport(graph);
        Assert.Equal(1, report.Total(QdqElementwiseFusion.ClampFolded));
        Assert.Single(graph.Nodes, n => n.OpType == "QLinearAdd");
        Assert.DoesNotContain(graph.Nodes, n => n.OpType is "Add" or "Relu" or "Clip");
        var model = ModelPipeline.Emit(graph, ModelPipeline.StaticGear(graph, [[1, 8, 6, 6], [1, 8, 6, 6]]));
        var a = ModelPipeline.RandomUniform(5, 288).Select(v => v * 16 - 8).ToArray();
        var b = ModelPipeline.RandomUniform(6, 288).Select(v => v * 10 - 5).ToArray();
        var ours = model.Run(TensorData.Float([1, 8, 6, 6], a), TensorData.Float([1, 8, 6, 6], b)).Single().ToFloatArray();

        var expected = new float[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            float sum = AScale * (Quantize(a[i], AScale, AZero) - AZero) + BScale * (Quantize(b[i], BScale, BZero) - BZero);
            float activated = activation == "Relu" ? MathF.Max(sum, 0) : Math.Clamp(sum, -1.5f, 2.5f);
            expected[i] = CScale * (Quantize(activated, CScale, CZero) - CZero);
        }
        Assert.Equal(expected, ours);
        int clampedLow = expected.Count(v => v == (activation == "Relu" ? 0f : CScale * (Quantize(-1.5f, CScale, CZero) - CZero)));
        output.WriteLine($"{activation}: {clampedLow}/{expected.Length} outputs at the lower bound");
        Assert.True(clampedLow > 30 && clampedLow < 250, "the inputs should exercise both sides of the clamp");

        var ort = OrtRunner.Run(onnx, new Dictionary<string, TensorData> { ["a"] = TensorData.Float([1, 8, 6, 6], a), ["b"] = TensorData.Float([1, 8, 6, 6], b) }).Single().ToFloatArray();
        float worst = ours.Zip(ort, (p, q) => MathF.Abs(p - q)).Max();
        Assert.True(worst <= CScale * 1.001f, $"ONNX Runtime differs by {worst}, more than one output step");
    }

    [Fact]
    public void An_empty_output_clamp_is_a_clear_error()
    {
        var graph = ModelPipeline.ImportOnnx(Residual("Relu"), "qdq_residual.onnx");
        PassPipeline.RunWithReport(graph);
        var add = graph.Nodes.Single(n => n.OpType == "QLinearAdd");
        add.Attributes.Set("output_min", 200L).Set("output_max", 100L);
        var error = Assert.ThrowsAny<Exception>(() => ModelPipeline.Emit(graph, ModelPipeline.StaticGear(graph, [[1, 8, 6, 6], [1, 8, 6, 6]])));
        Assert.Contains("output clamp [200, 100] is empty", error.Message);
    }
}
