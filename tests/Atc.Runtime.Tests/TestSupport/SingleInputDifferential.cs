using Atc.Runtime;
using Atc.Runtime.Core;
using Xunit.Abstractions;

namespace Atc.Tests.TestSupport;

/// <summary>
/// The common differential check for a one-input ONNX model whose input is named "x": compile it at one static
/// gear, run it on seeded uniform data at one thread, and compare every output with ONNX Runtime's.
/// </summary>
public static class SingleInputDifferential
{
    public static void AssertMatchesOrt(string name, byte[] model, int[] shape, int seed, double absoluteTolerance,
        ITestOutputHelper output)
    {
        var input = TensorData.Float(shape, ModelPipeline.RandomUniform(seed, (int)Shape.ElementCount(shape)));

        var graph = ModelPipeline.ImportOnnx(model, name + ".onnx");
        var compiled = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [shape]));
        using var session = compiled.CreateSession(new SessionOptions { ThreadCount = 1 });
        var ours = session.Run(input);
        var reference = OrtRunner.Run(model, new Dictionary<string, TensorData> { ["x"] = input });

        Assert.Equal(reference.Length, ours.Length);
        for (int k = 0; k < ours.Length; k++)
        {
            var comparison = TensorCompare.ScaledClose(ours[k], reference[k], 1e-4, absoluteTolerance);
            output.WriteLine($"{name} output {k}: {comparison}");
            Assert.True(comparison.Within, $"{name} output {k}: {comparison}");
        }
    }
}
