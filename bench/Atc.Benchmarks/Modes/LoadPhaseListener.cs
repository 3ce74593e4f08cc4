using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Runtime;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// --first-run --breakdown, in the child process: listens to the runtime's "Atc-Runtime-Load" events (each phase of
/// Load and CreateSession starts and stops on the loading thread, and an in-process listener is called on that thread)
/// and reads, at each start and stop, the wall clock, the process's CPU time and the number of methods the JIT has
/// compiled (all threads). Phases that occur more than once add up.
/// </summary>
public sealed class LoadPhaseListener : EventListener
{
    public const string SourceName = "Atc-Runtime-Load";

    /// <summary>One phase's totals: wall and CPU milliseconds, methods JIT-compiled while it ran.</summary>
    public sealed record Phase(string Name, double WallMs, double CpuMs, long JitMethods);

    private readonly Process _self = Process.GetCurrentProcess();
    private readonly Stack<(string Name, long Ticks, double CpuMs, long Jit)> _open = new();
    private readonly List<Phase> _phases = [];

    /// <summary>In order of first appearance.</summary>
    public IReadOnlyList<Phase> Phases => _phases;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == SourceName) EnableEvents(eventSource, EventLevel.Informational);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventSource.Name != SourceName || eventData.Payload is not [string name]) return;
        if (eventData.EventName == "PhaseStart")
        {
            _open.Push((name, Stopwatch.GetTimestamp(), CpuMs(), JitInfo.GetCompiledMethodCount()));
            return;
        }
        if (eventData.EventName != "PhaseStop" || _open.Count == 0 || _open.Peek().Name != name) return;
        var start = _open.Pop();
        var phase = new Phase(name, Stopwatch.GetElapsedTime(start.Ticks).TotalMilliseconds, CpuMs() - start.CpuMs,
            JitInfo.GetCompiledMethodCount() - start.Jit);
        int index = _phases.FindIndex(p => p.Name == name);
        if (index < 0) _phases.Add(phase);
        else _phases[index] = new Phase(name, _phases[index].WallMs + phase.WallMs, _phases[index].CpuMs + phase.CpuMs,
            _phases[index].JitMethods + phase.JitMethods);
    }

    private double CpuMs()
    {
        _self.Refresh();
        return _self.TotalProcessorTime.TotalMilliseconds;
    }

    public override void Dispose()
    {
        _self.Dispose();
        base.Dispose();
    }
}
