namespace Atc.Runtime.Profiling;

/// <summary>
/// Receives the time of every step of a run when set as <see cref="InferenceSession.Profiler"/>. Called on the
/// session's thread, in step order; keep it cheap, its own time is not part of the step's.
/// </summary>
public interface IRunProfiler
{
    /// <summary>One step has finished.</summary>
    /// <param name="step">What ran (the same instance for the same step of the same gear, so it can be a dictionary key).</param>
    /// <param name="elapsedTicks">Its wall time in <see cref="System.Diagnostics.Stopwatch"/> ticks.</param>
    void StepCompleted(ProfiledStep step, long elapsedTicks);
}
