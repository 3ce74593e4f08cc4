using Atc.Compiler.Emit;
using Atc.Options;
using Atc.Options.Manifest;
using Atc.Runtime;

namespace Atc.Cli.Manifest;

/// <summary>
/// Builds the model manifest from a compiled .om, read back through the runtime: the manifest then describes exactly
/// what the runtime will load (signature, gears with their output shapes, ranges) plus the memory plan (weights and
/// the arena of each gear). The model's declared inputs (before --input_shape) are not in the .om; the compile
/// caller passes them when it has them (<see cref="ModelDeclarations"/>); otherwise the manifest records none.
/// </summary>
public static class ManifestReader
{
    public static ModelManifest Read(string omPath, IEnumerable<ManifestTensor>? declaredInputs = null)
    {
        var model = InferenceModel.Load(omPath);
        var signature = model.Signature;
        var inputs = signature.Inputs.Select(Tensor).ToList();
        var outputs = signature.Outputs.Select(Tensor).ToList();
        var plans = model.Content.Plans;
        var gears = signature.Gears.Select(gear => new ManifestGear(
            gear.Selector,
            gear.InputShapes.Select((shape, k) => new ManifestShape(signature.Inputs[k].Name, shape)).ToList(),
            gear.OutputShapes.Select((shape, k) => new ManifestShape(signature.Outputs[k].Name, shape)).ToList(),
            gear.Index < plans.Length ? plans[gear.Index].ArenaSize : 0)).ToList();
        var ranges = signature.Ranges.Select(range => new ManifestRange(range.InputName, range.Min, range.Max)).ToList();
        long weights = model.Content.Graph.Constants.Sum(constant => (long)(constant?.Bytes.Length ?? 0));
        return new ModelManifest(model.Name, model.SocVersion, GearKinds.FromModel(signature.GearKind), inputs, outputs, gears, ranges,
            declaredInputs?.ToList() ?? [], weights);
    }

    /// <summary>Reads the .om and writes its manifest (through a temporary file).</summary>
    public static void Write(string omPath, string manifestPath, IEnumerable<ManifestTensor>? declaredInputs = null) =>
        ManifestWriter.Write(Read(omPath, declaredInputs), manifestPath);

    private static ManifestTensor Tensor(TensorDescriptor tensor) =>
        new(tensor.Name, tensor.Type.Name(), tensor.Dims.Select(d => d > int.MaxValue ? -1 : (int)d).ToArray());
}
