using Atc.Options.Errors;
using Microsoft.CodeAnalysis;

namespace Atc.SourceGen
{
    /// <summary>Problems the generator itself reports (the ATC option rules are the analyzers' job). Ids and texts are
    /// the shared catalog's (<see cref="AtcToolingErrorCatalog"/>).</summary>
    internal static class GeneratorDiagnostics
    {
        private const string Category = "Atc.SourceGen";

        public static readonly DiagnosticDescriptor UnreadableManifest = Create(
            AtcToolingErrorCatalog.UnreadableManifestId, "Model manifest could not be read", AtcToolingErrorCatalog.ATC9001);

        public static readonly DiagnosticDescriptor InvalidClassName = Create(
            AtcToolingErrorCatalog.InvalidClassNameId, "Invalid wrapper class name", AtcToolingErrorCatalog.ATC9002);

        public static readonly DiagnosticDescriptor DuplicateClassName = Create(
            AtcToolingErrorCatalog.DuplicateClassNameId, "Two models generate the same wrapper class", AtcToolingErrorCatalog.ATC9003);

        public static DiagnosticDescriptor ById(string id) => id switch
        {
            AtcToolingErrorCatalog.UnreadableManifestId => UnreadableManifest,
            AtcToolingErrorCatalog.InvalidClassNameId => InvalidClassName,
            _ => DuplicateClassName,
        };

        private static DiagnosticDescriptor Create(string id, string title, AtcErrorDescriptor entry) => new DiagnosticDescriptor(
            id, title, entry.MessageTemplate, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpLinks.ForCode(id));
    }
}
