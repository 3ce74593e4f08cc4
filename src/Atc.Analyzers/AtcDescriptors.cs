using System.Collections.Immutable;
using System.Linq;
using Atc.Options;
using Atc.Options.Errors;
using Microsoft.CodeAnalysis;

namespace Atc.Analyzers
{
    /// <summary>
    /// Diagnostic descriptors. The option-rule diagnostics use ATC's own codes as ids (E10035, E10018, ...), one per
    /// code of the shared error catalog, so the build output and the IDE read like ATC; the message is the catalog's
    /// text, its solution and a concrete fix.
    /// </summary>
    public static class AtcDescriptors
    {
        public const string OptionsCategory = "Atc.Options";
        public const string UsageCategory = "Atc.Usage";
        private static readonly string[] CompilationEnd = { WellKnownDiagnosticTags.CompilationEnd };

        /// <summary>Option-rule descriptors by ATC code: every code of the shared catalog.</summary>
        public static readonly ImmutableDictionary<string, DiagnosticDescriptor> OptionRules =
            AtcErrorCatalog.All.Where(entry => !AtcToolingErrorCatalog.Contains(entry.Code)).ToImmutableDictionary(entry => entry.Code, FromCatalog);

        // The ids are the catalog's constants (AtcErrorCatalog); they are listed in docs/build-integration.md rather
        // than in AnalyzerReleases.*.md, which can only track ids written literally here.
#pragma warning disable RS1017 // DiagnosticId must be a constant
        private static DiagnosticDescriptor FromCatalog(AtcErrorDescriptor entry) => new DiagnosticDescriptor(
            entry.Code, entry.Title.Replace('_', ' '), "{0}", OptionsCategory,
            entry.Severity == AtcSeverity.Warning ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.Absolute(entry.HelpLink), customTags: CompilationEnd);
#pragma warning restore RS1017

        /// <summary>A code the catalog does not list (a newer compiler's): reported under ATC0001 with its code in the text.</summary>
        public static readonly DiagnosticDescriptor OtherOptionRule = new DiagnosticDescriptor(
            AtcToolingErrorCatalog.OtherOptionRuleId, "Invalid ATC option", AtcToolingErrorCatalog.ATC0001.MessageTemplate,
            OptionsCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpLinks.ForCode(AtcToolingErrorCatalog.OtherOptionRuleId), customTags: CompilationEnd);

        public static readonly DiagnosticDescriptor BatchOutsideGears = new DiagnosticDescriptor(
            AtcToolingErrorCatalog.BatchOutsideGearsId, "Batch size outside the model's gears",
            AtcToolingErrorCatalog.ATC0010.MessageTemplate, UsageCategory, DiagnosticSeverity.Warning,
            isEnabledByDefault: true, helpLinkUri: HelpLinks.ForCode(AtcToolingErrorCatalog.BatchOutsideGearsId));

        public static DiagnosticDescriptor ForCode(string code) =>
            OptionRules.TryGetValue(code, out var descriptor) ? descriptor : OtherOptionRule;

        public static ImmutableArray<DiagnosticDescriptor> AllOptionRules =>
            OptionRules.Values.OrderBy(d => d.Id).Append(OtherOptionRule).ToImmutableArray();
    }
}
