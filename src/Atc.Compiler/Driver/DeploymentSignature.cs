using Atc.Compiler.Ir;
using Atc.Options.Deployment;
using Atc.Runtime;

namespace Atc.Compiler.Driver;

/// <summary>
/// ATC's --input_fp16_nodes and --output_type on the checked graph: the named inputs arrive as float16 and the outputs
/// leave as the --output_type (float16, double or an integer type), each through a Cast at the boundary (<see cref="BoundaryCasts"/>); the model in between
/// keeps computing in float32.
/// </summary>
public static class DeploymentSignature
{
    public static void Apply(DeploymentOptions options, Graph graph)
    {
        foreach (var name in options.InputFp16Nodes)
            if (graph.Inputs.FirstOrDefault(i => i.Name == name) is { } input)
                BoundaryCasts.CastInput(graph, input, DataType.Float16);

        // A global type applies to the float outputs; a node:index entry (later entries win) to that output whatever it is.
        var types = new DataType?[graph.Outputs.Count];
        foreach (var spec in options.OutputTypes)
        {
            if (spec.Node is null)
            {
                for (int i = 0; i < types.Length; i++)
                    if (graph.Outputs[i].Type == DataType.Float32) types[i] = TypeOf(spec.Type);
            }
            else if (OutputIndexOf(graph, spec.Node, spec.Index) is var index and >= 0)
                types[index] = TypeOf(spec.Type);
        }
        for (int i = 0; i < types.Length; i++)
            if (types[i] is { } type) BoundaryCasts.CastOutput(graph, i, type);
    }

    /// <summary>The model output that output <paramref name="index"/> of node <paramref name="nodeName"/> is, or -1.
    /// A name that is not a node may be the output tensor itself (index 0).</summary>
    public static int OutputIndexOf(Graph graph, string nodeName, int index)
    {
        var node = graph.Nodes.FirstOrDefault(n => n.Name == nodeName);
        Value? value = node is null
            ? (index == 0 ? graph.Outputs.FirstOrDefault(o => o.Name == nodeName) : null)
            : index >= 0 && index < node.Outputs.Count ? node.Outputs[index] : null;
        return value is null ? -1 : graph.Outputs.FindIndex(o => ReferenceEquals(o, value));
    }

    /// <summary>ATC's --output_type names (DeploymentOptionRules.OutputTypes) as this runtime's types.</summary>
    public static DataType TypeOf(string atcType) => atcType switch
    {
        "FP16" => DataType.Float16,
        "UINT8" => DataType.UInt8,
        "INT8" => DataType.Int8,
        "UINT16" => DataType.UInt16,
        "INT16" => DataType.Int16,
        "UINT32" => DataType.UInt32,
        "INT32" => DataType.Int32,
        "UINT64" => DataType.UInt64,
        "INT64" => DataType.Int64,
        "DOUBLE" => DataType.Float64,
        _ => DataType.Float32,
    };
}
