using Atc.Compiler.Driver;
using Atc.Compiler.Shapes;
using Atc.Options;
using Atc.Options.Manifest;

namespace Atc.Cli.Manifest;

/// <summary>
/// The model's inputs as its file declares them (before --input_shape), for the manifest's `declared` records: the
/// analyzer checks later edits of the options against them (a misspelt input name, an input left without a shape)
/// and words fixes with the model's real sizes. Read by importing the model again; best effort.
/// </summary>
public static class ModelDeclarations
{
    public static IReadOnlyList<ManifestTensor>? Read(IReadOnlyList<string> args)
    {
        var modelPath = ManifestWriter.OptionValue(args, "model");
        if (modelPath is null || !int.TryParse(ManifestWriter.OptionValue(args, "framework"), out var code)
            || (code != (int)AtcFramework.TensorFlow && code != (int)AtcFramework.Onnx))
            return null;
        try
        {
            var graph = ModelImporters.Create((AtcFramework)code).Import(File.ReadAllBytes(modelPath), modelPath, []);
            return ModelDeclarationBuilder.From(graph).Inputs
                .Select(input => new ManifestTensor(input.Name, input.DataType,
                    input.Dims?.Select(d => d < 0 || d > int.MaxValue ? -1 : (int)d).ToArray() ?? [], input.HasUnknownRank))
                .ToList();
        }
        catch (Exception e) when (e is AtcException or IOException or UnauthorizedAccessException)
        {
            return null; // the conversion itself succeeded; the manifest just records no declaration
        }
    }
}
