using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Format.Proto;

namespace Atc.Runtime.Format;

/// <summary>
/// Control-flow bodies in the .om (<see cref="SubgraphDef"/>, om_ir_version 3): written from a body's
/// <see cref="ModelGraph"/> and read back with the checks the top-level graph gets (ids in range, every value
/// defined once before it is read, typed constants), plus a bound on how deeply bodies nest, so a hostile file
/// cannot drive the reader (or the planner, which plans bodies recursively) into deep recursion.
/// </summary>
internal static class SubgraphConversions
{
    /// <summary>Bodies inside bodies: exported models nest a few levels; a deeper file is malformed.</summary>
    public const int MaxNestingDepth = 16;

    public static SubgraphDef ToProto(ModelGraph graph)
    {
        var def = new SubgraphDef();
        def.Values.AddRange(graph.Values.Select(v => new ValueDef { Name = v.Name, Dtype = (int)v.Type }));
        foreach (var node in graph.Nodes) def.Nodes.Add(ProtoConversions.ToProto(node));
        def.Inputs.AddRange(graph.Inputs);
        def.Outputs.AddRange(graph.Outputs);
        for (int v = 0; v < graph.Constants.Length; v++)
            if (graph.Constants[v] is { } c) def.Constants.Add(new SubgraphConstant { ValueId = v, Tensor = ProtoConversions.ToProto(c) });
        if (graph.DeclaredOutputDims is { } declared)
            def.DeclaredOutputDims.AddRange(declared.Select(d => new Dims { Dims_ = { (d ?? []).Select(x => (long)x) } }));
        return def;
    }

    public static ModelGraph FromProto(SubgraphDef def, string where, int depth)
    {
        if (depth > MaxNestingDepth)
            throw new OmFormatException($"{where}: control-flow bodies nest more than {MaxNestingDepth} levels deep");
        int count = def.Values.Count;
        var values = new GraphValue[count];
        for (int v = 0; v < count; v++)
            values[v] = new GraphValue(def.Values[v].Name, OmChecks.DataType(def.Values[v].Dtype, $"{where} value {v}"));

        var defined = new bool[count];
        var inputs = new int[def.Inputs.Count];
        for (int k = 0; k < inputs.Length; k++)
        {
            inputs[k] = OmChecks.Index(def.Inputs[k], count, $"{where} input {k}");
            if (defined[inputs[k]]) throw new OmFormatException($"{where} lists value {inputs[k]} twice among its inputs");
            defined[inputs[k]] = true;
        }
        var constants = new TensorData?[count];
        foreach (var c in def.Constants)
        {
            int id = OmChecks.Index(c.ValueId, count, $"{where} constant");
            if (defined[id]) throw new OmFormatException($"{where} defines value {id} twice");
            if (c.Tensor is null) throw new OmFormatException($"{where} constant {id} has no tensor");
            var tensor = ProtoConversions.FromProto(c.Tensor, $"{where} constant {id}");
            if (tensor.Type != values[id].Type)
                throw new OmFormatException($"{where} constant {id} is {tensor.Type.Name()} but its value is {values[id].Type.Name()}");
            constants[id] = tensor;
            defined[id] = true;
        }

        var nodes = new GraphNode[def.Nodes.Count];
        for (int i = 0; i < nodes.Length; i++)
        {
            var n = def.Nodes[i];
            string at = $"{where} node {i} ('{n.Name}')";
            var nodeInputs = new int[n.Inputs.Count];
            for (int j = 0; j < nodeInputs.Length; j++)
            {
                if (n.Inputs[j] == -1) { nodeInputs[j] = -1; continue; }
                nodeInputs[j] = OmChecks.Index(n.Inputs[j], count, $"{at} input {j}");
                if (!defined[nodeInputs[j]]) throw new OmFormatException($"{at} reads value {nodeInputs[j]} before anything defines it");
            }
            var nodeOutputs = new int[n.Outputs.Count];
            for (int j = 0; j < nodeOutputs.Length; j++)
            {
                nodeOutputs[j] = OmChecks.Index(n.Outputs[j], count, $"{at} output {j}");
                if (defined[nodeOutputs[j]]) throw new OmFormatException($"{at} writes value {nodeOutputs[j]}, which is already defined");
                defined[nodeOutputs[j]] = true;
            }
            var attributes = new OpAttributes();
            string? previous = null;
            foreach (var a in n.Attributes)
            {
                if (previous is not null && string.CompareOrdinal(previous, a.Name) >= 0)
                    throw new OmFormatException($"{at}: attributes are not sorted and unique at '{a.Name}'");
                previous = a.Name;
                attributes.Set(a.Name, ProtoConversions.FromProto(a, $"{at} attribute '{a.Name}'", depth));
            }
            nodes[i] = new GraphNode(n.Name, n.OpType, n.SourceOpType, attributes, nodeInputs, nodeOutputs);
        }
        var outputs = new int[def.Outputs.Count];
        for (int k = 0; k < outputs.Length; k++)
        {
            outputs[k] = OmChecks.Index(def.Outputs[k], count, $"{where} output {k}");
            if (!defined[outputs[k]]) throw new OmFormatException($"{where} output {k} (value {outputs[k]}) is never defined");
        }
        int[]?[]? declared = null;
        if (def.DeclaredOutputDims.Count > 0)
        {
            if (def.DeclaredOutputDims.Count != outputs.Length)
                throw new OmFormatException($"{where} declares shapes for {def.DeclaredOutputDims.Count} outputs, it has {outputs.Length}");
            declared = [.. def.DeclaredOutputDims.Select((d, k) => d.Dims_.Count == 0 ? null : OmChecks.ConcreteDims(d.Dims_, $"{where} output {k} declared shape"))];
        }
        return new ModelGraph(values, nodes, inputs, outputs, constants) { DeclaredOutputDims = declared };
    }
}
