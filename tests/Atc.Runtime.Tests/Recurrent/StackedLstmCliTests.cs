using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Recurrent;

/// <summary>
/// Two stacked LSTMs (the second bidirectional) and a Gemm head, compiled by the atc command line with
/// --dynamic_dims over the sequence length, loaded from the .om and compared with ONNX Runtime in every gear
/// (within 1e-4 · max|ort| + 1e-6).
/// </summary>
public class StackedLstmCliTests(ITestOutputHelper output)
{
    private const int Batch = 2, InputSize = 6, Hidden = 8, Classes = 3;

    private static byte[] Model()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 41);
        b.Input("x", DataType.Float32, "seq", Batch, InputSize);
        var first = b.Node("LSTM", ["x", b.Uniform("W1", -0.5f, 0.5f, 1, 4 * Hidden, InputSize),
            b.Uniform("R1", -0.5f, 0.5f, 1, 4 * Hidden, Hidden), b.Uniform("B1", -0.3f, 0.3f, 1, 8 * Hidden)], 1, ("hidden_size", Hidden))[0];
        var sequence = b.Node("Squeeze", [first, b.Int64s("axis1", 1)]);
        var second = b.Node("LSTM", [sequence, b.Uniform("W2", -0.5f, 0.5f, 2, 4 * Hidden, Hidden),
            b.Uniform("R2", -0.5f, 0.5f, 2, 4 * Hidden, Hidden), b.Uniform("B2", -0.3f, 0.3f, 2, 8 * Hidden)], 2,
            ("hidden_size", Hidden), ("direction", "bidirectional"))[1];
        var last = b.Node("Reshape", [b.Node("Transpose", [second], ("perm", new[] { 1, 0, 2 })), b.Int64s("flat", Batch, 2 * Hidden)]);
        b.AddNode("Gemm", [last, b.Uniform("Wh", -0.5f, 0.5f, 2 * Hidden, Classes), b.Uniform("Bh", -0.2f, 0.2f, Classes)], ["logits"], "head");
        b.Output("logits", DataType.Float32, Batch, Classes);
        return b.ToBytes();
    }

    [Fact]
    public void Compiles_through_atc_and_matches_onnx_runtime_per_sequence_gear()
    {
        string folder = Directory.CreateTempSubdirectory("atc-lstm-").FullName;
        try
        {
            byte[] onnx = Model();
            string path = Path.Combine(folder, "stacked.onnx");
            File.WriteAllBytes(path, onnx);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = Atc.Cli.AtcCli.Run(["--model=" + path, "--framework=5", "--output=" + Path.Combine(folder, "stacked"),
                "--soc_version=Ascend310", $"--input_shape=x:-1,{Batch},{InputSize}", "--dynamic_dims=3;7", "--input_format=ND"], stdout, stderr);
            Assert.True(code == 0, stdout.ToString() + stderr);

            var model = InferenceModel.Load(Path.Combine(folder, "stacked.om"));
            foreach (int sequence in new[] { 3, 7 })
            {
                int[] dims = [sequence, Batch, InputSize];
                var x = TensorData.Float(dims, ModelPipeline.RandomUniform(seed: sequence, sequence * Batch * InputSize));
                var ours = model.Run(x)[0];
                var expected = OrtRunner.Run(onnx, new Dictionary<string, TensorData> { ["x"] = x })[0];
                var comparison = TensorCompare.ScaledClose(ours, expected, 1e-4, 1e-6);
                output.WriteLine($"seq {sequence}: {comparison}");
                Assert.True(comparison.Within, $"seq {sequence}: {comparison}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
