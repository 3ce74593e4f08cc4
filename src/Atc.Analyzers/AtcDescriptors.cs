using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Atc.Analyzers
{
    /// <summary>
    /// Diagnostic descriptors. The option-rule diagnostics use ATC's own codes as ids (E10035, E10018, ...) so the
    /// build output reads like ATC's; their message is the shared catalog's text, its solution and a concrete fix.
    /// </summary>
    public static class AtcDescriptors
    {
        public const string OptionsCategory = "Atc.Options";
        public const string UsageCategory = "Atc.Usage";
        public const string HelpBase = "https://example.invalid/atc-dotnet/docs/build-integration.md#";

        private static readonly string[] CompilationEnd = { WellKnownDiagnosticTags.CompilationEnd };

        // One field per code (not built in a loop) so release tracking (AnalyzerReleases.*.md) can see each rule.
        public static readonly DiagnosticDescriptor E10001 = new DiagnosticDescriptor(
            "E10001", "Invalid ATC option value", "{0}", OptionsCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpBase + "e10001", customTags: CompilationEnd);
        public static readonly DiagnosticDescriptor E10018 = new DiagnosticDescriptor(
            "E10018", "Only the batch axis may be -1 with DynamicBatchSize", "{0}", OptionsCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpBase + "e10018", customTags: CompilationEnd);
        public static readonly DiagnosticDescriptor E10019 = new DiagnosticDescriptor(
            "E10019", "Only height and width may be -1 with DynamicImageSize", "{0}", OptionsCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpBase + "e10019", customTags: CompilationEnd);
        public static readonly DiagnosticDescriptor E10035 = new DiagnosticDescriptor(
            "E10035", "Too few gears in a dynamic shape option", "{0}", OptionsCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpBase + "e10035", customTags: CompilationEnd);
        public static readonly DiagnosticDescriptor E10036 = new DiagnosticDescriptor(
            "E10036", "Too many gears in a dynamic shape option", "{0}", OptionsCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpBase + "e10036", customTags: CompilationEnd);

        /// <summary>Option-rule descriptors by ATC code.</summary>
        public static readonly ImmutableDictionary<string, DiagnosticDescriptor> OptionRules =
            new[] { E10001, E10018, E10019, E10035, E10036 }.ToImmutableDictionary(d => d.Id);



        /// <summary>A rule from the shared catalog that this analyzer release does not list yet: reported under ATC0001 with its code in the text.</summary>
        public static readonly DiagnosticDescriptor OtherOptionRule = new DiagnosticDescriptor(
            "ATC0001", "Invalid ATC option", "{0}", OptionsCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpBase + "atc0001", customTags: new[] { WellKnownDiagnosticTags.CompilationEnd });

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
