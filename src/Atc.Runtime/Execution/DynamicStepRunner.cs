using System.Collections.Concurrent;
using System.Text;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Runtime.Execution;

/// <summary>
/// Runs one step of a gear's dynamic region. Its input shapes (and, for Reshape, Expand, Range, Tile, TopK and the
/// like, the small shape-like input values) are those of this run, so the shape rule runs and the kernel is made
/// here; kernels are cached by those shapes and values, so a repeated shape costs one dictionary lookup. Outputs of
/// an <see cref="IDataDependentOperator"/> get buffers of the bound its inputs give and the kernel reports the actual
/// shape; every other output is sized exactly. Shared by every session of the model (the cache is concurrent).
/// </summary>
internal sealed class DynamicStepRunner(ModelGraph graph, ExecutionPlan plan, int nodeIndex, IOperator op,
    IPrepackedWeights? prepacked, NodeDerivedWeights? derived)
{
    /// <summary>Run-time values read for shape rules: shape-like tensors are small; a larger one is data, never a shape.</summary>
    private const int MaxValueElements = 64;
    private const int MaxCachedKernels = 64;

    private readonly GraphNode _node = graph.Nodes[nodeIndex];
    private readonly ConcurrentDictionary<string, IKernel> _kernels = new(StringComparer.Ordinal);
    private volatile bool _readsValues;   // learnt on the first run whose shape rule asked for a computed value

    public GraphNode Node => _node;

    public unsafe void Run(ReadOnlySpan<nint> valuePointers, DynamicValues state, IWorkerPool pool, CancellationToken cancellation = default)
    {
        int inCount = _node.Inputs.Length, outCount = _node.Outputs.Length;
        var inputTypes = new TensorType?[inCount];
        var inputValues = new TensorData?[inCount];
        Span<nint> pointers = stackalloc nint[inCount + outCount];
        for (int j = 0; j < inCount; j++)
        {
            int id = _node.Inputs[j];
            if (id < 0) continue;
            var p = plan.Values[id];
            if (p.IsDynamic)
            {
                inputTypes[j] = state.Type(id);
                pointers[j] = state.Pointer(id);
            }
            else
            {
                inputTypes[j] = new TensorType(p.Type, p.Dims);
                pointers[j] = valuePointers[id];
                inputValues[j] = p.Kind == PlacementKind.Folded ? p.Folded : p.Kind == PlacementKind.Weights ? graph.Constants[id] : null;
            }
        }

        TensorType[] outputs;
        OpContext context;
        try
        {
            if (_readsValues) ReadValues(inputTypes, inputValues, pointers);
            context = Context(inputTypes, inputValues);
            try
            {
                outputs = Infer(context);
            }
            catch (DataDependentShapeException) when (!_readsValues)
            {
                _readsValues = true;
                ReadValues(inputTypes, inputValues, pointers);
                context = Context(inputTypes, inputValues);
                outputs = Infer(context);
            }
        }
        catch (Exception e) when (e is ShapeException or ArgumentException or InvalidOperationException or OverflowException)
        {
            throw RuntimeErrors.DataDependentShapeInvalid(_node.Name, _node.OpType, Describe(inputTypes), e.Message);
        }

        var kernel = KernelFor(context, inputTypes, inputValues, outputs);
        for (int j = 0; j < outCount; j++)
        {
            int o = _node.Outputs[j];
            pointers[inCount + j] = o < 0 ? 0 : state.Reserve(o, outputs[j].ByteCount);
        }
        nint scratch = kernel.ScratchBytes > 0 ? state.Scratch(kernel.ScratchBytes) : 0;
        var args = new KernelArgs(pointers[..inCount], pointers.Slice(inCount, outCount), scratch, pool, cancellation);
        if (kernel is IDataDependentKernel dataDependent)
        {
            var actual = outputs.Select(t => t.Dims.ToArray()).ToArray();
            dataDependent.Run(args, actual);
            for (int j = 0; j < outCount; j++) outputs[j] = outputs[j] with { Dims = actual[j] };
        }
        else
            kernel.Run(args);
        for (int j = 0; j < outCount; j++)
            if (_node.Outputs[j] is int o and >= 0) state.SetType(o, outputs[j]);
    }

    private OpContext Context(TensorType?[] inputTypes, TensorData?[] inputValues)
        => new(_node.Name, _node.OpType, _node.Attributes, inputTypes, inputValues, _node.Outputs.Length) { Prepacked = prepacked, Derived = derived };

    private TensorType[] Infer(OpContext context)
    {
        var outputs = op is IDataDependentOperator dataDependent ? dataDependent.InferBounds(context, out _) : op.InferOutputs(context);
        if (outputs.Length != _node.Outputs.Length)
            throw new ShapeException($"the operator produced {outputs.Length} output types for {_node.Outputs.Length} outputs");
        foreach (var t in outputs)
            if (t.Dims.Any(d => d < 0) || Shape.TryElementCount(t.Dims) is not { } n || n > int.MaxValue)
                throw new ShapeException($"the output {t} is not a tensor this runtime can hold");
        return outputs;
    }

    /// <summary>Small computed inputs become known values for the shape rule (a Reshape's shape, Range's limit, TopK's k).</summary>
    private static unsafe void ReadValues(TensorType?[] inputTypes, TensorData?[] inputValues, ReadOnlySpan<nint> pointers)
    {
        for (int j = 0; j < inputTypes.Length; j++)
        {
            if (inputTypes[j] is not { } t || inputValues[j] is not null || t.ElementCount > MaxValueElements) continue;
            var bytes = new ReadOnlySpan<byte>((void*)pointers[j], (int)t.ByteCount).ToArray();
            inputValues[j] = new TensorData(t.Type, [.. t.Dims], bytes);
        }
    }

    private IKernel KernelFor(OpContext context, TensorType?[] inputTypes, TensorData?[] inputValues, TensorType[] outputs)
    {
        var key = new StringBuilder();
        for (int j = 0; j < inputTypes.Length; j++)
        {
            key.Append(inputTypes[j]?.ToString() ?? "-");
            // Values read at run time decide the kernel too; weights and folded values are the same for every run.
            if (inputValues[j] is { } v && !IsPlannedValue(j)) key.Append('=').Append(Convert.ToHexString(v.Bytes.Span));
            key.Append(';');
        }
        string k = key.ToString();
        if (_kernels.TryGetValue(k, out var cached)) return cached;
        IKernel kernel;
        try
        {
            kernel = op.CreateKernel(context, outputs);
        }
        catch (Exception e) when (e is ShapeException or ArgumentException or NotSupportedException)
        {
            throw RuntimeErrors.DataDependentShapeInvalid(_node.Name, _node.OpType, Describe(inputTypes), e.Message);
        }
        if (_kernels.Count >= MaxCachedKernels) _kernels.Clear();   // data that changes the shape every run: stay bounded
        _kernels[k] = kernel;
        return kernel;
    }

    private bool IsPlannedValue(int input)
        => _node.Inputs[input] is int id and >= 0 && plan.Values[id].Kind is PlacementKind.Folded or PlacementKind.Weights;

    private static string Describe(TensorType?[] types) => string.Join(", ", types.Select(t => t?.ToString() ?? "none"));
}
