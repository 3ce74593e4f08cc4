using System.Diagnostics.Tracing;
using Atc.Runtime;
using Atc.Runtime.Diagnostics;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Diagnostics;

/// <summary>Load and CreateSession mark their phases (what `bench --first-run --breakdown` times), each started and
/// stopped on the loading thread, in the order Load runs them.</summary>
public class LoadPhaseEventTests
{
    private static readonly Lazy<byte[]> TwoTowerOm = new(() => CompiledOm.FromOnnx(OnnxSmallModels.TwoTower(), "two_tower", 1, 2));

    [Fact]
    public void LoadAndCreateSessionReportEveryPhaseInOrder()
    {
        using var listener = new PhaseRecorder(Environment.CurrentManagedThreadId);
        var model = InferenceModel.Load(TwoTowerOm.Value);
        using var session = model.CreateSession();
        string[] phases = [LoadPhase.Container, LoadPhase.Protobuf, LoadPhase.GraphAndPlans, LoadPhase.OperatorLookup,
            LoadPhase.PrepackedWeights, LoadPhase.Kernels, LoadPhase.WarmUp, LoadPhase.SessionBuffers];
        Assert.Equal(phases.SelectMany(p => new[] { "start " + p, "stop " + p }), listener.Events);
    }

    /// <summary>Events of one thread only: other tests load models in parallel in this process.</summary>
    private sealed class PhaseRecorder(int threadId) : EventListener
    {
        private readonly List<string> _events = [];

        public IReadOnlyList<string> Events { get { lock (_events) return [.. _events]; } }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Atc-Runtime-Load") EnableEvents(eventSource, EventLevel.Informational);
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (Environment.CurrentManagedThreadId != threadId || eventData.Payload is not [string phase]) return;
            string kind = eventData.EventName == "PhaseStart" ? "start " : "stop ";
            lock (_events) _events.Add(kind + phase);
        }
    }
}
