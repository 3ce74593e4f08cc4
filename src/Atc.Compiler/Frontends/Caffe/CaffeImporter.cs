using Atc.Compiler.Frontends.Caffe.Layers;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Parsing;

namespace Atc.Compiler.Frontends.Caffe;

/// <summary>
/// Imports a Caffe model (ATC --framework=0): the network from --model (.prototxt, text) and the weights from
/// --weight (.caffemodel, binary), merged by layer name. The net is rewritten as an ONNX graph with Caffe's semantics
/// (<see cref="CaffeNetConverter"/>) and lowered by the ONNX front end, so --out_nodes names Caffe layers and
/// every canonical op has one lowering. Problems are ATC's Caffe codes (E11xxx, E13005, E13014).
/// </summary>
public sealed class CaffeImporter(string? weightPath) : IModelImporter
{
    /// <summary>The Caffe layer types this importer converts.</summary>
    public static IEnumerable<string> SupportedLayerTypes => CaffeLayerTable.SupportedTypes;

    public Graph Import(byte[] model, string path, IReadOnlyList<OutNodeSpec> outNodes)
    {
        if (string.IsNullOrWhiteSpace(weightPath))
            throw new AtcException(AtcErrors.RequiredMissing(AtcOptionNames.Weight,
                "A Caffe model is two files: give the network with --model=net.prototxt and its trained weights with --weight=net.caffemodel."));
        var net = CaffeModelFiles.ReadNet(model, path);
        var weights = CaffeModelFiles.ReadWeights(weightPath);
        var onnx = CaffeNetConverter.Convert(net, weights, path, weightPath);
        var graph = new OnnxImporter().Import(onnx, path, outNodes);
        graph.SourceFramework = "caffe";
        foreach (var input in graph.Inputs)
            if (input.Shape is { Length: 4 }) graph.InputFormats[input.Name] = TensorFormat.NCHW;
        return graph;
    }
}
