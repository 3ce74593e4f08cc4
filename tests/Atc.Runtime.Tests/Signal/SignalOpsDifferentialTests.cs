using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Signal;

/// <summary>STFT and MelWeightMatrix (opset 17) against ONNX Runtime: real and complex signals, with and without a
/// window, onesided 0 and 1, a batch gear; mel filter banks of several sizes and edges.</summary>
public class SignalOpsDifferentialTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true, false, 1, 16, 5)]   // real signal, Hann window, onesided
    [InlineData(false, false, 0, 12, 4)]  // real signal, frame_length only, both sides
    [InlineData(true, true, 0, 8, 3)]     // complex signal, window, both sides
    [InlineData(false, false, 1, 15, 7)]  // odd frame length, onesided
    public void Stft_matches_onnx_runtime(bool windowed, bool complex, long onesided, int frameLength, long step)
    {
        const int length = 64;
        int components = complex ? 2 : 1;
        var b = new OnnxModelBuilder(opset: 17, seed: 9);
        b.Input("signal", DataType.Float32, "N", length, components);
        var stepName = b.Initializer("step", TensorData.Int64([], step));
        string window = "", frame = "";
        if (windowed)
            window = b.Floats("window", [frameLength], [.. Enumerable.Range(0, frameLength).Select(i => (float)Math.Pow(Math.Sin(Math.PI * i / frameLength), 2))]);
        else
            frame = b.Initializer("frame_length", TensorData.Int64([], frameLength));
        string[] inputs = windowed ? ["signal", stepName, window] : ["signal", stepName, "", frame];
        b.NamedNode("spectrum", "STFT", inputs, ("onesided", onesided));
        b.Output("spectrum", DataType.Float32);
        var onnx = b.ToBytes();

        var graph = ModelPipeline.ImportOnnx(onnx, "stft.onnx");
        var model = ModelPipeline.Compile(graph, ModelPipeline.BatchGears(graph, 1, 2));
        foreach (int batch in new[] { 1, 2 })
        {
            var x = TensorData.Float([batch, length, components], ModelPipeline.RandomUniform(batch + frameLength, batch * length * components));
            var ours = model.Run(x).Single();
            var expected = OrtRunner.Run(onnx, new Dictionary<string, TensorData> { ["signal"] = x }).Single();
            Assert.Equal(expected.Dims, ours.Dims);
            var comparison = TensorCompare.ScaledClose(ours, expected, 1e-5);
            output.WriteLine($"batch {batch}: {comparison}");
            Assert.True(comparison.Within, comparison.ToString());
        }
    }

    [Theory]
    [InlineData(8, 64, 16000, 0f, 8000f, 1L)]
    [InlineData(20, 512, 22050, 30f, 8000f, 1L)]
    [InlineData(5, 33, 8000, 100f, 3900f, 11L)]
    [InlineData(40, 256, 16000, 20f, 7600f, 1L)]
    public void MelWeightMatrix_matches_onnx_runtime(long melBins, long dftLength, long sampleRate, float lower, float upper, long outputType)
    {
        var b = new OnnxModelBuilder(opset: 17, seed: 2);
        b.Input("unused", DataType.Float32, 1);
        string[] inputs =
        [
            b.Initializer("num_mel_bins", TensorData.Int64([], melBins)),
            b.Initializer("dft_length", TensorData.Int64([], dftLength)),
            b.Initializer("sample_rate", TensorData.Int64([], sampleRate)),
            b.Initializer("lower_edge_hertz", TensorData.Scalar(lower)),
            b.Initializer("upper_edge_hertz", TensorData.Scalar(upper)),
        ];
        var mel = b.Node("MelWeightMatrix", inputs, ("output_datatype", outputType));
        // Mixed with the input so the matrix is not the graph's only (folded) value: it must run as a step.
        var scaled = b.Node("Cast", [mel], ("to", 1L));
        b.NamedNode("weights", "Mul", [scaled, "unused"]);
        b.Output("weights", DataType.Float32);
        var onnx = b.ToBytes();

        var graph = ModelPipeline.ImportOnnx(onnx, "mel.onnx");
        var model = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [[1]]));
        var one = TensorData.Float([1], 1f);
        var ours = model.Run(one).Single();
        var expected = OrtRunner.Run(onnx, new Dictionary<string, TensorData> { ["unused"] = one }).Single();
        Assert.Equal(expected.Dims, ours.Dims);
        var comparison = TensorCompare.ScaledClose(ours, expected, 1e-6);
        output.WriteLine(comparison.ToString());
        Assert.True(comparison.Within, comparison.ToString());
    }
}
