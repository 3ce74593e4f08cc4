using System.Diagnostics;
using System.Globalization;
using Atc.Runtime.Profiling;

namespace Atc.Cli.Run;

/// <summary>
/// `atc run --profile`: collects the time of every step of the timed runs through the session's profiler hook and
/// prints two tables: the slowest ops (nodes) and the time per op class (operator and kernel).
/// </summary>
internal sealed class RunProfile : IRunProfiler
{
    private const int SlowestShown = 20;
    private readonly Dictionary<ProfiledStep, long> _ticks = [];

    public void StepCompleted(ProfiledStep step, long elapsedTicks)
    {
        _ticks.TryGetValue(step, out long total);
        _ticks[step] = total + elapsedTicks;
    }

    public void Print(TextWriter output, int runs)
    {
        if (_ticks.Count == 0 || runs <= 0) return;
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency / runs;
        double total = Ms(_ticks.Values.Sum());
        string Share(double ms) => total > 0 ? (100 * ms / total).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";
        string Fmt(double ms) => ms.ToString("F3", CultureInfo.InvariantCulture);

        output.WriteLine($"[INFO] profile: {_ticks.Count} steps, {Fmt(total)} ms/run in kernels (mean of {runs} run(s))");
        output.WriteLine("[INFO] slowest ops:");
        output.WriteLine("  step  ms/run   share  op            kernel                        node");
        foreach (var (step, ticks) in _ticks.OrderByDescending(p => p.Value).Take(SlowestShown))
            output.WriteLine($"  {step.Index,4}  {Fmt(Ms(ticks)),7}  {Share(Ms(ticks)),6}  {step.OpType,-12}  {step.KernelName,-28}  {step.NodeName}");
        output.WriteLine("[INFO] per op class:");
        output.WriteLine("  count  ms/run   share  op            kernel");
        foreach (var group in _ticks.GroupBy(p => (p.Key.OpType, p.Key.KernelName)).OrderByDescending(g => g.Sum(p => p.Value)))
        {
            double ms = Ms(group.Sum(p => p.Value));
            output.WriteLine($"  {group.Count(),5}  {Fmt(ms),7}  {Share(ms),6}  {group.Key.OpType,-12}  {group.Key.KernelName}");
        }
    }
}
