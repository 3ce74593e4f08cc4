using Microsoft.CodeAnalysis;

namespace Atc.SourceGen
{
    /// <summary>Problems the generator itself reports (the ATC option rules are the analyzers' job).</summary>
    internal static class GeneratorDiagnostics
    {
        private const string Category = "Atc.SourceGen";
        private static readonly string HelpBase = Atc.Options.HelpLinks.Absolute(Atc.Options.HelpLinks.BuildIntegrationPage + "#");

        public static readonly DiagnosticDescriptor UnreadableManifest = new DiagnosticDescriptor(
            "ATC9001", "Model manifest could not be read",
            "The model manifest '{0}' could not be read: {1}. Rebuild the project so the compiler writes it again.",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "atc9001");

        public static readonly DiagnosticDescriptor InvalidClassName = new DiagnosticDescriptor(
            "ATC9002", "Invalid wrapper class name",
            "'{0}' is not a valid C# class name for the model wrapper. Set ClassName on the AscendModel item to an identifier such as 'TinyModel'.",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "atc9002");

        public static readonly DiagnosticDescriptor DuplicateClassName = new DiagnosticDescriptor(
            "ATC9003", "Two models generate the same wrapper class",
            "The models '{0}' and '{1}' both generate the class '{2}'. Set a distinct ClassName on one of the AscendModel items.",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "atc9003");

        public static DiagnosticDescriptor ById(string id) => id switch
        {
            "ATC9001" => UnreadableManifest,
            "ATC9002" => InvalidClassName,
            _ => DuplicateClassName,
        };
    }
}
