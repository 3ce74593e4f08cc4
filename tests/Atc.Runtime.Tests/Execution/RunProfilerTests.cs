using Atc.Compiler.Emit;
using Atc.Runtime;
using Atc.Runtime.Profiling;

namespace Atc.Tests.Execution;

/// <summary>InferenceSession.Profiler: every step of every run is reported with its node, operator and kernel.</summary>
public class RunProfilerTests
{
    private readonly TestOperators _ops = new();

    private InferenceModel BatchModel() => InferenceModel.Load(OmWriter.Write(
        TestOm.Compile(TestOm.SmallGraph(), _ops.Resolver, [[[1, 4]], [[2, 4]]], ModelGearKind.Batch, [[1], [2]])), _ops.Resolver);

    private sealed class Recorder : IRunProfiler
    {
        public List<(ProfiledStep Step, long Ticks)> Calls { get; } = [];

        public void StepCompleted(ProfiledStep step, long elapsedTicks) => Calls.Add((step, elapsedTicks));
    }

    [Fact]
    public void ReportsEveryStepOfEveryRunInOrderAndNothingWhenRemoved()
    {
        using var session = BatchModel().CreateSession();
        var recorder = new Recorder();
        session.SetInput<float>("x", [1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
        session.Run();
        var unprofiled = session.GetOutput<float>(0).ToArray();

        session.Profiler = recorder;
        session.Run();
        session.Run();
        Assert.Equal(unprofiled, session.GetOutput<float>(0).ToArray()); // same results with the hook on
        int steps = recorder.Calls.Count / 2;
        Assert.True(steps > 0);
        Assert.Equal(2 * steps, recorder.Calls.Count);
        for (int s = 0; s < steps; s++)
        {
            var (step, ticks) = recorder.Calls[s];
            Assert.Equal(s, step.Index);
            Assert.Equal(1, step.GearIndex);
            Assert.False(string.IsNullOrEmpty(step.NodeName));
            Assert.False(string.IsNullOrEmpty(step.OpType));
            Assert.EndsWith("Kernel", step.KernelName);
            Assert.True(ticks >= 0);
            Assert.Same(step, recorder.Calls[steps + s].Step); // the same instance per step: usable as a key
        }
        Assert.Equal([2, 4], recorder.Calls[0].Step.InputShapes[0]);

        session.Profiler = null;
        session.Run();
        Assert.Equal(2 * steps, recorder.Calls.Count);
    }
}
