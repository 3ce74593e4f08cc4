using System.Diagnostics;
using System.Reflection;
using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Benchmarks.Modes;

/// <summary>One executed step of a gear: its node, the shapes it runs on, and the time it took over the timed runs.</summary>
public sealed record StepInfo(int Index, string NodeName, string OpType, OpAttributes Attributes, int[][] InputDims, int[][] OutputDims)
{
    public long Ticks { get; set; }
}

/// <summary>
/// Per-step timing of this runtime without a runtime hook: the gear's kernels (public <see cref="IKernel"/>s held
/// in an internal array) are swapped for wrappers that time each call, then swapped back. It reads internal members
/// of Atc.Runtime by name, so it is for the opt-in --profile mode only, and says plainly when those have changed.
/// </summary>
public sealed class StepTimer : IDisposable
{
    private const BindingFlags Any = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
    private readonly IKernel[] _kernels;
    private readonly IKernel[] _originals;

    private StepTimer(IKernel[] kernels, StepInfo[] steps)
    {
        _kernels = kernels;
        _originals = [.. kernels];
        Steps = steps;
        for (int s = 0; s < kernels.Length; s++) kernels[s] = new TimedKernel(kernels[s], steps[s]);
    }

    public IReadOnlyList<StepInfo> Steps { get; }

    /// <summary>Instruments the gear <paramref name="gearIndex"/> of <paramref name="model"/> (shared by its sessions).</summary>
    public static StepTimer Attach(InferenceModel model, int gearIndex)
    {
        try
        {
            var executor = typeof(InferenceModel).GetMethod("Gear", Any)!.Invoke(model, [gearIndex])!;
            var kernels = (IKernel[])Field(executor, "_kernels");
            var plan = Property(executor, "Plan");
            var stepNodes = (int[])Property(plan, "Steps");
            var placements = (Array)Property(plan, "Values");
            var nodes = (Array)Property(Field(executor, "_graph"), "Nodes");
            int[] Dims(int id) => id < 0 ? [] : (int[])Property(placements.GetValue(id)!, "Dims");
            var steps = stepNodes.Select((n, s) =>
            {
                var node = nodes.GetValue(n)!;
                return new StepInfo(s, (string)Property(node, "Name"), (string)Property(node, "OpType"),
                    (OpAttributes)Property(node, "Attributes"),
                    [.. ((int[])Property(node, "Inputs")).Select(Dims)], [.. ((int[])Property(node, "Outputs")).Select(Dims)]);
            }).ToArray();
            if (steps.Length != kernels.Length) throw new InvalidOperationException($"{steps.Length} steps but {kernels.Length} kernels");
            return new StepTimer(kernels, steps);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidCastException or TargetInvocationException or InvalidOperationException or MissingMemberException)
        {
            throw new InvalidOperationException("--profile reads Atc.Runtime internals (InferenceModel.Gear, GearExecutor._kernels/Plan/_graph, "
                + $"ExecutionPlan.Steps/Values) and they have changed: {e.GetType().Name}: {e.Message}. Update Modes/StepTimer.cs.", e);
        }
    }

    public void Reset()
    {
        foreach (var step in Steps) step.Ticks = 0;
    }

    public void Dispose() => _originals.CopyTo(_kernels, 0);

    private static object Field(object target, string name)
        => (target.GetType().GetField(name, Any) ?? throw new MissingFieldException(target.GetType().Name, name)).GetValue(target)!;

    private static object Property(object target, string name)
        => (target.GetType().GetProperty(name, Any) ?? throw new MissingMemberException(target.GetType().Name, name)).GetValue(target)!;

    private sealed class TimedKernel(IKernel inner, StepInfo step) : IKernel
    {
        public long ScratchBytes => inner.ScratchBytes;

        public void Run(in KernelArgs args)
        {
            long start = Stopwatch.GetTimestamp();
            inner.Run(args);
            step.Ticks += Stopwatch.GetTimestamp() - start;
        }
    }
}
