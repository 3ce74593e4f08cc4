using System.Globalization;
using System.Text.RegularExpressions;
using Atc.Build.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using StbImageSharp;

namespace Atc.Build.Tests;

/// <summary>
/// samples/AippImage as a user runs it: build (the &lt;AscendModel&gt; with InsertOpConf compiles the AIPP model), run,
/// and the top-5 it prints from the PNG's raw RGB bytes equal ONNX Runtime's on the original model fed the same
/// picture cropped and normalised by hand (the formulas of aipp.cfg written out here).
/// </summary>
public class AippImageSampleTests
{
    private static readonly string Sample = Path.Combine(RepoRoot.Find(), "samples", "AippImage");

    [Fact]
    public void SamplePrintsTheTopFiveOfTheHandPreprocessedModel()
    {
        var build = DotNet.Run(Sample, null, "build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false");
        Assert.True(build.Succeeded, build.Tail());
        var run = DotNet.Run(Sample, null, Path.Combine(Sample, "bin", "Release", "net10.0", "AippImage.dll"));
        Assert.True(run.Succeeded, run.Tail());

        var printed = Regex.Matches(run.Output, @"^\s+(\d)\. class (\d)\s+([0-9.]+)%", RegexOptions.Multiline)
            .Select(m => (Rank: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Class: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                Percent: double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal([1, 2, 3, 4, 5], printed.Select(p => p.Rank));

        var expected = ReferenceTopFive();
        Assert.Equal(expected.Select(e => e.Class), printed.Select(p => p.Class));
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i].Percent, printed[i].Percent, 0.011);
    }

    /// <summary>The picture decoded, cropped to 32 x 32 at (8, 4), normalised as aipp.cfg says, in NCHW, through ONNX Runtime.</summary>
    private static List<(int Class, double Percent)> ReferenceTopFive()
    {
        var image = ImageResult.FromMemory(File.ReadAllBytes(Path.Combine(Sample, "Data", "scene.png")), ColorComponents.RedGreenBlue);
        double[] mean = [124, 117, 104], varReci = [0.0171, 0.0175, 0.0174];
        var tensor = new DenseTensor<float>([1, 3, 32, 32]);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++)
                    tensor[0, c, y, x] = (float)((image.Data[((y + 4) * image.Width + x + 8) * 3 + c] - mean[c]) * varReci[c]);
        using var session = new InferenceSession(Path.Combine(Sample, "Models", "tiny_cnn.onnx"));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        var scores = results.Single().AsTensor<float>().ToArray();
        double max = scores.Max();
        var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
        return [.. exp.Select((e, i) => (i, 100 * e / exp.Sum())).OrderByDescending(p => p.Item2).Take(5)];
    }
}
