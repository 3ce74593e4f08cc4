using System.Collections.Immutable;
using System.Linq;
using Atc.Options;
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
        /// <summary>Help links: the docs base URL this assembly was built with (AtcDocsBaseUrl) plus the page and anchor.</summary>
        public static readonly string HelpBase = HelpLinks.Absolute(HelpLinks.BuildIntegrationPage + "#");

        private static readonly string[] CompilationEnd = { WellKnownDiagnosticTags.CompilationEnd };

        /// <summary>Option-rule descriptors by ATC code: every code of the shared catalog.</summary>
        public static readonly ImmutableDictionary<string, DiagnosticDescriptor> OptionRules =
            AtcErrorCatalog.All.ToImmutableDictionary(entry => entry.Code, FromCatalog);

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
            "ATC0001", "Invalid ATC option", "{0}", OptionsCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpBase + "atc0001", customTags: CompilationEnd);

        public static readonly DiagnosticDescriptor BatchOutsideGears = new DiagnosticDescriptor(
            "ATC1001", "Batch size outside the model's gears",
            "Batch size {0} is outside the gears of {1} ({2}): the call throws ArgumentOutOfRangeException. Split the batch, or add a gear of at least {0} to DynamicBatchSize.",
            UsageCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + "atc1001");

        public static DiagnosticDescriptor ForCode(string code) =>
            OptionRules.TryGetValue(code, out var descriptor) ? descriptor : OtherOptionRule;

        public static ImmutableArray<DiagnosticDescriptor> AllOptionRules =>
            OptionRules.Values.OrderBy(d => d.Id).Append(OtherOptionRule).ToImmutableArray();
    }
}
