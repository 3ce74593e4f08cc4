using Atc.Compiler.Frontends;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Frontends.TensorFlow;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Compiler.Driver;

/// <summary>The importer for each --framework; Caffe (0) and MindSpore (1) get ATC's unsupported-framework error.</summary>
public static class ModelImporters
{
    public static IModelImporter Create(AtcFramework framework)
        => framework switch
        {
            AtcFramework.TensorFlow => new TensorFlowImporter(),
            AtcFramework.Onnx => new OnnxImporter(),
            _ => throw new AtcException(AtcErrors.NotSupported(AtcOptionNames.Framework,
                "--framework=" + (int)framework + " (" + framework + ") is not supported by this compiler; it imports TensorFlow (3) and ONNX (5) models",
                "Export the model to ONNX and convert it with --framework=5.")),
        };

    /// <summary>"tensorflow" / "onnx", as <see cref="Ir.Graph.SourceFramework"/> writes it.</summary>
    public static string SourceName(AtcFramework framework) => framework == AtcFramework.TensorFlow ? "tensorflow" : "onnx";
}
