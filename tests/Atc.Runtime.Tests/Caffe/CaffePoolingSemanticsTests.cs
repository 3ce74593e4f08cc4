using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.TestModels.Caffe;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Caffe;

/// <summary>
/// Caffe's pooling, checked against Caffe's own loops (pooling_layer.cpp, written out in float64 here) rather than
/// ONNX: the output size rounds up and drops a window that starts in the end padding, MAX ignores padding, AVE
/// divides by the window clipped to the padded input (so a ceil window hanging past the padding counts less).
/// Tolerance 1e-5 absolute on values in [-1, 1).
/// </summary>
public sealed class CaffePoolingSemanticsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("atc-caffe-pool-").FullName;

    [Theory]
    [InlineData(true, 7, 3, 2, 0)]
    [InlineData(false, 7, 3, 2, 0)]
    [InlineData(false, 6, 3, 2, 1)]  // the last window starts at 5 and hangs past the padding (ends at 8 > 6 + 1)
    [InlineData(true, 6, 3, 2, 1)]
    [InlineData(false, 10, 2, 3, 1)]
    [InlineData(true, 5, 4, 3, 2)]   // pooled = ceil(5/3)+1 = 3, and (3-1)*3 = 6 >= 5+2: Caffe drops the last window
    public void Matches_caffes_pooling_loops(bool max, int size, int kernel, int stride, int pad)
    {
        var b = new CaffeModelBuilder("pool", seed: 3);
        var x = b.Input("data", 1, 2, size, size);
        b.Output(b.Pooling("pool", x, max, kernel, stride, pad));
        var model = b.Build();
        var compiled = CompiledCaffeModel.Compile(model, _folder);

        int[] shape = [1, 2, size, size];
        var input = ModelPipeline.RandomUniform(seed: 7, (int)Shape.ElementCount(shape));
        using var session = compiled.CreateSession();
        var ours = session.Run(TensorData.Float(shape, input)).Single();

        var expected = CaffePool(input, 2, size, kernel, stride, pad, max, out int pooled);
        Assert.Equal([1, 2, pooled, pooled], ours.Dims);
        var actual = ours.ToFloatArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5, $"element {i}: {actual[i]} vs Caffe's {expected[i]}");
    }

    /// <summary>Caffe's forward pass for one image, square windows.</summary>
    private static double[] CaffePool(float[] input, int channels, int size, int kernel, int stride, int pad, bool max, out int pooled)
    {
        pooled = (int)Math.Ceiling((double)(size + 2 * pad - kernel) / stride) + 1;
        if (pad > 0 && (pooled - 1) * stride >= size + pad) pooled--;
        var output = new double[channels * pooled * pooled];
        for (int c = 0; c < channels; c++)
            for (int ph = 0; ph < pooled; ph++)
                for (int pw = 0; pw < pooled; pw++)
                {
                    int hstart = ph * stride - pad, wstart = pw * stride - pad;
                    int hend = Math.Min(hstart + kernel, size + pad), wend = Math.Min(wstart + kernel, size + pad);
                    int poolSize = (hend - hstart) * (wend - wstart);
                    hstart = Math.Max(hstart, 0); wstart = Math.Max(wstart, 0);
                    hend = Math.Min(hend, size); wend = Math.Min(wend, size);
                    double value = max ? double.NegativeInfinity : 0;
                    for (int h = hstart; h < hend; h++)
                        for (int w = wstart; w < wend; w++)
                        {
                            double v = input[(c * size + h) * size + w];
                            value = max ? Math.Max(value, v) : value + v;
                        }
                    output[(c * pooled + ph) * pooled + pw] = max ? value : value / poolSize;
                }
        return output;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
