using System.Diagnostics.Tracing;

namespace Atc.Runtime.Diagnostics;

/// <summary>
/// Marks the phases of <see cref="InferenceModel.Load(byte[])"/> and <see cref="InferenceModel.CreateSession"/> (read
/// and verify the .om, protobuf parse, graph and plans, operator lookup, prepacked weights, kernels, warm-up run,
/// session buffers) as start/stop events, so a tool can attribute the time to the first result without a profiler:
/// the benchmarks' <c>--first-run --breakdown</c> listens in process and reads the clock, CPU time and JIT count at
/// each event. With no listener every mark is one <see cref="EventSource.IsEnabled()"/> test.
/// </summary>
[EventSource(Name = "Atc-Runtime-Load")]
internal sealed class LoadPhaseEventSource : EventSource
{
    public static readonly LoadPhaseEventSource Log = new();

    private LoadPhaseEventSource() { }

    [Event(1, Level = EventLevel.Informational)]
    public void PhaseStart(string phase) => WriteEvent(1, phase);

    [Event(2, Level = EventLevel.Informational)]
    public void PhaseStop(string phase) => WriteEvent(2, phase);
}
