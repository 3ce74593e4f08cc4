using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Profiling;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Differential;

/// <summary>
/// The channels-last conv paths for small-model shapes against ONNX Runtime (1e-4 relative to the output's max), at
/// batch 4 on odd image sizes: a 16-channel stem (one-vector blocks of the direct convolution) and depthwise 5x5,
/// 7x7 stride 2 with asymmetric pads and 3x5 dilated convs on odd channel counts (DepthwiseKxK), each checked to
/// run channels-last.
/// </summary>
public class SmallConvShapesDifferentialTests(ITestOutputHelper output)
{
    private static byte[] Model(int height, int width)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 41);
        string x = b.Input("x", DataType.Float32, "N", 3, height, width);
        string Conv(string name, string input, int outChannels, int inPerGroup, int group, long[] kernel, long[] strides, long[] pads, long[]? dilations = null)
            => b.NamedNode(name, "Conv", [input, b.HeWeight(name + ".w", outChannels, inPerGroup, (int)kernel[0], (int)kernel[1]), b.Normal(name + ".b", 0f, 0.3f, outChannels)],
                ("kernel_shape", kernel), ("strides", strides), ("pads", pads), ("group", (long)group), ("dilations", dilations ?? [1, 1]));
        string stem = b.Node("Relu", [Conv("stem", x, 16, 3, 1, [3, 3], [2, 2], [1, 1, 1, 1])]);
        string dw5 = Conv("dw5", stem, 16, 1, 16, [5, 5], [1, 1], [2, 2, 2, 2]);
        string expand = b.Node("Relu", [Conv("expand", dw5, 21, 16, 1, [1, 1], [1, 1], [0, 0, 0, 0])]);
        string dw7 = Conv("dw7", expand, 21, 1, 21, [7, 7], [2, 2], [2, 3, 4, 1]);
        string dw35 = Conv("dw35", dw7, 21, 1, 21, [3, 5], [1, 1], [2, 4, 1, 3], [2, 2]);
        b.AddNode("Identity", [dw35], ["y"]);
        b.Output("y", DataType.Float32, "N", 21, "H", "W");
        return b.ToBytes();
    }

    [Fact]
    public void StemAndDepthwiseKxKMatchOnnxRuntimeChannelsLast()
    {
        int[] shape = [4, 3, 37, 41];
        var model = Model(shape[2], shape[3]);
        var input = TensorData.Float(shape, ModelPipeline.RandomUniform(17, (int)Shape.ElementCount(shape)));
        var graph = ModelPipeline.ImportOnnx(model, "small_conv_shapes.onnx");
        var compiled = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [shape]));
        using var session = compiled.CreateSession(new SessionOptions { ThreadCount = 1 });
        var steps = new StepRecorder();
        session.Profiler = steps;
        var ours = session.Run(input);
        var reference = OrtRunner.Run(model, new Dictionary<string, TensorData> { ["x"] = input });

        foreach (var name in new[] { "stem", "dw5", "dw7", "dw35" })
        {
            var step = Assert.Single(steps.Seen, s => s.NodeName == name);
            output.WriteLine($"{name}: {step.KernelName} {step.Layout}");
            Assert.Equal("NHWC", step.Layout);
        }
        var comparison = TensorCompare.ScaledClose(ours[0], reference[0], 1e-4, 1e-5);
        output.WriteLine(comparison.ToString());
        Assert.True(comparison.Within, comparison.ToString());
    }

    private sealed class StepRecorder : IRunProfiler
    {
        public List<ProfiledStep> Seen { get; } = [];
        public void StepCompleted(ProfiledStep step, long elapsedTicks) => Seen.Add(step);
    }
}
