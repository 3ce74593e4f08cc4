using Atc.Options.Manifest;

namespace Atc.SourceGen
{
    /// <summary>
    /// Everything the emitter needs for one wrapper. Equality is by value (the manifest compares by canonical text),
    /// so an unchanged manifest yields an equal spec and the generator reuses its cached output.
    /// </summary>
    internal sealed record ModelSpec(
        string ClassName,
        string Namespace,
        string ResourceName,
        string ModelPath,
        string ManifestPath,
        ModelManifest Manifest);

    /// <summary>A generator diagnostic as plain data (Location and Diagnostic are not value-comparable).</summary>
    internal sealed record DiagnosticInfo(string Id, string Message, string FilePath);

    /// <summary>The result of reading one manifest: a spec to emit or a problem to report.</summary>
    internal sealed record ModelParseResult(ModelSpec? Spec, DiagnosticInfo? Problem);
}
