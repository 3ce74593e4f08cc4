using Atc.Runtime.Format;
using Atc.Runtime.Operators;

namespace Atc.Runtime.Execution;

/// <summary>
/// One gear made runnable: its kernels (created once, shared by every session), the operands of each step as value
/// ids, and the addresses of weights and folded values. Running only binds pointers and calls kernels.
/// </summary>
internal sealed partial class GearExecutor
{
    private readonly ModelGraph _graph;
    private readonly IKernel[] _kernels;
    private readonly int[] _operandStart;
    private readonly int[] _inputCount;
    private readonly int[] _outputCount;
    private readonly int[] _operands;
    private readonly nint[] _fixedPointers;
    private readonly int[] _outputCopies;
    private readonly bool[] _runsInline;   // steps too small to fork onto worker threads (StepWork)
    private readonly byte[] _foldedBlob;
    private readonly DynamicStepRunner?[] _dynamicSteps;   // per step: the dynamic region's runner, or null for a planned step

    public ExecutionPlan Plan { get; }
    /// <summary>Index in the signature's gears, or -1 for a shape planned on first use inside a range.</summary>
    public int GearIndex { get; }
    public long ScratchBytes { get; }
    public long[] OutputByteSizes { get; }
    public int[][] OutputShapes { get; }

    /// <summary>Output indices whose shape is known only after a run (their bytes are in the session's <see cref="DynamicValues"/>).</summary>
    public int[] DataDependentOutputs { get; }
    public bool HasDynamicRegion { get; }

    private GearExecutor(ModelGraph graph, ExecutionPlan plan, int gearIndex, IKernel[] kernels, DynamicStepRunner?[] dynamicSteps,
        byte[] foldedBlob, nint[] fixedPointers)
    {
        _dynamicSteps = dynamicSteps;
        HasDynamicRegion = dynamicSteps.Any(d => d is not null);
        _graph = graph;
        Plan = plan;
        GearIndex = gearIndex;
        _kernels = kernels;
        _foldedBlob = foldedBlob;
        _fixedPointers = fixedPointers;

        int steps = plan.Steps.Length;
        _operandStart = new int[steps];
        _inputCount = new int[steps];
        _outputCount = new int[steps];
        _runsInline = new bool[steps];
        var operands = new List<int>();
        for (int s = 0; s < steps; s++)
        {
            var node = graph.Nodes[plan.Steps[s]];
            _operandStart[s] = operands.Count;
            _inputCount[s] = node.Inputs.Length;
            _outputCount[s] = node.Outputs.Length;
            _runsInline[s] = dynamicSteps[s] is null && StepWork.RunsInline(node, plan);
            operands.AddRange(node.Inputs);
            operands.AddRange(node.Outputs);
            if (dynamicSteps[s] is null) ScratchBytes = Math.Max(ScratchBytes, kernels[s].ScratchBytes);
        }
        _operands = [.. operands];

        OutputShapes = [.. graph.Outputs.Select(v => plan.Values[v].Dims)];
        OutputByteSizes = [.. graph.Outputs.Select(v => plan.Values[v].ByteSize)];
        DataDependentOutputs = [.. Enumerable.Range(0, graph.Outputs.Length).Where(k => plan.Values[graph.Outputs[k]].IsDynamic)];
        _outputCopies = [.. Enumerable.Range(0, graph.Outputs.Length)
            .Where(k => !plan.Values[graph.Outputs[k]].IsDynamic)
            .Where(k => plan.Values[graph.Outputs[k]] is not { Kind: PlacementKind.Output } p || p.Offset != k)];
    }

    /// <summary>Creates every step's kernel, checking that the plan agrees with the operators' shape rules.</summary>
    /// <param name="prepacked">Prepacked weights of a node index (see <see cref="IPrepackedWeights"/>), or null.</param>
    /// <param name="derived">The model's cache of weights kernels derive at load (shared by its gears), or null.</param>
    public static GearExecutor Create(ModelGraph graph, ExecutionPlan plan, int gearIndex, OperatorResolver resolver,
        Func<int, IPrepackedWeights?>? prepacked = null, DerivedWeightCache? derived = null)
    {
        // Folded values live in one pinned block so that kernels can read them by address.
        long blobSize = 0;
        var foldedOffset = new long[plan.Values.Length];
        for (int v = 0; v < plan.Values.Length; v++)
        {
            if (plan.Values[v].Kind != PlacementKind.Folded) continue;
            foldedOffset[v] = blobSize;
            blobSize = ArenaAllocator.Align(blobSize + plan.Values[v].ByteSize);
        }
        if (blobSize > Array.MaxLength)
            throw new OmFormatException($"gear {gearIndex}: its folded values need {blobSize} bytes, more than one block of this runtime holds ({Array.MaxLength})");
        var blob = GC.AllocateArray<byte>((int)blobSize, pinned: true);
        nint blobAddress = ExecutionPlanner.AddressOf(blob);
        var fixedPointers = new nint[plan.Values.Length];
        for (int v = 0; v < plan.Values.Length; v++)
        {
            var p = plan.Values[v];
            if (p.Kind == PlacementKind.Folded)
            {
                p.Folded!.Bytes.Span.CopyTo(blob.AsSpan((int)foldedOffset[v]));
                fixedPointers[v] = blobAddress + (nint)foldedOffset[v];
            }
            else if (p.Kind == PlacementKind.Weights && graph.Constants[(int)p.Offset] is { } c && !DroppedWeights.IsDropped(c))
                fixedPointers[v] = FixedMemory.AddressOf(c.Bytes);
            // A constant stored only prepacked has no raw bytes: its readers use their prepacked blobs, never this pointer.
        }

        string shapes = graph.DescribeShapes(plan.InputShapes);
        var kernels = new IKernel[plan.Steps.Length];
        var dynamicSteps = new DynamicStepRunner?[plan.Steps.Length];
        for (int s = 0; s < kernels.Length; s++)
        {
            var node = graph.Nodes[plan.Steps[s]];
            if (plan.IsDynamicStep(graph, s))
            {
                // Shapes known only when it runs: the kernel is made then (DynamicStepRunner).
                var op = resolver(node.OpType)
                    ?? throw new OmFormatException($"node '{node.Name}' uses operator '{node.OpType}', which this runtime does not implement");
                var blobs = prepacked?.Invoke(plan.Steps[s]);
                var served = blobs is LoadedPrepackedWeights loaded ? new ServedPrepackedWeights(loaded) : null;
                dynamicSteps[s] = new DynamicStepRunner(graph, plan, plan.Steps[s], op, (IPrepackedWeights?)served ?? blobs, derived?.ForNode(plan.Steps[s]));
                kernels[s] = NoKernel.Instance;
                continue;
            }
            kernels[s] = CreateKernel(graph, plan, node, resolver, shapes, prepacked?.Invoke(plan.Steps[s]), derived?.ForNode(plan.Steps[s]));
        }
        return new GearExecutor(graph, plan, gearIndex, kernels, dynamicSteps, blob, fixedPointers);
    }

    private static IKernel CreateKernel(ModelGraph graph, ExecutionPlan plan, GraphNode node, OperatorResolver resolver, string shapes,
        IPrepackedWeights? prepacked, NodeDerivedWeights? derived)
    {
        var op = resolver(node.OpType)
            ?? throw new OmFormatException($"node '{node.Name}' uses operator '{node.OpType}', which this runtime does not implement");
        var inputTypes = new TensorType?[node.Inputs.Length];
        var inputValues = new TensorData?[node.Inputs.Length];
        for (int j = 0; j < node.Inputs.Length; j++)
        {
            int id = node.Inputs[j];
            if (id < 0) continue;
            var p = plan.Values[id];
            inputTypes[j] = new TensorType(p.Type, p.Dims);
            inputValues[j] = p.Kind == PlacementKind.Folded ? p.Folded : graph.Constants[id];
        }
        var served = prepacked is LoadedPrepackedWeights loaded ? new ServedPrepackedWeights(loaded) : null;
        var context = new OpContext(node.Name, node.OpType, node.Attributes, inputTypes, inputValues, node.Outputs.Length)
        {
            Prepacked = (IPrepackedWeights?)served ?? prepacked,
            Derived = derived,
        };
        TensorType[] inferred;
        try
        {
            inferred = op.InferOutputs(context);
        }
        catch (OmFormatException e)
        {
            throw e.NodeName is null ? OmFormatException.AtNode(node.Name, node.OpType, e.Detail) : e;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw OmFormatException.AtNode(node.Name, node.OpType, $"rejects the planned shapes {shapes}: {e.Message}");
        }
        var planned = node.Outputs.Select(o => new TensorType(plan.Values[o].Type, plan.Values[o].Dims)).ToArray();
        if (inferred is null || !inferred.SequenceEqual(planned))
            throw OmFormatException.AtNode(node.Name, node.OpType, $"the plan says outputs {string.Join(", ", planned.Select(t => t.ToString()))}"
                + $" but the operator infers {string.Join(", ", inferred?.Select(t => t?.ToString()) ?? [])}");
        IKernel kernel;
        try
        {
            kernel = op.CreateKernel(context, planned);
        }
        catch (OmFormatException e)
        {
            // Raw weights the file left out (stored only prepacked) that this runtime's kernel needs.
            throw e.NodeName is null ? OmFormatException.AtNode(node.Name, node.OpType, e.Detail) : e;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new PlanningException(node.Name, node.OpType, shapes, e.Message);
        }
        // A constant the file stores only prepacked has no raw bytes: its reader must have taken its blob.
        for (int j = 0; j < node.Inputs.Length; j++)
            if (inputValues[j] is { } c && DroppedWeights.IsDropped(c) && (served is null || !served.Served(j)))
                throw OmFormatException.AtNode(node.Name, node.OpType, $"reads input {j} ('{graph.Values[node.Inputs[j]].Name}') raw, "
                    + "but the file stores it only prepacked");
        return kernel;
    }

    private void RunStep(int s, ReadOnlySpan<nint> operandPointers, ReadOnlySpan<nint> valuePointers, nint scratch, IWorkerPool pool,
        DynamicValues? dynamicValues, CancellationToken cancellation)
    {
        if (_dynamicSteps[s] is { } dynamic)
        {
            dynamic.Run(valuePointers, dynamicValues ?? throw new InvalidOperationException("a dynamic region runs without its storage"), pool, cancellation);
            return;
        }
        int start = _operandStart[s], inCount = _inputCount[s];
        _kernels[s].Run(new KernelArgs(operandPointers.Slice(start, inCount), operandPointers.Slice(start + inCount, _outputCount[s]), scratch,
            _runsInline[s] ? InlineWorkerPool.Instance : pool, cancellation));
    }

    /// <summary>The kernel slot of a dynamic-region step (its kernels are made per run shape by <see cref="DynamicStepRunner"/>).</summary>
    private sealed class NoKernel : IKernel
    {
        public static readonly NoKernel Instance = new();
        public long ScratchBytes => 0;
        public void Run(in KernelArgs args) => throw new InvalidOperationException("a dynamic-region step has no planned kernel");
    }

    /// <summary>Whether step <paramref name="step"/> runs on the calling thread whatever the session's thread count (tests).</summary>
    internal bool RunsInline(int step) => _runsInline[step];

    /// <summary>Operand slots of all steps together: each step's inputs, then its outputs, in step order.</summary>
    public int OperandCount => _operands.Length;

    /// <summary>
    /// Resolves the address of every value and every step's operand pointers for a session's buffers. A session binds
    /// when it runs another gear or a buffer has moved; the runs in between reuse the pointers.
    /// </summary>
    public void Bind(nint arena, ReadOnlySpan<nint> inputs, ReadOnlySpan<nint> outputs, Span<nint> valuePointers, Span<nint> operandPointers)
    {
        var values = Plan.Values;
        for (int v = 0; v < values.Length; v++)
        {
            var p = values[v];
            valuePointers[v] = p.Kind switch
            {
                PlacementKind.Arena => arena + (nint)p.Offset,
                PlacementKind.Input => inputs[(int)p.Offset],
                PlacementKind.Output => outputs[(int)p.Offset],
                _ => _fixedPointers[v],
            };
        }
        for (int i = 0; i < _operands.Length; i++)
        {
            int id = _operands[i];
            operandPointers[i] = id < 0 ? 0 : valuePointers[id];
        }
    }

    /// <summary>
    /// Runs every step on pointers made by <see cref="Bind"/> (<paramref name="operandPointers"/>,
    /// <paramref name="valuePointers"/>) for the same buffers, so a run allocates and resolves nothing.
    /// A cancelled <paramref name="cancellation"/> stops the run before the next step (one volatile read per step).
    /// </summary>
    /// <param name="dynamicValues">The session's storage for the dynamic region; required when <see cref="HasDynamicRegion"/>.</param>
    public unsafe void Run(ReadOnlySpan<nint> operandPointers, ReadOnlySpan<nint> valuePointers, ReadOnlySpan<nint> outputs,
        nint scratch, IWorkerPool pool, CancellationToken cancellation = default, DynamicValues? dynamicValues = null)
    {
        var kernels = _kernels;
        dynamicValues?.BeginRun();
        for (int s = 0; s < kernels.Length; s++)
        {
            cancellation.ThrowIfCancellationRequested();
            RunStep(s, operandPointers, valuePointers, scratch, pool, dynamicValues, cancellation);
        }

        foreach (int k in _outputCopies)
        {
            long bytes = OutputByteSizes[k];
            Buffer.MemoryCopy((void*)valuePointers[_graph.Outputs[k]], (void*)outputs[k], bytes, bytes);
        }
        GC.KeepAlive(_foldedBlob);
    }
}
