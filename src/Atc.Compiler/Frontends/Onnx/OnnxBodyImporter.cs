using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>
/// Imports a control-flow body with the same index checks and lowerings as the top-level graph. The body's declared
/// inputs come first (typed by the caller where the file leaves them untyped, as Loop's iteration number often is);
/// the outer values it reads follow as capture inputs, in first-read order (<see cref="OnnxImportContext.Captures"/>).
/// </summary>
internal static class OnnxBodyImporter
{
    public sealed record Body(Graph Graph, List<(Value Outer, Value Inner)> Captures);

    /// <param name="inputTypes">The type of each declared body input the node implies (null: take the file's).</param>
    public static Body Import(NodeLowering n, string attribute, IReadOnlyList<DataType?> inputTypes)
    {
        var proto = n.Node.Graph(attribute)
            ?? throw new AtcException(AtcErrors.InvalidModel($"node {n.Node} has no graph attribute '{attribute}'"));
        var parent = n.Context;
        var index = OnnxGraphIndex.Build(proto, parent.IsVisible);
        var graph = new Graph { Name = $"{n.Node.Name}/{attribute}", SourceFramework = "onnx" };
        var context = new OnnxImportContext(graph, parent.Tensors, parent.Opset, index.Consumed) { Parent = parent };
        context.ReserveNames(proto, index.Sorted);
        OnnxImporter.ImportInitializers(proto, context);
        if (proto.Input.Count != inputTypes.Count)
            throw new AtcException(AtcErrors.InvalidModel($"{attribute} of node {n.Node} has {proto.Input.Count} inputs, the node implies {inputTypes.Count}"));
        for (int k = 0; k < proto.Input.Count; k++)
        {
            var input = proto.Input[k];
            var declared = input.Type?.TensorType is { ElemType: not 0 } t ? OnnxDataTypes.ToDataType(t.ElemType) : null;
            var type = inputTypes[k] ?? declared;
            if (type is null)
            {
                n.Unsupported($"{attribute} input without a supported tensor type");
                type = DataType.Float32;
            }
            var value = new Value(input.Name, type.Value, OnnxShapes.FromTypeProto(input.Type));
            graph.Inputs.Add(value);
            context.Bind(input.Name, value);
        }
        foreach (var node in index.Sorted) OnnxImporter.Lower(node, context);
        foreach (var output in proto.Output) graph.Outputs.Add(context.Lookup(output.Name));
        graph.Inputs.AddRange(context.Captures.Select(c => c.Inner));
        return new Body(graph, context.Captures);
    }
}
