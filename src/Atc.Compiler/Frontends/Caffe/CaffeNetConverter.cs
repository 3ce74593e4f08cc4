using Atc.Compiler.Frontends.Caffe.Layers;
using Atc.Compiler.Frontends.Caffe.Proto;
using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Compiler.Frontends.Caffe;

/// <summary>
/// Walks a Caffe net in layer order (Caffe's order is topological) and writes the equivalent ONNX graph: inputs from
/// Input layers or the net's input / input_shape / input_dim, one or more ONNX nodes per layer with the weights
/// merged from the .caffemodel by layer name, and as outputs the blobs no later layer reads. In-place layers (top ==
/// bottom) write a new version of the blob; the last version keeps the blob's name.
/// </summary>
internal static class CaffeNetConverter
{
    public static ModelProto Convert(NetParameter net, IReadOnlyDictionary<string, IReadOnlyList<BlobProto>> weights, string path, string weightPath)
    {
        var layers = net.Layer.Where(InTestPhase).ToList();
        var unsupported = layers.Where(l => !CaffeLayerTable.IsSupported(l.Type))
            .Select(l => new KeyValuePair<string, string>(l.Name, l.Type)).ToList();
        if (unsupported.Count > 0)
            throw new AtcException(AtcErrors.CaffeUnsupportedLayers(unsupported, CaffeLayerTable.SupportedTypes));

        var writer = new OnnxGraphWriter();
        var blobs = new Dictionary<string, (string Tensor, long[] Shape)>(StringComparer.Ordinal);
        foreach (var (name, shape) in DeclaredInputs(net, layers, path))
        {
            if (!blobs.TryAdd(name, (name, shape)))
                throw new AtcException(AtcErrors.CaffeLayerParameterInvalid(name, "top", "Input", "two inputs are named [" + name + "]", "Give every input blob its own name."));
            writer.Reserve(name);
            writer.Input(name, shape);
        }

        var lastWriter = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < layers.Count; i++)
            if (layers[i].Type != CaffeLayerTable.InputType)
                foreach (var top in layers[i].Top) lastWriter[top] = i;
        foreach (var (blob, _) in lastWriter) if (!blobs.ContainsKey(blob)) writer.Reserve(blob);

        var produced = new List<string>();
        var consumed = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer.Type == CaffeLayerTable.InputType) continue;
            if (layer.Top.Count == 0) throw new AtcException(AtcErrors.CaffeLayerWithoutTop(layer.Name));
            var bottoms = new List<string>();
            var shapes = new List<long[]>();
            for (int b = 0; b < layer.Bottom.Count; b++)
            {
                if (!blobs.TryGetValue(layer.Bottom[b], out var bottom))
                    throw new AtcException(AtcErrors.CaffeUnknownBottom(layer.Bottom[b], layer.Name, b));
                bottoms.Add(bottom.Tensor);
                shapes.Add(bottom.Shape);
                consumed.Add(bottom.Tensor);
            }
            if (bottoms.Count == 0)
                throw new AtcException(AtcErrors.CaffeLayerParameterInvalid("0", "bottom", layer.Name + " (" + layer.Type + ")", "the layer has no bottom", "Give the layer its bottom blob(s)."));
            var topNames = layer.Top.Select(top => lastWriter[top] == i && !IsInput(blobs, top) ? top : writer.Unique(top + "/" + layer.Name)).ToList();
            var layerBlobs = layer.Blobs.Count > 0 ? layer.Blobs : weights.GetValueOrDefault(layer.Name) ?? [];
            var context = new CaffeLayer(layer, bottoms, shapes, layerBlobs, topNames, writer, weightPath);
            CaffeLayerTable.Convert(context);
            int written = Enumerable.Range(0, topNames.Count).Count(t => context.TopShape(t) is not null);
            if (written != topNames.Count)
                throw new AtcException(AtcErrors.CaffeLayerParameterInvalid(topNames.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "top",
                    layer.Name + " (" + layer.Type + ")", "a " + layer.Type + " layer writes " + written + " top(s)", "Give layer [" + layer.Name + "] " + written + " top(s)."));
            for (int t = 0; t < topNames.Count; t++)
            {
                var shape = context.TopShape(t)!;
                blobs[layer.Top[t]] = (topNames[t], shape);
                produced.Add(topNames[t]);
            }
        }

        var outputs = produced.Where(t => !consumed.Contains(t)).Distinct(StringComparer.Ordinal).ToList();
        if (outputs.Count == 0) throw new AtcException(AtcErrors.InvalidModel("the Caffe net [" + path + "] computes nothing: no layer writes a blob that is not read again"));
        foreach (var output in outputs) writer.Output(output);
        return writer.ToModel(net.Name.Length > 0 ? net.Name : Path.GetFileNameWithoutExtension(path));
    }

    private static bool IsInput(Dictionary<string, (string Tensor, long[] Shape)> blobs, string blob)
        => blobs.TryGetValue(blob, out var state) && state.Tensor == blob;

    /// <summary>The inputs with their shapes: the net's input fields first, then Input layers, in file order.</summary>
    internal static IEnumerable<(string Name, long[] Shape)> DeclaredInputs(NetParameter net, List<LayerParameter> layers, string path)
    {
        if (net.Input.Count > 0)
        {
            if (net.InputDim.Count > 0 && net.InputShape.Count > 0) throw new AtcException(AtcErrors.CaffeInputDimAndShape(path));
            if (net.InputDim.Count > 0)
            {
                if (net.InputDim.Count != 4 * net.Input.Count) throw new AtcException(AtcErrors.CaffeInputDimCount(net.InputDim.Count, net.Input.Count));
                for (int i = 0; i < net.Input.Count; i++)
                    yield return (net.Input[i], Positive(net.Input[i], net.InputDim.Skip(4 * i).Take(4).Select(d => (long)d).ToArray()));
            }
            else
            {
                if (net.InputShape.Count != net.Input.Count) throw new AtcException(AtcErrors.CaffeInputShapeCount(net.InputShape.Count, net.Input.Count));
                for (int i = 0; i < net.Input.Count; i++) yield return (net.Input[i], Positive(net.Input[i], net.InputShape[i].Dim.ToArray()));
            }
        }
        foreach (var layer in layers.Where(l => l.Type == CaffeLayerTable.InputType))
        {
            var shapes = layer.InputParam?.Shape ?? [];
            if (layer.Top.Count == 0) throw new AtcException(AtcErrors.CaffeLayerWithoutTop(layer.Name));
            if (shapes.Count != 1 && shapes.Count != layer.Top.Count) throw new AtcException(AtcErrors.CaffeInputShapeCount(shapes.Count, layer.Top.Count));
            for (int t = 0; t < layer.Top.Count; t++)
                yield return (layer.Top[t], Positive(layer.Top[t], shapes[shapes.Count == 1 ? 0 : t].Dim.ToArray()));
        }
    }

    private static long[] Positive(string input, long[] dims)
    {
        if (dims.Length == 0 || dims.Any(d => d <= 0 || d > int.MaxValue))
            throw new AtcException(AtcErrors.CaffeLayerParameterInvalid(CaffeLayer.Shape(dims), "shape", input + " (input)",
                "an input's shape needs at least one axis and every dim from 1 to 2147483647",
                "Declare the input's full shape (e.g. dim: 1 dim: 3 dim: 224 dim: 224); batch gears then come from --input_shape and --dynamic_batch_size."));
        return dims;
    }

    /// <summary>Caffe's NetState rules for the TEST phase (a deploy net): included unless an include rule set is
    /// given and none meets it, or an exclude rule meets it. Stages are never set, so rules that need one fail.</summary>
    internal static bool InTestPhase(LayerParameter layer)
    {
        if (layer.Include.Count > 0 && !layer.Include.Any(Meets)) return false;
        return !layer.Exclude.Any(Meets);
    }

    private static bool Meets(NetStateRule rule)
        => (!rule.HasPhase || rule.Phase == Phase.Test) && rule.Stage.Count == 0
            && (!rule.HasMinLevel || rule.MinLevel <= 0) && (!rule.HasMaxLevel || rule.MaxLevel >= 0);
}
