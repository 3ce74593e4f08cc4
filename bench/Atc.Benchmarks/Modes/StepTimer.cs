using Atc.Runtime;
using Atc.Runtime.Profiling;

namespace Atc.Benchmarks.Modes;

/// <summary>One executed step of a gear: its node, the shapes it runs on, and the time it took over the timed runs.</summary>
public sealed record StepInfo(int Index, string NodeName, string OpType, string? Layout, int[][] InputDims, int[][] OutputDims)
{
    public long Ticks { get; set; }

    /// <summary>The fastest single run of the step: on a loaded machine the mean mostly measures the neighbours.</summary>
    public long MinTicks { get; set; } = long.MaxValue;
}

/// <summary>Per-step timing of this runtime through its supported hook (<see cref="InferenceSession.Profiler"/>).</summary>
public sealed class StepTimer : IRunProfiler, IDisposable
{
    private readonly InferenceSession _session;
    private readonly Dictionary<ProfiledStep, StepInfo> _steps = [];

    private StepTimer(InferenceSession session)
    {
        _session = session;
        session.Profiler = this;
    }

    /// <summary>Steps seen so far, in execution order.</summary>
    public IReadOnlyList<StepInfo> Steps => [.. _steps.Values.OrderBy(s => s.Index)];

    /// <summary>Times every step of <paramref name="session"/>'s runs until disposed.</summary>
    public static StepTimer Attach(InferenceSession session) => new(session);

    public void StepCompleted(ProfiledStep step, long elapsedTicks)
    {
        if (!_steps.TryGetValue(step, out var info))
            _steps[step] = info = new StepInfo(step.Index, step.NodeName, step.OpType, step.Layout, [.. step.InputShapes], [.. step.OutputShapes]);
        info.Ticks += elapsedTicks;
        info.MinTicks = Math.Min(info.MinTicks, elapsedTicks);
    }

    public void Reset()
    {
        foreach (var step in _steps.Values)
        {
            step.Ticks = 0;
            step.MinTicks = long.MaxValue;
        }
    }

    public void Dispose() => _session.Profiler = null;
}
