using Atc.Compiler.Ir;
using Atc.Options.Parsing;

namespace Atc.Compiler.Frontends;

/// <summary>
/// Reads one framework's model file into the framework-neutral <see cref="Graph"/>. Importers only translate:
/// they keep declared shapes (unknown dims as -1), node names and layouts, and report every unsupported op at once
/// (AtcErrors.UnsupportedOps), a malformed file (AtcErrors.ModelParseFailed) or an inconsistent graph
/// (AtcErrors.InvalidModel) by throwing <see cref="Atc.Options.AtcException"/>.
/// </summary>
public interface IModelImporter
{
    /// <param name="outNodes">ATC's --out_nodes (empty: the model's own outputs). The importer selects them on the
    /// source graph before lowering, with <see cref="OutNodeSelection"/>, so only what they need is lowered.</param>
    Graph Import(byte[] model, string path, IReadOnlyList<OutNodeSpec> outNodes);
}
