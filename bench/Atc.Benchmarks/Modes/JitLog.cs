using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// Diagnostic for --first-run: with ATC_BENCH_JIT_LOG=&lt;folder&gt;, each child writes the methods the JIT compiled in each
/// phase (first run, steady runs, ...) and at which tier, to find what the first run still compiles. The runtime's
/// JIT events reach an in-process listener asynchronously, so the phases are told apart by the events' timestamps.
/// </summary>
public sealed class JitLog : EventListener
{
    public const string Variable = "ATC_BENCH_JIT_LOG";
    private const EventKeywords JitKeyword = (EventKeywords)0x10;
    private readonly ConcurrentQueue<(DateTime Time, string Method, int Tier)> _methods = new();
    private readonly List<(DateTime Time, string Phase, long MinorFaults)> _marks = [];
    private string? _path;

    public static JitLog? FromEnvironment(string name = "child")
    {
        string? folder = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(folder)) return null;
        Directory.CreateDirectory(folder);
        var log = new JitLog { _path = Path.Combine(folder, $"jit-{name}-{Environment.ProcessId}.log") };
        return log;
    }

    public void Mark(string phase) => _marks.Add((DateTime.UtcNow, phase, MinorFaults()));

    /// <summary>The process's minor page faults so far (Linux /proc; -1 elsewhere): first touches of fresh memory.</summary>
    private static long MinorFaults()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], CultureInfo.InvariantCulture);   // field 10 of stat; 3 is the first after the name
        }
        catch (IOException)
        {
            return -1;
        }
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, JitKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) || e.Payload is null) return;
        int flags = Convert.ToInt32(e.Payload[e.PayloadNames!.IndexOf("MethodFlags")], CultureInfo.InvariantCulture);
        string ns = e.Payload[e.PayloadNames.IndexOf("MethodNamespace")]?.ToString() ?? "";
        string name = e.Payload[e.PayloadNames.IndexOf("MethodName")]?.ToString() ?? "";
        _methods.Enqueue((e.TimeStamp.ToUniversalTime(), ns + "::" + name, (flags >> 7) & 0xF));
    }

    private static readonly string[] TierNames =
        ["unknown", "minopt", "optimized", "tier0", "tier1", "r2r", "prejit", "tier0-instr", "tier1-instr", "tier1-osr"];

    public override void Dispose()
    {
        Thread.Sleep(2000);   // let the runtime's event dispatch catch up
        using (var writer = new StreamWriter(_path!))
        {
            var all = _methods.ToArray();
            for (int p = 0; p < _marks.Count; p++)
            {
                var (start, phase, faults) = _marks[p];
                long faultsInPhase = p + 1 < _marks.Count ? _marks[p + 1].MinorFaults - faults : 0;
                DateTime end = p + 1 < _marks.Count ? _marks[p + 1].Time : DateTime.MaxValue;
                var inPhase = all.Where(m => m.Time >= start && m.Time < end).ToList();
                writer.WriteLine($"== {phase}: {inPhase.Count} methods, {faultsInPhase} minor page faults");
                foreach (var group in inPhase.GroupBy(m => m.Tier).OrderBy(g => g.Key))
                    writer.WriteLine($"   {(group.Key < TierNames.Length ? TierNames[group.Key] : group.Key.ToString(CultureInfo.InvariantCulture))}: {group.Count()}");
                foreach (var m in inPhase) writer.WriteLine($"   [{(m.Tier < TierNames.Length ? TierNames[m.Tier] : "?")}] {m.Method}");
            }
        }
        base.Dispose();
    }
}
