using Atc.Runtime.Core;
using Atc.Runtime.Execution;

namespace Atc.Runtime.Operators.ControlFlow;

/// <summary>
/// Plans a control-flow body for the concrete types of its inputs with the same planner as the outer graph. Inputs
/// whose value the outer plan knows (weights, folded values: typically captured constants) become the body's
/// constants for the plan, so shape-like values inside the body fold as they would outside.
/// </summary>
internal static class SubgraphPlanning
{
    /// <summary>The body's plan; a <see cref="ShapeException"/> names the body when an input does not fit it.</summary>
    public static (ModelGraph Graph, ExecutionPlan Plan) Plan(string bodyName, ModelGraph body, IReadOnlyList<TensorType> inputs,
        IReadOnlyList<TensorData?> knownInputs)
    {
        if (inputs.Count != body.Inputs.Length)
            throw new ShapeException($"{bodyName} takes {body.Inputs.Length} inputs, the node gives {inputs.Count}");
        var constants = (TensorData?[])body.Constants.Clone();
        bool anyKnown = false;
        for (int k = 0; k < inputs.Count; k++)
        {
            int id = body.Inputs[k];
            if (body.Values[id].Type != inputs[k].Type)
                throw new ShapeException($"{bodyName} input {k} ('{body.Values[id].Name}') is {body.Values[id].Type.Name()}, "
                    + $"the node gives {inputs[k]}");
            if (k < knownInputs.Count && knownInputs[k] is { } known) { constants[id] = known; anyKnown = true; }
        }
        var graph = anyKnown ? new ModelGraph(body.Values, body.Nodes, body.Inputs, body.Outputs, constants) { DeclaredOutputDims = body.DeclaredOutputDims } : body;
        try
        {
            return (graph, ExecutionPlanner.Plan(graph, [.. inputs.Select(t => t.Dims)]));
        }
        catch (PlanningException e)
        {
            throw new ShapeException($"in {bodyName}: {e.Message}");
        }
    }

    /// <summary>The type of each body output in <paramref name="plan"/>; for one of the body's dynamic region, the shape
    /// the model declares for it (checked when the body runs), or null when it declares none.</summary>
    public static TensorType?[] OutputTypes(ModelGraph graph, ExecutionPlan plan)
        => [.. graph.Outputs.Select((o, k) => plan.Values[o] switch
        {
            { IsDynamic: false } p => new TensorType(p.Type, p.Dims),
            var p when graph.DeclaredOutputDims?[k] is { } dims => new TensorType(p.Type, dims),
            _ => null,
        })];

    /// <summary>The value of each body output the plan folds (null where it is computed when the body runs).</summary>
    public static TensorData?[] FoldedOutputs(ModelGraph graph, ExecutionPlan plan)
        => [.. graph.Outputs.Select(o => plan.Values[o] switch
        {
            { Kind: PlacementKind.Folded } p => p.Folded,
            { Kind: PlacementKind.Weights } => graph.Constants[o],
            _ => null,
        })];

    /// <summary>A body output's type, or a <see cref="ShapeException"/> when it is data-dependent (not supported there).</summary>
    public static TensorType Static(TensorType? type, string bodyName, int output)
        => type ?? throw new ShapeException($"output {output} of {bodyName} has a data-dependent shape, which a control-flow "
            + "body supports only for loop-carried values");
}
