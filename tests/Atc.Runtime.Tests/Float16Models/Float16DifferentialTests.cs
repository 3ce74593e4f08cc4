using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Float16Models;

/// <summary>
/// Float16 ONNX models against ONNX Runtime: float16 weights (raw_data and int32_data) widened at import, float16
/// graph inputs and outputs through the runtime's Half tensors, and Cast to and from float16 inside the graph.
/// Float outputs must be within 1e-5 relative of ONNX Runtime's; float16 outputs within one float16 ulp (the float32
/// sums before the final rounding differ in order).
/// </summary>
public class Float16DifferentialTests(ITestOutputHelper output)
{
    private static TensorData Halves(int[] dims, float[] values)
        => TensorData.FromArray(DataType.Float16, dims, Array.ConvertAll(values, v => (Half)v));

    /// <summary>A "keep_io_types" model as float16 converters write it: float32 I/O, float16 weights cast up where used.</summary>
    private static byte[] Float16WeightModel(bool typedFields)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 5) { UseTypedFields = typedFields };
        b.Input("x", DataType.Float32, "N", 3, 8, 8);
        var w = b.Initializer("w16", Halves([4, 3, 3, 3], b.NextNormal(108, 0, 0.3f)));
        var bias = b.Initializer("b16", Halves([4], b.NextNormal(4, 0, 0.1f)));
        var wf = b.Node("Cast", [w], ("to", 1L));
        var bf = b.Node("Cast", [bias], ("to", 1L));
        var conv = b.Node("Conv", ["x", wf, bf], ("pads", new long[] { 1, 1, 1, 1 }));
        var relu = b.Node("Relu", [conv]);
        var flat = b.Node("Flatten", [relu]);
        var fc = b.Initializer("fc16", Halves([256, 5], b.NextNormal(256 * 5, 0, 0.05f)));
        var fcf = b.Node("Cast", [fc], ("to", 1L));
        b.NamedNode("logits", "MatMul", [flat, fcf]);
        b.Output("logits", DataType.Float32, "N", 5);
        return b.ToBytes();
    }

    /// <summary>Float16 in and out, float32 inside (Cast up, MatMul, Cast down), a second output rounded by a Cast
    /// to float16 and back, and a float16 input passed through a Cast to float16 (a no-op).</summary>
    private static byte[] Float16IoModel()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 6);
        b.Input("x", DataType.Float16, "N", 16);
        var xf = b.Node("Cast", ["x"], ("to", 1L));
        var w = b.Floats("w", [16, 8], b.NextNormal(128, 0, 0.4f));
        var y = b.Node("MatMul", [xf, w]);
        b.NamedNode("y16", "Cast", [y], ("to", 10L));
        var rounded = b.Node("Cast", [y], ("to", 10L));
        var back = b.Node("Cast", [rounded], ("to", 1L));
        b.NamedNode("z", "Mul", [back, back]);
        b.NamedNode("x16", "Cast", ["x"], ("to", 10L));
        b.Output("y16", DataType.Float16, "N", 8);
        b.Output("z", DataType.Float32, "N", 8);
        b.Output("x16", DataType.Float16, "N", 16);
        return b.ToBytes();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float16_weights_match_onnx_runtime(bool typedFields)
    {
        var onnx = Float16WeightModel(typedFields);
        var graph = ModelPipeline.ImportOnnx(onnx, "fp16_weights.onnx");
        Assert.All(graph.AllValues().Where(v => v.IsConstant), v => Assert.Equal(DataType.Float32, v.Type));
        var model = ModelPipeline.Compile(graph, ModelPipeline.BatchGears(graph, 1, 3));
        foreach (int batch in new[] { 1, 3 })
        {
            int[] shape = [batch, 3, 8, 8];
            var x = TensorData.Float(shape, ModelPipeline.RandomUniform(40 + batch, batch * 192));
            var ours = model.Run(x).Single();
            var expected = OrtRunner.Run(onnx, new Dictionary<string, TensorData> { ["x"] = x }).Single();
            var comparison = TensorCompare.ScaledClose(ours, expected, 1e-5);
            output.WriteLine($"batch {batch}: {comparison}");
            Assert.True(comparison.Within, comparison.ToString());
        }
    }

    [Fact]
    public void Float16_inputs_and_outputs_match_onnx_runtime()
    {
        var onnx = Float16IoModel();
        var graph = ModelPipeline.ImportOnnx(onnx, "fp16_io.onnx");
        var model = ModelPipeline.Compile(graph, ModelPipeline.BatchGears(graph, 2, 5));
        Assert.Equal(DataType.Float16, model.Signature.Inputs[0].Type);
        Assert.Equal([DataType.Float16, DataType.Float32, DataType.Float16], model.Signature.Outputs.Select(o => o.Type));
        Assert.Equal(["y16", "z", "x16"], model.Signature.Outputs.Select(o => o.Name));
        foreach (int batch in new[] { 2, 5 })
        {
            var values = ModelPipeline.RandomUniform(70 + batch, batch * 16);
            values[0] = 70000f; // beyond float16: infinity both ways
            var x = Halves([batch, 16], values);
            var ours = model.Run(x);
            var expected = OrtRunner.Run(onnx, new Dictionary<string, TensorData> { ["x"] = x });
            Assert.Equal(DataType.Float16, ours[0].Type);
            Assert.Equal(expected[2].Bytes.ToArray(), ours[2].Bytes.ToArray());
            for (int k = 0; k < 2; k++)
            {
                var comparison = TensorCompare.ScaledClose(ours[k], expected[k], k == 0 ? 1e-3 : 1e-5);
                output.WriteLine($"batch {batch} output {k}: {comparison}");
                Assert.True(comparison.Within, comparison.ToString());
            }
        }
    }

    [Fact]
    public void Half_spans_go_in_and_out_of_a_session()
    {
        var graph = ModelPipeline.ImportOnnx(Float16IoModel(), "fp16_io.onnx");
        var model = ModelPipeline.Compile(graph, ModelPipeline.BatchGears(graph, 1));
        using var session = model.CreateSession();
        var x = new Half[16];
        for (int i = 0; i < x.Length; i++) x[i] = (Half)(i * 0.25f - 1);
        session.SetInput<Half>(0, x, [1, 16]);
        session.Run();
        Assert.Equal(x, session.GetOutput<Half>(2).ToArray());
        Assert.Throws<InferenceInputException>(() => session.SetInput<float>(0, new float[16], [1, 16]));
    }
}
