using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Atc.Build.Tests.Infrastructure;

/// <summary>An additional file with fixed text (null = the file does not exist).</summary>
public sealed class TestAdditionalText(string path, string? text) : AdditionalText
{
    public override string Path { get; } = path;
    public override SourceText? GetText(CancellationToken cancellationToken = default) => text is null ? null : SourceText.From(text);
}

public sealed class TestConfigOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
{
    public override bool TryGetValue(string key, out string value)
    {
        if (values.TryGetValue(key, out var found)) { value = found; return true; }
        value = "";
        return false;
    }
}

/// <summary>What the generated .editorconfig gives the compiler: global properties and per-AdditionalFile metadata.</summary>
public sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> global, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> perFile)
    : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new TestConfigOptions(global);
    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new TestConfigOptions(new Dictionary<string, string>());
    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        new TestConfigOptions(perFile.TryGetValue(textFile.Path, out var values) ? values : new Dictionary<string, string>());
}

/// <summary>An AscendModel item as the build passes it to the compiler: its manifest file and metadata.</summary>
public sealed record ModelItem(string ManifestPath, string? ManifestText, string ModelPath, IReadOnlyDictionary<string, string> Metadata)
{
    public IReadOnlyDictionary<string, string> EditorConfig()
    {
        var values = new Dictionary<string, string>
        {
            ["build_metadata.AdditionalFiles.AtcKind"] = "manifest",
            ["build_metadata.AdditionalFiles.AtcModel"] = ModelPath,
        };
        foreach (var (key, value) in Metadata) values["build_metadata.AdditionalFiles.Atc" + key] = value;
        return values;
    }
}

public static class RoslynHarness
{
    public static readonly ImmutableArray<MetadataReference> FrameworkReferences =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "netstandard.dll" or "mscorlib.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "App",
        sources.Select((source, index) => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Source" + index + ".cs")),
        FrameworkReferences,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    public static (ImmutableArray<AdditionalText> Files, TestOptionsProvider Options) Inputs(
        IEnumerable<ModelItem> models, IDictionary<string, string>? global = null, IEnumerable<(string Path, string Text)>? projects = null)
    {
        var files = new List<AdditionalText>();
        var perFile = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var model in models)
        {
            files.Add(new TestAdditionalText(model.ManifestPath, model.ManifestText));
            perFile[model.ManifestPath] = model.EditorConfig();
        }
        foreach (var (path, text) in projects ?? [])
        {
            files.Add(new TestAdditionalText(path, text));
            perFile[path] = new Dictionary<string, string> { ["build_metadata.AdditionalFiles.AtcKind"] = "project" };
        }
        var globalOptions = new Dictionary<string, string>(global ?? new Dictionary<string, string>());
        globalOptions.TryAdd("build_property.RootNamespace", "App");
        return ([.. files], new TestOptionsProvider(globalOptions, perFile));
    }

    public static CSharpGeneratorDriver Driver(IIncrementalGenerator generator, ImmutableArray<AdditionalText> files, AnalyzerConfigOptionsProvider options) =>
        CSharpGeneratorDriver.Create(
            [generator.AsSourceGenerator()], files, new CSharpParseOptions(LanguageVersion.Latest), options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation, DiagnosticAnalyzer analyzer, ImmutableArray<AdditionalText> files, AnalyzerConfigOptionsProvider options) =>
        compilation.WithAnalyzers([analyzer], new AnalyzerOptions(files, options)).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    public static IEnumerable<Diagnostic> Errors(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
}
