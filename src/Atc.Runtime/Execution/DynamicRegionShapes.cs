using Atc.Runtime.Operators;

namespace Atc.Runtime.Execution;

/// <summary>
/// The planner's view of a gear's dynamic region: which values are sized only at run time and what is known of them
/// beforehand. Their element type and rank come from running the shape rules twice on stand-in sizes (two different
/// primes for every data-dependent dim, as <c>BatchProbeShapes</c> does for the batch): a dim that comes out the same
/// both times is exact, one that follows the stand-ins is data-dependent (-1). Nothing planned is sized from them.
/// </summary>
internal sealed class DynamicRegionShapes(ModelGraph graph, TensorType?[] types, TensorData?[] known)
{
    private const int ProbeA = 7919, ProbeB = 7907;

    private readonly bool[] _dynamic = new bool[graph.Values.Length];
    private readonly TensorType?[] _probeA = new TensorType?[graph.Values.Length];
    private readonly TensorType?[] _probeB = new TensorType?[graph.Values.Length];
    private readonly (DataType Type, int[] Dims)[] _declared = new (DataType, int[])[graph.Values.Length];

    public bool IsDynamic(int value) => value >= 0 && _dynamic[value];

    public bool ReadsDynamic(GraphNode node) => node.Inputs.Any(IsDynamic);

    public bool IsDynamicNode(GraphNode node) => node.Outputs.Any(IsDynamic);

    /// <summary>Element type and dims (-1 where data-dependent, <see cref="ValuePlacement.UnknownRank"/> when even the rank is).</summary>
    public (DataType Type, int[] Dims) Declared(int value) => _declared[value];

    /// <summary>Puts a node (and so its outputs) in the dynamic region.</summary>
    public void Add(GraphNode node, IOperator op)
    {
        var a = Probe(node, op, _probeA, ProbeA);
        var b = Probe(node, op, _probeB, ProbeB);
        for (int j = 0; j < node.Outputs.Length; j++)
        {
            int o = node.Outputs[j];
            if (o < 0) continue;
            _dynamic[o] = true;
            _probeA[o] = a?[j];
            _probeB[o] = b?[j];
            var declaredType = graph.Values[o].Type;
            if (a?[j] is { } ta && b?[j] is { } tb && ta.Type == tb.Type && ta.Rank == tb.Rank)
                _declared[o] = (declaredType == DataType.Undefined ? ta.Type : declaredType,
                    [.. ta.Dims.Select((d, i) => d == tb.Dims[i] ? d : -1)]);
            else
                _declared[o] = (declaredType == DataType.Undefined && a?[j] is { } t ? t.Type : declaredType, ValuePlacement.UnknownRank);
        }
    }

    /// <summary>The node's outputs with every dynamic input at its stand-in size; null when the rule cannot tell.</summary>
    private TensorType?[]? Probe(GraphNode node, IOperator op, TensorType?[] probes, int probe)
    {
        var inputTypes = new TensorType?[node.Inputs.Length];
        var inputValues = new TensorData?[node.Inputs.Length];
        for (int j = 0; j < node.Inputs.Length; j++)
        {
            int id = node.Inputs[j];
            if (id < 0) continue;
            inputTypes[j] = _dynamic[id] ? probes[id] : types[id];
            if (inputTypes[j] is null) return null;
            if (!_dynamic[id]) inputValues[j] = known[id];
        }
        var context = new OpContext(node.Name, node.OpType, node.Attributes, inputTypes, inputValues, node.Outputs.Length);
        try
        {
            if (op is IDataDependentOperator dataDependent)
            {
                var bounds = dataDependent.InferBounds(context, out var dependent);
                return [.. bounds.Select((t, j) => t with { Dims = [.. t.Dims.Select((d, i) => dependent[j][i] ? probe : d)] })];
            }
            var outputs = op.InferOutputs(context);
            return outputs.Length == node.Outputs.Length ? outputs : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;   // e.g. a Reshape to a computed shape: the rank is learnt when it runs
        }
    }
}
