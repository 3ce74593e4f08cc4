using System.Globalization;

namespace Atc.Cli.Run;

/// <summary>Latency statistics of the timed runs, in milliseconds.</summary>
public sealed record LatencySummary(int Runs, double Min, double Max, double Mean, double Median, double P99)
{
    public static LatencySummary Of(IReadOnlyList<double> milliseconds)
    {
        if (milliseconds.Count == 0) throw new ArgumentException("no runs", nameof(milliseconds));
        var sorted = milliseconds.Order().ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        // Nearest-rank percentile.
        double p99 = sorted[Math.Clamp((int)Math.Ceiling(0.99 * n) - 1, 0, n - 1)];
        return new LatencySummary(n, sorted[0], sorted[^1], sorted.Average(), median, p99);
    }

    /// <summary>Inferences per second at the mean latency.</summary>
    public double Throughput => Mean > 0 ? 1000.0 / Mean : double.PositiveInfinity;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"loop = {Runs}, min = {Min:F3} ms, max = {Max:F3} ms, mean = {Mean:F3} ms, median = {Median:F3} ms, p99 = {P99:F3} ms, throughput = {Throughput:F2} inferences/s");
}
