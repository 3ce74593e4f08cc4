using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Atc.Options.Errors;
using Atc.Options.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Atc.SourceGen
{
    /// <summary>
    /// Generates a typed wrapper per compiled model. Input: the manifests the MSBuild task writes next to each .om,
    /// passed as AdditionalFiles with <c>AtcKind=manifest</c> and the item's metadata. Pipeline:
    /// manifest text + metadata (strings) → <see cref="ModelParseResult"/> (value-equatable) → emitted source;
    /// problems flow through their own output so a bad manifest never blocks the others.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class AscendModelGenerator : IIncrementalGenerator
    {
        public const string ManifestFilesStep = "AtcManifestFiles";
        public const string ModelsStep = "AtcModels";
        public const string ProblemsStep = "AtcProblems";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var manifests = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select((pair, cancel) => ReadItem(pair.Left, pair.Right, cancel))
                .Where(item => item is not null)
                .Select((item, _) => item!)
                .WithTrackingName(ManifestFilesStep);

            var results = manifests
                .Select((item, _) => ModelSpecReader.Read(item))
                .WithTrackingName(ModelsStep);

            var specs = results
                .Where(result => result.Spec is not null)
                .Select((result, _) => result.Spec!);

            context.RegisterSourceOutput(specs, static (output, spec) =>
                output.AddSource(HintName(spec), SourceText.From(WrapperEmitter.Emit(spec), System.Text.Encoding.UTF8)));

            var problems = results
                .Where(result => result.Problem is not null)
                .Select((result, _) => result.Problem!)
                .WithTrackingName(ProblemsStep);
            context.RegisterSourceOutput(problems, static (output, problem) => Report(output, problem));

            // Two manifests generating one class: only visible across all models.
            var duplicates = specs
                .Select((spec, _) => new ClassClaim(spec.Namespace + "." + spec.ClassName, spec.ModelPath, spec.ManifestPath))
                .Collect()
                .SelectMany((claims, _) => FindDuplicates(claims));
            context.RegisterSourceOutput(duplicates, static (output, problem) => Report(output, problem));
        }

        /// <summary>Unique per model even when two models claim one class (reported as ATC9003, not a crash).</summary>
        private static string HintName(ModelSpec spec) =>
            spec.ClassName + "." + new string(spec.ModelPath.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray()) + ".g.cs";

        private static ManifestItem? ReadItem(AdditionalText file, AnalyzerConfigOptionsProvider optionsProvider, CancellationToken cancel)
        {
            var options = optionsProvider.GetOptions(file);
            if (!options.TryGetValue("build_metadata.AdditionalFiles.AtcKind", out var kind) || kind != "manifest")
                return null;
            string? Metadata(string name) =>
                options.TryGetValue("build_metadata.AdditionalFiles." + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
            optionsProvider.GlobalOptions.TryGetValue("build_property.RootNamespace", out var rootNamespace);
            var text = file.GetText(cancel)?.ToString();
            return new ManifestItem(
                file.Path,
                text,
                Metadata("AtcModel") ?? file.Path,
                Metadata("AtcClassName"),
                Metadata("AtcNamespace"),
                string.IsNullOrWhiteSpace(rootNamespace) ? "" : rootNamespace!.Trim(),
                Metadata("AtcResourceName") ?? "");
        }

        private sealed record ClassClaim(string FullName, string ModelPath, string ManifestPath);

        private static IEnumerable<DiagnosticInfo> FindDuplicates(ImmutableArray<ClassClaim> claims)
        {
            foreach (var group in claims.GroupBy(claim => claim.FullName).Where(group => group.Count() > 1))
            {
                var first = group.First();
                foreach (var other in group.Skip(1))
                    yield return new DiagnosticInfo(AtcToolingErrorCatalog.DuplicateClassNameId,
                        string.Join("\u0001", first.ModelPath, other.ModelPath, group.Key.Substring(group.Key.LastIndexOf('.') + 1)),
                        other.ManifestPath);
            }
        }

        private static void Report(SourceProductionContext output, DiagnosticInfo problem)
        {
            var location = Location.Create(problem.FilePath, default, default);
            output.ReportDiagnostic(Diagnostic.Create(GeneratorDiagnostics.ById(problem.Id), location, problem.Message.Split('\u0001').Cast<object>().ToArray()));
        }
    }

    /// <summary>Manifest text and metadata → a spec with the final class name and namespace, or a problem.</summary>
    internal static class ModelSpecReader
    {
        public static ModelParseResult Read(ManifestItem item)
        {
            // Not compiled yet (a design-time build before the first build): nothing to generate, nothing to report;
            // a real build always compiles the model before the compiler runs.
            if (item.Text is null) return new ModelParseResult(null, null);
            if (!ManifestFormat.TryParse(item.Text, out var manifest, out var error))
                return Problem(AtcToolingErrorCatalog.UnreadableManifestId, item.ManifestPath, item.ManifestPath, error!);

            var className = item.ClassName ?? Naming.ClassNameForModel(item.ModelPath);
            if (!Naming.IsValidIdentifier(className))
                return Problem(AtcToolingErrorCatalog.InvalidClassNameId, item.ManifestPath, className);
            var ns = item.Namespace ?? item.RootNamespace;
            if (ns.Length > 0 && !Naming.IsValidNamespace(ns)) ns = "";
            var resource = item.ResourceName.Length > 0 ? item.ResourceName : className + ".om";
            return new ModelParseResult(new ModelSpec(className, ns, resource, item.ModelPath.Replace('\\', '/'), item.ManifestPath, manifest!), null);
        }

        private static ModelParseResult Problem(string id, string path, params string[] args) =>
            new ModelParseResult(null, new DiagnosticInfo(id, string.Join("\u0001", args), path));
    }
}
