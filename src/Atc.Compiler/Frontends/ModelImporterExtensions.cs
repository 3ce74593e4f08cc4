using Atc.Compiler.Ir;

namespace Atc.Compiler.Frontends;

public static class ModelImporterExtensions
{
    /// <summary>Imports with the model's own outputs (no --out_nodes).</summary>
    public static Graph Import(this IModelImporter importer, byte[] model, string path) => importer.Import(model, path, []);
}
