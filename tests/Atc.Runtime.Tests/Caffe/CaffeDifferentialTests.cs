using Atc.Runtime;
using Atc.TestModels.Caffe;
using Atc.Tests.TestSupport;
using Microsoft.ML.OnnxRuntime.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

using Atc.Runtime.Core;

namespace Atc.Tests.Caffe;

/// <summary>
/// Every builder Caffe model (LeNet, a VGG block with BatchNorm + Scale and Caffe's ceil pooling, a ResNet
/// bottleneck, grouped / depthwise convs, Deconvolution, Eltwise variants, tensor and activation layers), compiled
/// from its .prototxt + .caffemodel with batch gears 1 and 4, gives ONNX Runtime's answer on the ONNX twin written
/// with the same weights (1 thread): max |ours - ort| ≤ 1e-4 · max |ort| per output. There is no Caffe here; the
/// twin is written from ONNX's op definitions, independently of the importer's conversion.
/// </summary>
public sealed class CaffeDifferentialTests(ITestOutputHelper output) : IDisposable
{
    private const double Relative = 1e-4;
    private readonly string _folder = Directory.CreateTempSubdirectory("atc-caffe-").FullName;

    public static TheoryData<string> Models => [.. CaffeModels.All.Keys];

    [Theory]
    [MemberData(nameof(Models))]
    public void Matches_onnx_runtime_on_the_onnx_twin_at_every_batch_gear(string name)
    {
        var model = CaffeModels.All[name]();
        var compiled = CompiledCaffeModel.Compile(model, _folder);
        using var reference = new Ort.InferenceSession(model.Onnx, new Ort.SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 });
        Assert.Equal(model.Outputs.Count, compiled.Signature.Outputs.Count);

        foreach (int batch in CompiledCaffeModel.Batches)
        {
            int[] shape = [batch, .. model.InputDims.Skip(1)];
            var input = ModelPipeline.RandomUniform(seed: 500 + batch, (int)Shape.ElementCount(shape));
            using var session = compiled.CreateSession();
            var ours = session.Run(TensorData.Float(shape, input));
            using var results = reference.Run([Ort.NamedOnnxValue.CreateFromTensor(model.InputName, new DenseTensor<float>(input, shape))]);
            for (int k = 0; k < model.Outputs.Count; k++)
            {
                var tensor = results.Single(r => r.Name == model.Outputs[k]).AsTensor<float>();
                var expected = TensorData.Float([.. tensor.Dimensions], [.. tensor]);
                var comparison = TensorCompare.ScaledClose(ours[k], expected, Relative);
                output.WriteLine($"{name} batch {batch} output {k}: {comparison}");
                Assert.True(comparison.Within, $"{name} batch {batch} output {k}: {comparison}");
            }
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
