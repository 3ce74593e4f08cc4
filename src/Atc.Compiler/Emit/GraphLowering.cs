using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;

namespace Atc.Compiler.Emit;

/// <summary>
/// Lowers the mutable IR into the id-based graph the .om stores: keeps only nodes that feed an output, numbers
/// values (inputs, then constants and node outputs in node order), and checks the graph is well formed.
/// </summary>
internal static class GraphLowering
{
    /// <summary>A body keeps the shapes the model declares for its outputs (hints for outputs of its dynamic region).</summary>
    private static ModelGraph LowerBody(Graph body)
    {
        var lowered = Lower(body);
        return new ModelGraph(lowered.Values, lowered.Nodes, lowered.Inputs, lowered.Outputs, lowered.Constants)
        {
            DeclaredOutputDims = [.. body.Outputs.Select(v => v.Shape is { } s && s.All(d => d >= 0 && d <= int.MaxValue)
                ? s.Select(d => (int)d).ToArray() : null)],
        };
    }

    public static ModelGraph Lower(Graph graph)
    {
        if (graph.Outputs.Count == 0)
            throw new AtcException(AtcErrors.InvalidModel("the graph has no outputs"));

        var neededValues = new HashSet<Value>(graph.Outputs, ReferenceEqualityComparer.Instance);
        var neededNodes = new bool[graph.Nodes.Count];
        for (int i = graph.Nodes.Count - 1; i >= 0; i--)
        {
            var node = graph.Nodes[i];
            if (!node.Outputs.Any(neededValues.Contains)) continue;
            neededNodes[i] = true;
            foreach (var input in node.Inputs) if (input is not null) neededValues.Add(input);
        }

        var ids = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        var values = new List<Value>();
        int Assign(Value v) { ids[v] = values.Count; values.Add(v); return values.Count - 1; }

        foreach (var input in graph.Inputs)
        {
            if (ids.ContainsKey(input) || values.Any(v => v.Name == input.Name))
                throw new AtcException(AtcErrors.InvalidModel($"input '{input.Name}' is listed twice"));
            if (!Atc.Runtime.DataTypes.IsDefined(input.Type))
                throw new AtcException(AtcErrors.InvalidModel($"input '{input.Name}' has no supported data type"));
            Assign(input);
        }

        var nodes = new List<GraphNode>();
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            if (!neededNodes[i]) continue;
            var node = graph.Nodes[i];
            var inputIds = new int[node.Inputs.Count];
            for (int j = 0; j < inputIds.Length; j++)
            {
                var v = node.Inputs[j];
                if (v is null) { inputIds[j] = -1; continue; }
                if (ids.TryGetValue(v, out int id)) { inputIds[j] = id; continue; }
                if (!v.IsConstant)
                    throw new AtcException(AtcErrors.InvalidModel($"node '{node.Name}' reads '{v.Name}', which no earlier node computes"));
                inputIds[j] = Assign(v);
            }
            var outputIds = new int[node.Outputs.Count];
            for (int j = 0; j < outputIds.Length; j++)
            {
                var v = node.Outputs[j];
                if (ids.ContainsKey(v))
                    throw new AtcException(AtcErrors.InvalidModel($"value '{v.Name}' is written by node '{node.Name}' but is already defined"));
                outputIds[j] = Assign(v);
            }
            var attributes = node.Attributes.Clone();
            // Control-flow bodies become nested graphs (the runtime plans them per input shapes, as it does gears).
            foreach (var (name, body) in node.Subgraphs) attributes.Set(name, new AttributeValue(LowerBody(body)));
            nodes.Add(new GraphNode(node.Name, node.OpType, node.SourceOpType, attributes, inputIds, outputIds));
        }

        foreach (var duplicate in graph.Outputs.GroupBy(v => v.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            throw new AtcException(AtcErrors.InvalidModel($"output '{duplicate.Key}' is listed {duplicate.Count()} times"));
        var outputs = new int[graph.Outputs.Count];
        for (int k = 0; k < outputs.Length; k++)
        {
            var v = graph.Outputs[k];
            if (ids.TryGetValue(v, out int id)) outputs[k] = id;
            else if (v.IsConstant) outputs[k] = Assign(v);
            else throw new AtcException(AtcErrors.InvalidModel($"output '{v.Name}' is not computed by any node"));
        }

        return new ModelGraph(
            [.. values.Select(v => new GraphValue(v.Name, v.Type))],
            [.. nodes],
            [.. graph.Inputs.Select(v => ids[v])],
            outputs,
            [.. values.Select(v => v.Constant)]);
    }
}
