using Atc.Compiler.Frontends;
using Atc.Options;

namespace Atc.Compiler.Driver;

/// <summary>
/// The importer for each --framework. The importers live in Frontends/TensorFlow and Frontends/Onnx as
/// <c>TensorFlowImporter</c> and <c>OnnxImporter</c> (IModelImporter, parameterless constructor); they are found by
/// type name so that the driver does not depend on which front ends are part of the build.
/// </summary>
public static class ModelImporters
{
    public static IModelImporter Create(AtcFramework framework)
    {
        var (typeName, display) = framework switch
        {
            AtcFramework.TensorFlow => ("TensorFlowImporter", "TensorFlow"),
            AtcFramework.Onnx => ("OnnxImporter", "ONNX"),
            _ => throw new AtcException(AtcErrors.NotSupported(AtcOptionNames.Framework,
                "--framework=" + (int)framework + " (" + framework + ") is not supported by this compiler; it imports TensorFlow (3) and ONNX (5) models",
                "Export the model to ONNX and convert it with --framework=5.")),
        };
        var type = typeof(IModelImporter).Assembly.GetTypes().FirstOrDefault(t =>
            t.Name == typeName && !t.IsAbstract && typeof(IModelImporter).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) != null);
        if (type is null)
            throw new AtcException(AtcErrors.NotSupported(AtcOptionNames.Framework,
                "this build of the compiler has no " + display + " importer"));
        return (IModelImporter)Activator.CreateInstance(type)!;
    }

    /// <summary>"tensorflow" / "onnx", as <see cref="Ir.Graph.SourceFramework"/> writes it.</summary>
    public static string SourceName(AtcFramework framework) => framework == AtcFramework.TensorFlow ? "tensorflow" : "onnx";
}
