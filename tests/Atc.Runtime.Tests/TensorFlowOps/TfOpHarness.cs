using Atc.Runtime;
using Atc.TestModels.TensorFlow;
using Atc.Tests.TestSupport;

namespace Atc.Tests.TensorFlowOps;

/// <summary>Compiles a builder graph for the given input shapes (one static gear) the way atc does, runs it once on
/// one thread and compares each output against a float64 reference.</summary>
internal static class TfOpHarness
{
    public static TensorData[] Run(TfGraphBuilder builder, params TensorData[] inputs)
    {
        var graph = ModelPipeline.ImportTensorFlow(builder.ToBytes(), "ops.pb");
        var gears = ModelPipeline.StaticGear(graph, [.. inputs.Select(i => i.Dims)]);
        using var session = ModelPipeline.Compile(graph, gears).CreateSession(new SessionOptions { ThreadCount = 1 });
        return session.Run(inputs);
    }

    public static void AssertClose(RefTensor expected, TensorData actual, double relative = 1e-5)
    {
        var comparison = TensorCompare.ScaledClose(actual, TensorData.Float(expected.Dims, expected.ToFloats()), relative, 1e-6);
        Assert.True(comparison.Within, comparison.Detail);
    }

    /// <summary>Seeded values in [-1, 1) as a float32 input and its float64 reference twin.</summary>
    public static (TensorData Input, RefTensor Reference) Random(int seed, params int[] dims)
    {
        var values = ModelPipeline.RandomUniform(seed, dims.Aggregate(1, (p, d) => p * d));
        return (TensorData.Float(dims, values), RefTensor.Of(dims, values));
    }
}
