using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Parsing;
using Atc.Runtime;
using Google.Protobuf;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>
/// Imports an ONNX model (ATC --framework=5): parses the protobuf, checks the graph, and lowers every node onto the
/// canonical op set in topological order. Node names are the file's (synthesized where missing), value names are
/// ONNX's tensor names, graph inputs are graph.input minus initializers, and every unsupported op is reported at once.
/// </summary>
public sealed class OnnxImporter : IModelImporter
{
    private const string Framework = "ONNX";

    /// <summary>The op types (default domain) this importer lowers.</summary>
    public static IEnumerable<string> SupportedOpTypes => OnnxOpTable.SupportedOpTypes;

    public Graph Import(byte[] model, string path, IReadOnlyList<OutNodeSpec> outNodes) => Import(Parse(model, path), path, outNodes);

    /// <summary>Imports a model already in memory (the Caffe importer writes one), without a serialization round trip.</summary>
    internal Graph Import(ModelProto proto, string path, IReadOnlyList<OutNodeSpec> outNodes)
    {
        var graphProto = proto.Graph;
        var index = OnnxGraphIndex.Build(graphProto);
        var graph = new Graph
        {
            Name = graphProto.Name.Length > 0 ? graphProto.Name : Path.GetFileNameWithoutExtension(path),
            SourceFramework = "onnx",
        };
        var context = new OnnxImportContext(graph, new OnnxTensorReader(path), DefaultOpset(proto), index.Consumed);
        context.ReserveNames(graphProto, index.Sorted);

        ImportInitializers(graphProto, context);
        ImportInputs(graphProto, context);
        // Nodes are lowered against typed values: an input or weight whose type is unsupported (or UNDEFINED) would
        // reach shape and size rules as an untyped value, so report it before lowering.
        if (context.HasUnsupported) throw new AtcException(AtcErrors.UnsupportedOps(context.Unsupported));
        if (outNodes.Count == 0)
        {
            foreach (var node in index.Sorted) Lower(node, context);
            foreach (var output in graphProto.Output) graph.Outputs.Add(context.Lookup(output.Name));
        }
        else
        {
            LowerSelected(index, context, outNodes);
        }

        if (context.HasUnsupported) throw new AtcException(AtcErrors.UnsupportedOps(context.Unsupported));
        CastNarrowedBoundary(graphProto, graph, outNodes.Count == 0);
        ImportedGraphCheck.Validate(graph);
        return graph;
    }

    /// <summary>--out_nodes: the names are checked against the file's nodes, then only the nodes they need are lowered.</summary>
    private static void LowerSelected(OnnxGraphIndex index, OnnxImportContext context, IReadOnlyList<OutNodeSpec> outNodes)
    {
        var byName = index.Sorted.ToDictionary(n => n.Name, StringComparer.Ordinal);
        OutNodeSelection.Check(outNodes, index.Sorted.ToDictionary(n => n.Name, n => n.Outputs.Count, StringComparer.Ordinal));
        var needed = OutNodeSelection.Needed(outNodes, name => byName.TryGetValue(name, out var node)
            ? node.Inputs.Where(index.Producers.ContainsKey).Select(i => index.Producers[i].Name)
            : null);
        foreach (var node in index.Sorted)
            if (needed.Contains(node.Name)) Lower(node, context);
        foreach (var spec in outNodes)
        {
            string tensor = byName[spec.NodeName].Outputs[spec.OutputIndex];
            if (tensor.Length == 0 || !context.IsBound(tensor))
                throw new AtcException(AtcErrors.InvalidModel($"--out_nodes asks for output {spec.OutputIndex} of node {byName[spec.NodeName]}, which the node leaves unnamed"));
            context.Graph.Outputs.Add(context.Lookup(tensor));
        }
    }

    private static ModelProto Parse(byte[] model, string path)
    {
        if (model.Length == 0) throw ParseFailed(path, "the file is empty");
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ParseFailed(path, "the protobuf data is malformed or truncated (" + e.Message.TrimEnd('.') + ")");
        }
        if (proto.Graph is null)
            throw ParseFailed(path, "the file holds no ONNX graph (ModelProto.graph is missing)");
        return proto;
    }

    private static AtcException ParseFailed(string path, string detail) => new(AtcErrors.ModelParseFailed(path, Framework, detail));

    // Files before IR version 3 have no opset_import and mean opset 1.
    private static long DefaultOpset(ModelProto proto)
        => proto.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(1).Max();

    internal static void ImportInitializers(GraphProto graphProto, OnnxImportContext context)
    {
        foreach (var tensor in graphProto.Initializer)
        {
            try
            {
                context.Bind(tensor.Name, Value.FromConstant(tensor.Name, context.Tensors.Read(tensor, $"initializer '{tensor.Name}'")));
            }
            catch (OnnxTensorReader.UnsupportedTypeException e)
            {
                context.ReportUnsupported($"{e.TypeName} tensor", tensor.Name);
                context.Bind(tensor.Name, new Value(tensor.Name, DataType.Undefined, null));
            }
        }
    }

    // An initializer listed in graph.input (required before IR version 4) is a weight, not an input.
    private static void ImportInputs(GraphProto graphProto, OnnxImportContext context)
    {
        foreach (var input in graphProto.Input)
        {
            if (context.IsBound(input.Name)) continue;
            var tensorType = input.Type?.TensorType;
            DataType type = DataType.Undefined;
            if (tensorType is null)
                context.ReportUnsupported("non-tensor graph input", input.Name);
            else if (tensorType.ElemType == 0)
                throw new AtcException(AtcErrors.InvalidModel($"graph input '{input.Name}' has no element type (elem_type 0, UNDEFINED)"));
            else if (OnnxDataTypes.ToDataType(tensorType.ElemType) is { } t)
                type = t;
            else
                context.ReportUnsupported($"{OnnxDataTypes.Name(tensorType.ElemType)} tensor", input.Name);
            var value = new Value(input.Name, type, OnnxShapes.FromTypeProto(input.Type));
            context.Graph.Inputs.Add(value);
            context.Bind(input.Name, value);
        }
    }

    /// <summary>Graph inputs and outputs of a storage-only type (FLOAT16, BFLOAT16, UINT16, INT16, UINT32, UINT64) keep
    /// their type in the signature; inside, the graph computes in the wider type.</summary>
    private static void CastNarrowedBoundary(GraphProto graphProto, Graph graph, bool declaredOutputs)
    {
        var narrowedInputs = graphProto.Input.Where(i => NarrowedType(i) is not null)
            .ToDictionary(i => i.Name, i => NarrowedType(i)!.Value, StringComparer.Ordinal);
        foreach (var input in graph.Inputs.Where(i => narrowedInputs.ContainsKey(i.Name)).ToList())
            BoundaryCasts.CastInput(graph, input, narrowedInputs[input.Name]);
        if (!declaredOutputs) return;
        for (int i = 0; i < graphProto.Output.Count && i < graph.Outputs.Count; i++)
            if (NarrowedType(graphProto.Output[i]) is { } stored)
                BoundaryCasts.CastOutput(graph, i, stored);
    }

    private static DataType? NarrowedType(ValueInfoProto info)
        => info.Type?.TensorType?.ElemType is { } code && OnnxDataTypes.IsNarrowed(code) ? OnnxDataTypes.StorageType(code) : null;

    internal static void Lower(OnnxNode node, OnnxImportContext context)
    {
        if (node.Domain.Length > 0)
        {
            // Contrib ops are registered under "domain:OpType" (ONNX Runtime's com.microsoft quantised ops).
            if (OnnxOpTable.TryGet($"{node.Domain}:{node.OpType}", out var contrib)) contrib(new NodeLowering(node, context));
            else context.ReportUnsupported($"{node.Domain}:{node.OpType}", node.Name);
        }
        else if (!Lowering.ControlFlowLowerings.Handles(node.OpType) && node.Proto.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))
            context.ReportUnsupported(node.OpType, node.Name); // control flow (If, Loop, Scan) and other subgraph ops
        else if (!OnnxOpTable.TryGet(node.OpType, out var lowering))
            context.ReportUnsupported(node.OpType, node.Name);
        else
            lowering(new NodeLowering(node, context));

        // Outputs left unbound (unsupported nodes, unused training outputs) still resolve for later nodes.
        foreach (var output in node.Outputs)
            if (output.Length > 0 && !context.IsBound(output))
                context.Bind(output, new Value(output, DataType.Undefined, null));
    }
}
