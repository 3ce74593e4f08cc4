using System.Linq;
using Atc.Options.Manifest;

namespace Atc.Options.ItemRules
{
    /// <summary>The model's declared inputs recorded in a previous build's manifest, as the option rules see a model.</summary>
    public static class ManifestDeclarations
    {
        /// <summary>Null when the manifest does not record them (then no rule is checked against the model).</summary>
        public static ModelDeclaration? From(ModelManifest? manifest) =>
            manifest is null || manifest.DeclaredInputs.Count == 0
                ? null
                : new ModelDeclaration(manifest.DeclaredInputs.Select(input => new ModelInput(
                    input.Name, input.HasUnknownRank ? null : input.Shape.Select(d => (long)d).ToArray(), input.DataType)));
    }
}
