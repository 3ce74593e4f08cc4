using System.Globalization;
using Atc.Build.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Atc.Build.Tests;

/// <summary>
/// The Digits sample's model file is written by a hand-made protobuf writer (samples/Digits/Training); ONNX Runtime
/// loading it and reproducing scikit-learn's probabilities and accuracy shows the file is a valid, faithful export.
/// </summary>
public class SampleModelTests
{
    private static readonly string Sample = Path.Combine(RepoRoot.Find(), "samples", "Digits");

    [Fact]
    public void DigitsOnnxReproducesScikitLearn()
    {
        var samples = File.ReadLines(Path.Combine(Sample, "Data", "digits-test.csv"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToList();
        var reference = File.ReadAllLines(Path.Combine(Sample, "Data", "reference.txt"));
        var referenceAccuracy = double.Parse(reference[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var referenceProbabilities = reference.Skip(1).Select(l => l.Split(' ').Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();

        using var session = new InferenceSession(Path.Combine(Sample, "Models", "digits.onnx"));
        var pixels = new DenseTensor<float>(samples.SelectMany(s => s.Skip(1)).ToArray(), [samples.Count, 64]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("pixels", pixels)]);
        var probabilities = results.Single(r => r.Name == "probabilities").AsTensor<float>();

        for (var row = 0; row < referenceProbabilities.Count; row++)
            for (var digit = 0; digit < 10; digit++)
                Assert.InRange(probabilities[row, digit], referenceProbabilities[row][digit] - 1e-4f, referenceProbabilities[row][digit] + 1e-4f);
        var correct = samples.Select((s, row) => Enumerable.Range(0, 10).MaxBy(d => probabilities[row, d]) == (int)s[0]).Count(ok => ok);
        Assert.Equal(referenceAccuracy, (double)correct / samples.Count, 4);
    }
}
