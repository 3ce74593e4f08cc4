using System.Collections.Concurrent;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;

namespace Atc.Runtime.Operators.ControlFlow;

/// <summary>
/// A planned body made runnable: a nested <see cref="GearExecutor"/> (its own steps and kernels) whose arena, scratch
/// and pointer tables live in the calling kernel's scratch memory, so one executor serves every session and a run
/// allocates nothing. Outputs a body computes in its dynamic region (a Slice at a computed offset) are copied to the
/// caller's buffer once their actual type is checked against the type the node planned.
/// </summary>
internal sealed class SubgraphExecutor
{
    private readonly string _name;
    private readonly ModelGraph _graph;
    private readonly GearExecutor _executor;
    private readonly TensorType[] _outputTypes;
    private readonly long _arenaBytes, _innerScratchBytes, _valueTableBytes;
    private readonly ConcurrentBag<DynamicValues>? _dynamicStorage;

    public SubgraphExecutor(string name, ModelGraph graph, ExecutionPlan plan, TensorType[] outputTypes)
    {
        _name = name;
        _graph = PinnedConstants(graph);
        _executor = GearExecutor.Create(_graph, plan, -1, OperatorResolvers.Registry);
        _outputTypes = outputTypes;
        _arenaBytes = ArenaAllocator.Align(plan.ArenaSize);
        _innerScratchBytes = ArenaAllocator.Align(_executor.ScratchBytes);
        _valueTableBytes = ArenaAllocator.Align((long)plan.Values.Length * sizeof(long));
        ScratchBytes = _arenaBytes + _innerScratchBytes + _valueTableBytes + ArenaAllocator.Align((long)_executor.OperandCount * sizeof(long));
        if (_executor.HasDynamicRegion) _dynamicStorage = [];
    }

    /// <summary>Bytes of the caller's scratch one run of the body takes.</summary>
    public long ScratchBytes { get; }

    /// <summary>Runs the body once on <paramref name="inputs"/>, writing <paramref name="outputs"/> (one pointer per body
    /// output, each holding the output's planned type). A cancelled <paramref name="cancellation"/> stops it between steps.</summary>
    public unsafe void Run(nint scratch, ReadOnlySpan<nint> inputs, ReadOnlySpan<nint> outputs, IWorkerPool pool, CancellationToken cancellation)
    {
        nint arena = scratch, inner = scratch + (nint)_arenaBytes;
        var values = new Span<nint>((void*)(inner + (nint)_innerScratchBytes), _executor.Plan.Values.Length);
        var operands = new Span<nint>((void*)(inner + (nint)_innerScratchBytes + (nint)_valueTableBytes), _executor.OperandCount);
        _executor.Bind(arena, inputs, outputs, values, operands);
        if (_dynamicStorage is null)
        {
            _executor.Run(operands, values, outputs, inner, pool, cancellation);
            return;
        }
        if (!_dynamicStorage.TryTake(out var dynamic)) dynamic = new DynamicValues(_executor.Plan.Values.Length, null);
        try
        {
            _executor.Run(operands, values, outputs, inner, pool, cancellation, dynamic);
            foreach (int k in _executor.DataDependentOutputs) CopyDynamicOutput(dynamic, k, outputs[k]);
        }
        finally
        {
            _dynamicStorage.Add(dynamic);
        }
    }

    private unsafe void CopyDynamicOutput(DynamicValues dynamic, int output, nint destination)
    {
        int id = _graph.Outputs[output];
        var actual = dynamic.Type(id);
        if (!actual.Equals(_outputTypes[output]))
            throw RuntimeErrors.ControlFlowShapeChanged(_name, output, _outputTypes[output].ToString(), actual.ToString());
        long bytes = actual.ByteCount;
        Buffer.MemoryCopy((void*)dynamic.Pointer(id), (void*)destination, bytes, bytes);
    }

    /// <summary>Kernels read weights by address: the body's constants are copied once into pinned arrays.</summary>
    private static ModelGraph PinnedConstants(ModelGraph graph)
    {
        var constants = new TensorData?[graph.Constants.Length];
        for (int v = 0; v < constants.Length; v++)
        {
            if (graph.Constants[v] is not { } c) continue;
            var pinned = GC.AllocateArray<byte>(c.Bytes.Length, pinned: true);
            c.Bytes.Span.CopyTo(pinned);
            constants[v] = new TensorData(c.Type, c.Dims, pinned);
        }
        return new ModelGraph(graph.Values, graph.Nodes, graph.Inputs, graph.Outputs, constants);
    }
}
