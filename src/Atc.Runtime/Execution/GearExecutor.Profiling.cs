using System.Diagnostics;
using Atc.Runtime.Operators;
using Atc.Runtime.Profiling;

namespace Atc.Runtime.Execution;

/// <summary>The profiled twin of <see cref="Run"/>: a separate loop, so a run without a profiler pays nothing.</summary>
internal sealed partial class GearExecutor
{
    private ProfiledStep[]? _profiledSteps;

    /// <summary>What every step runs, for profilers; made on the first profiled run.</summary>
    public ProfiledStep[] ProfiledSteps => _profiledSteps ??= DescribeSteps();

    public unsafe void RunProfiled(ReadOnlySpan<nint> operandPointers, ReadOnlySpan<nint> valuePointers, ReadOnlySpan<nint> outputs,
        nint scratch, IWorkerPool pool, IRunProfiler profiler, CancellationToken cancellation = default, DynamicValues? dynamicValues = null)
    {
        var kernels = _kernels;
        var steps = ProfiledSteps;
        dynamicValues?.BeginRun();
        for (int s = 0; s < kernels.Length; s++)
        {
            cancellation.ThrowIfCancellationRequested();
            long begin = Stopwatch.GetTimestamp();
            RunStep(s, operandPointers, valuePointers, scratch, pool, dynamicValues, cancellation);
            profiler.StepCompleted(steps[s], Stopwatch.GetTimestamp() - begin);
        }

        foreach (int k in _outputCopies)
        {
            long bytes = OutputByteSizes[k];
            Buffer.MemoryCopy((void*)valuePointers[_graph.Outputs[k]], (void*)outputs[k], bytes, bytes);
        }
        GC.KeepAlive(_foldedBlob);
    }

    private ProfiledStep[] DescribeSteps()
    {
        var steps = new ProfiledStep[_kernels.Length];
        for (int s = 0; s < steps.Length; s++)
        {
            var node = _graph.Nodes[Plan.Steps[s]];
            int[] Dims(int value) => value < 0 ? [] : Plan.Values[value].Dims;
            string? layout = node.Attributes.GetString("layout", "") is { Length: > 0 } l ? l : null;
            string kernel = _dynamicSteps[s] is null ? _kernels[s].GetType().Name : "DynamicStepRunner";
            steps[s] = new ProfiledStep(GearIndex, s, node.Name, node.OpType, kernel, layout,
                [.. node.Inputs.Select(Dims)], [.. node.Outputs.Select(Dims)]);
        }
        return steps;
    }
}
