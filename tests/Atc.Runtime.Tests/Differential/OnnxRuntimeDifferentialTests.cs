using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace Atc.Tests.Differential;

/// <summary>
/// Every ONNX builder model (ResNet-18/50, MobileNetV2, SqueezeNet 1.1, MLP, TinyCnn), compiled with batch gears 1
/// and 4, gives ONNX Runtime's answer (1 thread, default optimisations) on the same seeded input:
/// max |ours - ort| ≤ 1e-4 · max |ort| over the whole output.
/// </summary>
public class OnnxRuntimeDifferentialTests(OnnxModelsFixture models, ITestOutputHelper output) : IClassFixture<OnnxModelsFixture>
{
    private const double Relative = 1e-4;

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in OnnxModels.All.Keys)
            foreach (int batch in OnnxModelsFixture.Batches)
                data.Add(name, batch);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_onnx_runtime(string name, int batch)
    {
        var subject = models.Get(name);
        Assert.True(subject.MissingOperators.Length == 0, $"{name}: no runtime operator for {string.Join(", ", subject.MissingOperators)}");

        int[] shape = [batch, .. subject.InputDims];
        var input = ModelPipeline.RandomUniform(seed: 1000 + batch, (int)Shape.ElementCount(shape));

        using var session = subject.Model!.CreateSession();
        var ours = session.Run(TensorData.Float(shape, input)).Single();

        using var results = subject.Reference.Run([NamedOnnxValue.CreateFromTensor(OnnxModels.InputName, new DenseTensor<float>(input, shape))]);
        var reference = results.Single(r => r.Name == OnnxModels.OutputName).AsTensor<float>();
        var expected = TensorData.Float([.. reference.Dimensions], [.. reference]);

        var comparison = TensorCompare.ScaledClose(ours, expected, Relative);
        output.WriteLine($"{name} batch {batch}: {comparison}");
        Assert.True(comparison.Within, $"{name} batch {batch}: {comparison}");
    }
}
