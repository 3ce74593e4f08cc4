using System.Globalization;
using Digits;

// Handwritten digits (8x8 pixels, values 0..16) held out from training; the model never saw them.
var samples = DigitSamples.Load(Path.Combine(AppContext.BaseDirectory, "Data", "digits-test.csv"));
using var model = DigitsModel.Load();
CompiledModelInfo.Print(model);
Console.WriteLine();

// Score the held-out digits in batches of up to 32 (the largest gear); RunNearest pads a short last batch.
var correct = 0;
for (var start = 0; start < samples.Count; start += DigitsModel.MaxBatchSize)
{
    var batch = samples.Skip(start).Take(DigitsModel.MaxBatchSize).ToList();
    var output = model.RunNearest(batch.Count, batch.SelectMany(s => s.Pixels).ToArray());
    for (var i = 0; i < batch.Count; i++)
        if (DigitSamples.ArgMax(output.Probabilities.Slice(i * 10, 10)) == batch[i].Label) correct++;
}

var reference = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "reference.txt"))
    .First(line => line.StartsWith("accuracy ", StringComparison.Ordinal))["accuracy ".Length..];
Console.WriteLine($"Held-out accuracy: {100.0 * correct / samples.Count:0.0}% ({correct} of {samples.Count} digits); " +
    $"scikit-learn measured {100 * double.Parse(reference, CultureInfo.InvariantCulture):0.0}% for the same model.");
Console.WriteLine();

// A few digits one at a time, on the batch-1 gear: the typed input only accepts exactly 64 values.
foreach (var sample in samples.Take(4))
{
    var output = model.Run(new DigitsModel.Batch1Input(sample.Pixels));
    var probabilities = output.Probabilities;
    var predicted = DigitSamples.ArgMax(probabilities);
    Console.WriteLine(DigitSamples.Render(sample.Pixels));
    Console.WriteLine($"label {sample.Label}, predicted {predicted} ({100 * probabilities[predicted]:0.0}% sure)" +
        (predicted == sample.Label ? "" : "  <- wrong"));
    Console.WriteLine();
}

// How long a call takes on each gear (use -c Release: a Debug build times the debug JIT, not the runtime).
CompiledModelInfo.PrintLatencies(model, samples, calls: 200);
