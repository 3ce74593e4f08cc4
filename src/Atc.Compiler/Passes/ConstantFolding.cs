using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Passes;

/// <summary>
/// Evaluates at compile time every node whose inputs are all constants and whose operator the runtime implements,
/// with the runtime's own shape rule and kernel; its outputs become constants under the same names. A node stays
/// when an output is a graph output (a constant output has no step to write it), when the outputs would be large,
/// when an operator only broadcasts a few bytes into many (storing the result would bloat the model for nothing),
/// or when evaluation fails (the planner then reports the problem with the gear).
/// </summary>
public sealed class ConstantFolding : IGraphPass
{
    public const string NodesFolded = "nodes folded";
    public const string SkippedTooLarge = "skipped (output too large)";
    public const string SkippedFailed = "skipped (evaluation failed)";
    public const string SkippedUnbounded = "skipped (unbounded work)";

    private readonly Func<string, IOperator?> _lookup;
    private readonly long _maxOutputBytes;

    /// <param name="lookup">Finds the operator for an op type; the runtime's registry by default (tests pass their own).</param>
    /// <param name="maxOutputBytes">Nodes whose outputs would take more bytes than this are not folded.</param>
    internal ConstantFolding(Func<string, IOperator?>? lookup = null, long maxOutputBytes = ConstantEvaluator.MaxOutputBytes)
    {
        _lookup = lookup ?? (opType => OperatorRegistry.TryGet(opType, out var op) ? op : null);
        _maxOutputBytes = maxOutputBytes;
    }

    public string Name => nameof(ConstantFolding);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        var outputs = new HashSet<Value>(graph.Outputs, ReferenceEqualityComparer.Instance);
        var folded = new HashSet<Node>(ReferenceEqualityComparer.Instance);

        // In topological order a folded node's outputs are constants by the time its readers are visited.
        foreach (var node in graph.Nodes)
        {
            if (!IsCandidate(node, outputs) || _lookup(node.OpType) is not { } op) continue;
            if (TryFold(node, op, result)) folded.Add(node);
        }

        graph.Nodes.RemoveAll(folded.Contains);
        result.Add(NodesFolded, folded.Count);
        return result.Complete(graph);
    }

    private static bool IsCandidate(Node node, HashSet<Value> graphOutputs)
        => node.OpType != OpTypes.Identity   // bypassed by IdentityElimination; folding would copy the weights
           && node.Outputs.Count > 0
           && node.Inputs.Any(v => v is not null)
           && node.Inputs.All(v => v is null || v.IsConstant)
           && !node.Outputs.Any(graphOutputs.Contains);

    private bool TryFold(Node node, IOperator op, PassResult result)
    {
        var constants = node.Inputs.Select(v => v?.Constant).ToArray();
        var types = constants.Select(c => c is null ? null : new TensorType(c.Type, c.Dims)).ToArray();
        var context = new OpContext(node.Name, node.OpType, node.Attributes, types, constants, node.Outputs.Count);

        TensorData[] values;
        try
        {
            var outputTypes = op.InferOutputs(context);
            if (outputTypes.Length != node.Outputs.Count)
                throw new ShapeException($"produced {outputTypes.Length} outputs, the node has {node.Outputs.Count}");

            long bytes = ConstantEvaluator.OutputBytes(outputTypes);
            long cap = ConstantEvaluator.CapFor(node.OpType, _maxOutputBytes);
            if (bytes > cap)
            {
                result.Add(SkippedTooLarge);
                result.Note($"{node}: not folded, its outputs would take {bytes} bytes (limit {cap})");
                return false;
            }
            if (!ConstantEvaluator.RunsBounded(context))
            {
                result.Add(SkippedUnbounded);
                result.Note($"{node}: not folded, it would iterate more than {ConstantEvaluator.MaxFoldedLoopIterations} times");
                return false;
            }
            values = ConstantEvaluator.Run(op, context, outputTypes);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not the user's mistake to report here: the planner meets the same node per gear and reports it there.
            result.Add(SkippedFailed);
            result.Note($"{node}: not folded: {e.Message}");
            return false;
        }

        for (int i = 0; i < values.Length; i++)
        {
            var output = node.Outputs[i];
            GraphRewrites.MakeConstant(output, values[i]);
        }
        return true;
    }
}
