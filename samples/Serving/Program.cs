using System.Diagnostics;
using System.Globalization;
using Serving;

// Serving: many callers share one model. DigitsModel.RunShared runs on the process-wide InferenceModel, which is
// safe from any number of threads: each call rents a pooled session, so nothing is locked on the hot path and
// the sessions share one worker pool (no N x processors threads).
const int Concurrency = 32;
const int RequestsPerCaller = 2_000;
var digit = new float[64];
for (var i = 0; i < digit.Length; i++) digit[i] = (i * 7) % 17;

// Warm-up: loads the model, makes the batch-1 gear's kernels and fills the session pool.
var expected = DigitsModel.RunShared(new DigitsModel.Batch1Input(digit)).Probabilities.ToArray();
await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(() => DigitsModel.RunShared(new DigitsModel.Batch1Input(digit)))));

var latencies = new double[Concurrency * RequestsPerCaller];
var wrong = 0;
var clock = Stopwatch.StartNew();
var callers = Enumerable.Range(0, Concurrency).Select(caller => Task.Run(() =>
{
    var input = new DigitsModel.Batch1Input(digit);
    for (var r = 0; r < RequestsPerCaller; r++)
    {
        var start = Stopwatch.GetTimestamp();
        var output = DigitsModel.RunShared(input);
        latencies[caller * RequestsPerCaller + r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        if (!output.Probabilities.SequenceEqual(expected)) Interlocked.Increment(ref wrong);
    }
}));
await Task.WhenAll(callers);
clock.Stop();

Array.Sort(latencies);
double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{latencies.Length} requests from {Concurrency} concurrent callers on {Environment.ProcessorCount} processor(s) in {clock.Elapsed.TotalSeconds:0.00} s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"request rate: {latencies.Length / clock.Elapsed.TotalSeconds:0} requests/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"latency: p50 {Percentile(0.50):0.0} us, p99 {Percentile(0.99):0.0} us, max {latencies[^1]:0.0} us"));
Console.WriteLine(wrong == 0 ? "every response equals the single-threaded result" : $"{wrong} responses differ from the single-threaded result");
return wrong == 0 ? 0 : 1;
