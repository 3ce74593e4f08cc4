using Atc.Compiler.Driver;
using Atc.Compiler.Emit;
using Atc.Options;
using Atc.Options.Manifest;
using Atc.Runtime;

namespace Atc.Cli.Manifest;

/// <summary>
/// Builds the model manifest from the compiler's result object: the signature as the runtime will load it (gears
/// with their output shapes, ranges), the memory plan (weights, the arena of each gear) and the model's inputs as
/// its file declared them (before --input_shape), which the analyzers check later edits of the options against.
/// </summary>
public static class ManifestBuilder
{
    public static ModelManifest From(CompiledModel model, ModelDeclaration? declared)
    {
        var signature = model.Signature;
        var inputs = signature.Inputs.Select(Tensor).ToList();
        var outputs = signature.Outputs.Select(Tensor).ToList();
        var gears = signature.Gears.Select(gear => new ManifestGear(
            gear.Selector,
            gear.InputShapes.Select((shape, k) => new ManifestShape(signature.Inputs[k].Name, shape)).ToList(),
            gear.OutputShapes.Select((shape, k) => new ManifestShape(signature.Outputs[k].Name, shape)).ToList(),
            gear.Index < model.ArenaBytes.Count ? model.ArenaBytes[gear.Index] : 0)).ToList();
        var ranges = signature.Ranges.Select(range => new ManifestRange(range.InputName, range.Min, range.Max)).ToList();
        return new ModelManifest(model.Name, model.SocVersion, GearKinds.FromModel(signature.GearKind), inputs, outputs, gears, ranges,
            Declared(declared), model.WeightBytes);
    }

    private static List<ManifestTensor> Declared(ModelDeclaration? declared) =>
        declared?.Inputs.Select(input => new ManifestTensor(input.Name, input.DataType,
            input.Dims?.Select(d => d < 0 || d > int.MaxValue ? -1 : (int)d).ToArray() ?? [], input.HasUnknownRank)).ToList() ?? [];

    private static ManifestTensor Tensor(TensorDescriptor tensor) =>
        new(tensor.Name, tensor.Type.Name(), tensor.Dims.Select(d => d > int.MaxValue ? -1 : (int)d).ToArray(), dataDependent: tensor.IsDataDependent);
}
