using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Tests.TestSupport;
using Xunit.Abstractions;

namespace Atc.Tests.Differential;

/// <summary>
/// TensorFlow builder models (SmallResNet, MobileNetV2, MLP) compiled with batch gears 1 and 4: row k of a batch-4
/// run equals the batch-1 run of row k alone, |diff| ≤ 1e-5 · max |row| (only the summation blocking may differ
/// between gears; rows must never leak into each other).
/// </summary>
public class TfBatchConsistencyTests(TfModelsFixture models, ITestOutputHelper output) : IClassFixture<TfModelsFixture>
{
    private const double Relative = 1e-5;

    public static TheoryData<string> Names => [.. TfModelsFixture.Sources.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Batch_rows_match_single_runs(string name)
    {
        var subject = models.Get(name);
        Assert.True(subject.MissingOperators.Length == 0, $"{name}: no runtime operator for {string.Join(", ", subject.MissingOperators)}");

        int rowSize = (int)Shape.ElementCount(subject.InputDims);
        const int batch = 4;
        var input = ModelPipeline.RandomUniform(seed: 4, batch * rowSize);

        using var session = subject.Model!.CreateSession();
        var batched = session.Run(TensorData.Float([batch, .. subject.InputDims], input)).Single();
        Assert.Equal(batch, batched.Dims[0]);
        int outRow = (int)(batched.ElementCount / batch);

        for (int k = 0; k < batch; k++)
        {
            var single = session.Run(TensorData.Float([1, .. subject.InputDims], input[(k * rowSize)..((k + 1) * rowSize)])).Single();
            var row = TensorData.Float(single.Dims, batched.AsSpan<float>().Slice(k * outRow, outRow).ToArray());
            var comparison = TensorCompare.ScaledClose(row, single, Relative);
            output.WriteLine($"{name} row {k}: {comparison}");
            Assert.True(comparison.Within, $"{name}: row {k} of the batch-4 run differs from its batch-1 run: {comparison}");
        }
    }
}
