namespace Atc.SourceGen
{
    /// <summary>
    /// One AdditionalFiles manifest with the item metadata the build attached to it, reduced to strings so the
    /// incremental pipeline can compare it by value (no Roslyn symbols or AdditionalText instances survive a step).
    /// </summary>
    internal sealed record ManifestItem(
        string ManifestPath,
        string? Text,
        string ModelPath,
        string? ClassName,
        string? Namespace,
        string RootNamespace,
        string ResourceName);
}
