using Atc.Compiler.Passes;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Quantized;

/// <summary>
/// QDQ models as ONNX Runtime's quantiser writes them (QuantizeLinear/DequantizeLinear around float Conv and MatMul,
/// int8 weights per channel, int32 biases at x_scale · w_scale), built in C#: the QdqFusion pass must turn every
/// quantised Conv and MatMul into QLinearConv / QLinearMatMul, and the result must equal ONNX Runtime's (which runs
/// the same groups in int8): exactly for the CNN. In the attention block ONNX Runtime also runs the quantised Softmax
/// as its own table-driven int8 op, which this runtime computes in float; there the int8 run must equal this
/// runtime's float run of the same file exactly (the fusion changes nothing) and ONNX Runtime's within four output
/// quantisation steps.
/// </summary>
public class QdqModelTests(ITestOutputHelper output)
{
    private static TensorData Int8s(OnnxModelBuilder b, int[] dims, int spread)
        => TensorData.FromArray(DataType.Int8, dims, b.NextNormal(Shape.ElementCount(dims), 0, spread).Select(v => (sbyte)Math.Clamp(MathF.Round(v), -127, 127)).ToArray());

    private static string Q(OnnxModelBuilder b, string x, float scale, byte zeroPoint)
        => b.Node("QuantizeLinear", [x, b.ScalarFloat(b.GraphName + "_s" + x, scale), b.Initializer("zp_" + x, TensorData.FromArray(DataType.UInt8, [], new[] { zeroPoint }))]);

    private static string Dq(OnnxModelBuilder b, string q, string scale, string zeroPoint, long axis = 1)
        => b.Node("DequantizeLinear", [q, scale, zeroPoint], ("axis", axis));

    private static string QDq(OnnxModelBuilder b, string x, float scale, byte zeroPoint)
    {
        var q = Q(b, x, scale, zeroPoint);
        return b.Node("DequantizeLinear", [q, b.ScalarFloat("s_dq_" + q, scale), b.Initializer("zp_dq_" + q, TensorData.FromArray(DataType.UInt8, [], new[] { zeroPoint }))]);
    }

    /// <summary>A weight as int8 with per-channel scales along <paramref name="axis"/> (zero points 0), dequantized.</summary>
    private static (string Value, float[] Scales) Weight(OnnxModelBuilder b, string name, int[] dims, int axis, bool perChannel)
    {
        var q = b.Initializer(name + "_q", Int8s(b, dims, 40));
        int channels = dims[axis];
        var scales = perChannel ? Enumerable.Range(0, channels).Select(c => 0.004f + 0.001f * (c % 5)).ToArray() : [0.005f];
        var s = b.Initializer(name + "_scale", perChannel ? TensorData.Float([channels], scales) : TensorData.Scalar(scales[0]));
        var zp = b.Initializer(name + "_zp", TensorData.FromArray(DataType.Int8, perChannel ? [channels] : [], new sbyte[perChannel ? channels : 1]));
        return (Dq(b, q, s, zp, axis), scales);
    }

    private static string Bias(OnnxModelBuilder b, string name, float inputScale, float[] weightScales, int channels)
    {
        var values = Enumerable.Range(0, channels).Select(c => (c - channels / 2) * 311).ToArray();
        var scales = Enumerable.Range(0, channels).Select(c => inputScale * weightScales[weightScales.Length == 1 ? 0 : c]).ToArray();
        return Dq(b, b.Initializer(name + "_q", TensorData.FromArray(DataType.Int32, [channels], values)),
            b.Initializer(name + "_scale", TensorData.Float([channels], scales)),
            b.Initializer(name + "_zp", TensorData.FromArray(DataType.Int32, [channels], new int[channels])), 0);
    }

    internal static byte[] Cnn()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 21) { GraphName = "qdq_cnn" };
        b.Input("x", DataType.Float32, "N", 3, 16, 16);
        const float xs = 0.02f, s1 = 0.03f, s2 = 0.04f, s3 = 0.6f;
        var x = QDq(b, "x", xs, 128);
        var (w1, w1s) = Weight(b, "w1", [8, 3, 3, 3], 0, perChannel: true);
        var c1 = b.Node("Conv", [x, w1, Bias(b, "b1", xs, w1s, 8)], ("pads", new long[] { 1, 1, 1, 1 }));
        var a1 = QDq(b, c1, s1, 60);
        var (w2, _) = Weight(b, "w2", [16, 8, 3, 3], 0, perChannel: false);
        var c2 = b.Node("Conv", [a1, w2], ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 }));
        var a2 = QDq(b, c2, s2, 100);
        var flat = QDq(b, b.Node("Flatten", [a2]), s2, 100);
        var (w3, _) = Weight(b, "w3", [16 * 8 * 8, 10], 1, perChannel: true);
        var logits = b.Node("MatMul", [flat, w3]);
        b.NamedNode("y", "DequantizeLinear", [Q(b, logits, s3, 128), b.ScalarFloat("ys", s3), b.Initializer("yzp", TensorData.FromArray(DataType.UInt8, [], new byte[] { 128 }))]);
        b.Output("y", DataType.Float32, "N", 10);
        return b.ToBytes();
    }

    internal static byte[] AttentionBlock()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 22) { GraphName = "qdq_attention" };
        b.Input("x", DataType.Float32, "N", 8, 32);
        var x = QDq(b, "x", 0.02f, 128);
        string Project(string name, float scale)
        {
            var (w, _) = Weight(b, name, [32, 32], 1, perChannel: true);
            return QDq(b, b.Node("MatMul", [x, w]), scale, 128);
        }
        var q = Project("wq", 0.03f);
        var k = Project("wk", 0.03f);
        var v = Project("wv", 0.03f);
        var kt = QDq(b, b.Node("Transpose", [k], ("perm", new long[] { 0, 2, 1 })), 0.03f, 128);
        var scores = QDq(b, b.Node("MatMul", [q, kt]), 0.08f, 128);
        var attention = QDq(b, b.Node("Softmax", [scores], ("axis", -1L)), 1f / 255f, 0);
        var context = QDq(b, b.Node("MatMul", [attention, v]), 0.03f, 128);
        var (wo, _) = Weight(b, "wo", [32, 32], 1, perChannel: false);
        var projected = QDq(b, b.Node("MatMul", [context, wo]), 0.03f, 128);
        b.NamedNode("y", "Add", [projected, "x"]);
        b.Output("y", DataType.Float32, "N", 8, 32);
        return b.ToBytes();
    }

    [Fact]
    public void A_qdq_cnn_runs_in_int8_and_equals_onnx_runtime()
    {
        var onnx = Cnn();
        var graph = ModelPipeline.ImportOnnx(onnx, "qdq_cnn.onnx");
        var report = PassPipeline.RunWithReport(graph);
        Assert.Equal(2, graph.Nodes.Count(n => n.OpType == "QLinearConv"));
        Assert.Equal(1, graph.Nodes.Count(n => n.OpType == "QLinearMatMul"));
        Assert.DoesNotContain(graph.Nodes, n => n.OpType is "Conv" or "MatMul");
        var model = ModelPipeline.Emit(graph, ModelPipeline.BatchGears(graph, 1, 3));
        foreach (int batch in new[] { 1, 3 })
        {
            var x = TensorData.Float([batch, 3, 16, 16], ModelPipeline.RandomUniform(900 + batch, batch * 768).Select(v => v * 5 - 2.5f).ToArray());
            var ours = model.Run(x).Single();
            var ort = OrtRunner.Run(onnx, new Dictionary<string, TensorData> { ["x"] = x }).Single();
            var comparison = TensorCompare.AllClose(ours, ort, 0, 0);
            output.WriteLine($"batch {batch}: {comparison}");
            Assert.True(comparison.Within, comparison.ToString());
            Assert.True(ours.ToFloatArray().Distinct().Count() > 5, "the logits should not all saturate");
        }
    }

    [Fact]
    public void A_qdq_attention_block_runs_its_matmuls_in_int8_and_matches_onnx_runtime()
    {
        var onnx = AttentionBlock();
        var graph = ModelPipeline.ImportOnnx(onnx, "qdq_attention.onnx");
        PassPipeline.Run(graph);
        Assert.Equal(6, graph.Nodes.Count(n => n.OpType == "QLinearMatMul"));
        var model = ModelPipeline.Emit(graph, ModelPipeline.BatchGears(graph, 1, 2));
        var floatGraph = ModelPipeline.ImportOnnx(onnx, "qdq_attention.onnx");
        PassPipeline.Run(floatGraph, PassPipeline.CreateDefaultPasses().Where(p => p is not QdqFusion));
        Assert.DoesNotContain(floatGraph.Nodes, n => n.OpType == "QLinearMatMul");
        var floatModel = ModelPipeline.Emit(floatGraph, ModelPipeline.BatchGears(floatGraph, 1, 2));
        foreach (int batch in new[] { 1, 2 })
        {
            var x = TensorData.Float([batch, 8, 32], ModelPipeline.RandomUniform(950 + batch, batch * 256).Select(v => v * 4 - 2f).ToArray());
            var ours = model.Run(x).Single();
            var ort = OrtRunner.Run(onnx, new Dictionary<string, TensorData> { ["x"] = x }).Single();
            var floats = floatModel.Run(x).Single();
            var sameAsFloat = TensorCompare.AllClose(ours, floats, 0, 0);
            var comparison = TensorCompare.AllClose(ours, ort, 0, 4 * 0.03 + 1e-6);
            output.WriteLine($"batch {batch}: int8 vs float path: {sameAsFloat}; vs ONNX Runtime (4 steps): {comparison}; exact: {TensorCompare.AllClose(ours, ort, 0, 0)}");
            Assert.True(sameAsFloat.Within, sameAsFloat.ToString());
            Assert.True(comparison.Within, comparison.ToString());
        }
    }

    /// <summary>ResNet-18's layout in QDQ form (tests/Atc.TestModels OnnxQdqModels) at 32x32: every Conv (with its
    /// Relu folded into the output clamp) runs as QLinearConv. ONNX Runtime also runs the residual Add+Relu as
    /// QLinearAdd and MaxPool/GlobalAveragePool in int8, where this runtime computes DequantizeLinear -> float op ->
    /// QuantizeLinear. Measured: the logits (from the float classifier Gemm, whose summation order differs) within
    /// 3e-6 of a spread of 7, i.e. the quantised activations agree; the bound is 1e-5 of the spread, far below what
    /// one quantisation step of the last activation (0.012) moves, so a one-step difference before it fails.</summary>
    [Fact]
    public void A_qdq_resnet18_runs_its_convs_in_int8_and_matches_onnx_runtime()
    {
        var onnx = OnnxQdqModels.ResNet18(size: 32);
        var graph = ModelPipeline.ImportOnnx(onnx, "resnet18_qdq.onnx");
        var report = PassPipeline.RunWithReport(graph);
        Assert.Equal(20, graph.Nodes.Count(n => n.OpType == "QLinearConv"));
        Assert.DoesNotContain(graph.Nodes, n => n.OpType == "Conv");
        Assert.Equal(9, graph.Nodes.Count(n => n.OpType == "QLinearConv" && n.Attributes.Has("output_min")));
        Assert.Equal(1, report.Total(QdqFusion.MaxPoolInteger));
        Assert.Equal(9, report.Total(QdqFusion.ActivationFolded));
        // The residuals DQ, DQ -> Add -> Relu -> Q run as QLinearAdd with a clamp, channels last like the convs
        // around them: the input's Transpose is the only one.
        Assert.Equal(8, graph.Nodes.Count(n => n.OpType == "QLinearAdd" && n.Attributes.Has("output_min")));
        Assert.Equal(8, report.Total(QdqElementwiseFusion.ClampFolded));
        Assert.DoesNotContain(graph.Nodes, n => n.OpType is "Add" or "Relu");
        Assert.Single(graph.Nodes, n => n.OpType == "Transpose");
        var model = ModelPipeline.Emit(graph, ModelPipeline.BatchGears(graph, 1, 2));
        foreach (int batch in new[] { 1, 2 })
        {
            var x = TensorData.Float([batch, 3, 32, 32], ModelPipeline.RandomUniform(970 + batch, batch * 3072).Select(v => v * 2 - 1).ToArray());
            var ours = model.Run(x).Single().ToFloatArray();
            var ort = OrtRunner.Run(onnx, new Dictionary<string, TensorData> { [OnnxModels.InputName] = x }).Single().ToFloatArray();
            double spread = ort.Max() - ort.Min(), worst = ours.Zip(ort, (a, b) => Math.Abs(a - b)).Max();
            int exact = ours.Zip(ort, (a, b) => a == b).Count(e => e);
            output.WriteLine($"batch {batch}: max |diff| {worst:G4} of a logit spread {spread:G4}; {exact}/{ours.Length} exactly equal");
            Assert.True(spread > 0.1, "the logits should spread");
            Assert.True(worst <= 1e-5 * spread, $"max |diff| {worst} above 1e-5 of the spread {spread}");
        }
    }

    /// <summary>DQ -> MaxPool -> Q runs on the bytes only when both sides share scale and zero point; otherwise it
    /// stays float. Either way the output equals ONNX Runtime's exactly.</summary>
    [Theory]
    [InlineData(0.05f, 1)]
    [InlineData(0.07f, 0)]
    public void Dq_maxpool_q_runs_in_8_bits_only_with_equal_parameters(float outputScale, int expectedRewrites)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 31) { GraphName = "qdq_pool" };
        b.Input("x", DataType.Float32, 1, 4, 9, 9);
        var pooled = b.Node("MaxPool", [QDq(b, "x", 0.05f, 128)], ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }),
            ("pads", new long[] { 1, 1, 1, 1 }));
        b.NamedNode("y", "DequantizeLinear", [Q(b, pooled, outputScale, 128), b.ScalarFloat("ys", outputScale),
            b.Initializer("yzp", TensorData.FromArray(DataType.UInt8, [], new byte[] { 128 }))]);
        b.Output("y", DataType.Float32, 1, 4, 5, 5);
        var onnx = b.ToBytes();
        var graph = ModelPipeline.ImportOnnx(onnx, "qdq_pool.onnx");
        var report = PassPipeline.RunWithReport(graph);
        Assert.Equal(expectedRewrites, report.Total(QdqFusion.MaxPoolInteger));
        var model = ModelPipeline.Emit(graph, ModelPipeline.StaticGear(graph, [[1, 4, 9, 9]]));
        var x = TensorData.Float([1, 4, 9, 9], ModelPipeline.RandomUniform(77, 324).Select(v => v * 12 - 6).ToArray());
        var comparison = TensorCompare.AllClose(model.Run(x).Single(), OrtRunner.Run(onnx, new Dictionary<string, TensorData> { ["x"] = x }).Single(), 0, 0);
        Assert.True(comparison.Within, comparison.ToString());
    }
}
