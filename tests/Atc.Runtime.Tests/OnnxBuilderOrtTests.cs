using Atc.TestModels.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace Atc.Tests;

/// <summary>ONNX Runtime accepts every ready-made builder model and its outputs are finite and O(1), so the models
/// can serve as differential-test and benchmark inputs.</summary>
public class OnnxBuilderOrtTests(ITestOutputHelper output)
{
    public static TheoryData<string> ModelNames => [.. OnnxModels.All.Keys];

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void OnnxRuntimeRunsBuilderModelAtBatchOne(string name)
    {
        byte[] model = OnnxModels.All[name]();
        using var session = new InferenceSession(model);
        var input = session.InputMetadata[OnnxModels.InputName];
        int[] shape = [1, .. input.Dimensions.Skip(1)];
        var random = new Random(1);
        var data = new float[shape.Aggregate(1, (a, d) => a * d)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);

        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxModels.InputName, new DenseTensor<float>(data, shape))]);
        var result = results.Single(r => r.Name == OnnxModels.OutputName).AsTensor<float>().ToArray();

        double mean = result.Average(), std = Math.Sqrt(result.Average(v => (v - mean) * (v - mean)));
        double maxAbs = result.Max(v => Math.Abs(v));
        output.WriteLine($"{name}: {result.Length} outputs, mean {mean:G4}, std {std:G4}, max |y| {maxAbs:G4}");
        Assert.All(result, v => Assert.True(float.IsFinite(v)));
        Assert.InRange(maxAbs, 1e-3, 100);
        Assert.True(std > 1e-4, $"{name}: outputs are (nearly) constant, std {std}");
    }
}
