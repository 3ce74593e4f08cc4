using System.Collections.Generic;
using System.Linq;

namespace Atc.Options.Errors
{
    /// <summary>Factories for Caffe models (ATC's E11xxx Caffe codes, E13005, E13014); every one names the file, layer
    /// or blob and says how to get out.</summary>
    public static partial class AtcErrors
    {
        /// <summary>E11001: the net declares its inputs' shapes both by input_dim and by input_shape.</summary>
        public static AtcDiagnostic CaffeInputDimAndShape(string path)
            => AtcCaffeErrorCatalog.E11001.Create(AtcOptionNames.Model, "Keep one of input_dim and input_shape in [" + path + "] (or use an Input layer).");

        /// <summary>E11003: input_dim is not four values per input.</summary>
        public static AtcDiagnostic CaffeInputDimCount(int dims, int inputs)
            => AtcCaffeErrorCatalog.E11003.Create(AtcOptionNames.Model, "Give exactly 4 input_dim values (n, c, h, w) per 'input', or use input_shape { dim: ... } per input.", dims, inputs);

        /// <summary>E11004: input_shape entries do not pair up with the inputs.</summary>
        public static AtcDiagnostic CaffeInputShapeCount(int shapes, int inputs)
            => AtcCaffeErrorCatalog.E11004.Create(AtcOptionNames.Model, "Give one input_shape per 'input' of the net.", shapes, inputs);

        /// <summary>E11009, once per layer whose type this compiler has no conversion for.</summary>
        public static IEnumerable<AtcDiagnostic> CaffeUnsupportedLayers(IEnumerable<KeyValuePair<string, string>> layerAndType, IEnumerable<string> supported)
        {
            var known = string.Join(", ", supported);
            return layerAndType.Select(p => AtcCaffeErrorCatalog.E11009.Create(AtcOptionNames.Model,
                "Replace layer [" + p.Key + "] of type [" + p.Value + "] with supported layers (" + known + "), or convert the model to ONNX and use --framework=5.",
                p.Key, p.Value));
        }

        /// <summary>E11012: a bottom blob no earlier layer (or input) produces.</summary>
        public static AtcDiagnostic CaffeUnknownBottom(string bottom, string layer, int index)
            => AtcCaffeErrorCatalog.E11012.Create(AtcOptionNames.Model, "Name a blob that an input or an earlier layer produces as bottom " + index + " of layer [" + layer + "].", bottom, layer, index);

        /// <summary>E11021: the .prototxt uses Caffe's deprecated V1 'layers'.</summary>
        public static AtcDiagnostic CaffeV1LayersInModel(string path)
            => AtcCaffeErrorCatalog.E11021.Create(AtcOptionNames.Model, "Upgrade the net with Caffe's upgrade_net_proto_text tool (it rewrites 'layers' as 'layer').", path);

        /// <summary>E11022: the .prototxt has no layer.</summary>
        public static AtcDiagnostic CaffeNoLayers(string path)
            => AtcCaffeErrorCatalog.E11022.Create(AtcOptionNames.Model, "Check that [" + path + "] is the network definition (deploy .prototxt), not a solver file.");

        /// <summary>E11023: the .caffemodel uses Caffe's deprecated V1 'layers'.</summary>
        public static AtcDiagnostic CaffeV1LayersInWeights(string path)
            => AtcCaffeErrorCatalog.E11023.Create(AtcOptionNames.Weight, "Upgrade [" + path + "] with Caffe's upgrade_net_proto_binary tool (it rewrites 'layers' as 'layer').");

        /// <summary>E11024: the .caffemodel has no layer.</summary>
        public static AtcDiagnostic CaffeNoWeightLayers(string path)
            => AtcCaffeErrorCatalog.E11024.Create(AtcOptionNames.Weight, "Check that --weight names the .caffemodel trained for this net; [" + path + "] holds no layer.");

        /// <summary>E11029: a layer that needs weights has none in the .caffemodel.</summary>
        public static AtcDiagnostic CaffeLayerWithoutWeights(string layer, string type, string weightPath)
            => AtcCaffeErrorCatalog.E11029.Create(AtcOptionNames.Weight,
                "Layer [" + layer + "] (" + type + ") needs its weights: give the .caffemodel trained for this .prototxt (layer names must match); [" + weightPath + "] has no layer of that name with blobs.", layer);

        /// <summary>E11032: the .prototxt does not parse (syntax, unknown field, wrong value kind), with line and column.</summary>
        public static AtcDiagnostic CaffeTextParseFailed(string path, string message, string field, int line, int column, string reason)
            => AtcCaffeErrorCatalog.E11032.Create(AtcOptionNames.Model,
                "Fix [" + path + "] at line " + line + ", column " + column + " (Caffe's field names and protobuf text format), or check that --model is the .prototxt and --weight the .caffemodel.",
                message, field.Length == 0 ? "(none)" : field, "line " + line + ", column " + column + ": " + reason);

        /// <summary>E11033: a weight blob whose element count or shape does not fit its layer.</summary>
        public static AtcDiagnostic CaffeBlobInvalid(string blob, long size, string reason)
            => AtcCaffeErrorCatalog.E11033.Create(AtcOptionNames.Weight,
                "Give the .caffemodel trained for this .prototxt: the layer's parameters (num_output, kernel, group, bias_term) must match its blobs.", blob, size, reason);

        /// <summary>E11037: a layer with no top.</summary>
        public static AtcDiagnostic CaffeLayerWithoutTop(string layer)
            => AtcCaffeErrorCatalog.E11037.Create(AtcOptionNames.Model, "Add a top to layer [" + layer + "].", layer);

        /// <summary>E13005: the .caffemodel is not binary protobuf (truncated or another file); the reason is in the fix.</summary>
        public static AtcDiagnostic CaffeWeightParseFailed(string path, string reason)
            => AtcCaffeErrorCatalog.E13005.Create(AtcOptionNames.Weight,
                reason + ". Give --weight the complete binary .caffemodel (copy it again if it was cut short); a text .prototxt belongs in --model.", path);

        /// <summary>E13014: a layer parameter (or bottom count) Caffe itself would reject, or this compiler cannot honour.</summary>
        public static AtcDiagnostic CaffeLayerParameterInvalid(string value, string parameter, string layer, string reason, string fix)
            => AtcCaffeErrorCatalog.E13014.Create(AtcOptionNames.Model, fix, value, parameter, layer, reason);
    }
}
