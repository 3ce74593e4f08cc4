using Atc.Compiler.Frontends;
using Atc.Compiler.Frontends.Caffe;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Frontends.TensorFlow;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Compiler.Driver;

/// <summary>The importer for each --framework; MindSpore (1) gets ATC's unsupported-framework error.</summary>
public static class ModelImporters
{
    /// <param name="weightPath">--weight: the Caffe .caffemodel (only Caffe reads it).</param>
    public static IModelImporter Create(AtcFramework framework, string? weightPath = null)
        => framework switch
        {
            AtcFramework.Caffe => new CaffeImporter(weightPath),
            AtcFramework.TensorFlow => new TensorFlowImporter(),
            AtcFramework.Onnx => new OnnxImporter(),
            _ => throw new AtcException(AtcErrors.NotSupported(AtcOptionNames.Framework,
                "--framework=" + (int)framework + " (" + framework + ") is not supported by this compiler; it imports Caffe (0), TensorFlow (3) and ONNX (5) models",
                "Export the model to ONNX and convert it with --framework=5.")),
        };

    /// <summary>"caffe" / "tensorflow" / "onnx", as <see cref="Ir.Graph.SourceFramework"/> writes it.</summary>
    public static string SourceName(AtcFramework framework)
        => framework switch { AtcFramework.Caffe => "caffe", AtcFramework.TensorFlow => "tensorflow", _ => "onnx" };

    /// <summary>The framework's name in messages ("Caffe", "TensorFlow", "ONNX").</summary>
    public static string DisplayName(AtcFramework framework)
        => framework switch { AtcFramework.Caffe => "Caffe", AtcFramework.TensorFlow => "TensorFlow", _ => "ONNX" };
}
