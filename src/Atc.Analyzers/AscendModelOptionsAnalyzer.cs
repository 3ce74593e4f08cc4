using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Atc.Options.ItemRules;
using Atc.Options.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Atc.Analyzers
{
    /// <summary>
    /// Checks ATC's shape-option rules on every AscendModel item and reports each violation at its attribute in the
    /// project file. The build passes each item as an AdditionalFile (its manifest path, <c>AtcKind=manifest</c>) with
    /// the options as metadata, and the project files that define items (<c>AtcKind=project</c>) so the attribute can
    /// be located. In a command-line build the MSBuild task already reported these (and stopped the build), so the
    /// analyzer stays quiet there: the targets set <c>AtcOptionsCheckedBy=task</c> outside design-time builds.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AscendModelOptionsAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => AtcDescriptors.AllOptionRules;

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationAction(Analyze);
        }

        private static void Analyze(CompilationAnalysisContext context)
        {
            var global = context.Options.AnalyzerConfigOptionsProvider.GlobalOptions;
            if (global.TryGetValue("build_property.AtcOptionsCheckedBy", out var checkedBy) &&
                string.Equals(checkedBy, "task", StringComparison.OrdinalIgnoreCase))
                return;

            var files = context.Options.AdditionalFiles;
            var projects = new Dictionary<string, AdditionalText>(StringComparer.OrdinalIgnoreCase);
            var models = new List<(AdditionalText File, AnalyzerConfigOptions Options)>();
            foreach (var file in files)
            {
                var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(file);
                options.TryGetValue("build_metadata.AdditionalFiles.AtcKind", out var kind);
                if (kind == "project") projects[Normalize(file.Path)] = file;
                else if (kind == "manifest") models.Add((file, options));
            }

            foreach (var (file, options) in models)
            {
                string? Metadata(string name) =>
                    options.TryGetValue("build_metadata.AdditionalFiles.Atc" + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
                var modelPath = Metadata("Model") ?? file.Path;
                var itemOptions = new AscendModelOptions(modelPath, Metadata);
                var problems = OptionRuleAdapter.Check(itemOptions, ManifestDeclarations.From(LastManifest(file, context)), checkAgainstModel: true);
                if (problems.Count == 0) continue;

                var projectPath = Metadata("DefiningProject");
                projects.TryGetValue(projectPath is null ? "" : Normalize(projectPath), out var project);
                var projectText = project?.GetText(context.CancellationToken);
                foreach (var problem in problems)
                {
                    var location = Locate(projectPath, projectText, modelPath, problem.Attribute);
                    var descriptor = AtcDescriptors.ForCode(problem.Diagnostic.Code);
                    var message = descriptor == AtcDescriptors.OtherOptionRule ? problem.Diagnostic.Code + ": " + problem.FullMessage : problem.FullMessage;
                    var properties = ImmutableDictionary<string, string?>.Empty
                        .Add("Attribute", problem.Attribute)
                        .Add("Fix", problem.Diagnostic.Fix);
                    context.ReportDiagnostic(Diagnostic.Create(descriptor, location, properties, message));
                }
            }
        }

        private static Location Locate(string? projectPath, SourceText? projectText, string modelPath, string? attribute)
        {
            if (projectPath is null) return Location.None;
            var found = projectText is null ? null : ProjectFileLocator.Find(projectText.ToString(), modelPath, attribute);
            if (found is null) return Location.Create(projectPath, default, new LinePositionSpan(default, default));
            return Location.Create(projectPath, new TextSpan(found.Start, found.Length),
                new LinePositionSpan(new LinePosition(found.Line - 1, found.Column - 1), new LinePosition(found.EndLine - 1, found.EndColumn - 1)));
        }

        /// <summary>The manifest of the last successful build, if any.</summary>
        private static ModelManifest? LastManifest(AdditionalText manifestFile, CompilationAnalysisContext context)
        {
            var text = manifestFile.GetText(context.CancellationToken)?.ToString();
            return text is not null && ManifestFormat.TryParse(text, out var manifest, out _) ? manifest : null;
        }

        private static string Normalize(string path) => path.Replace('\\', '/');
    }
}
