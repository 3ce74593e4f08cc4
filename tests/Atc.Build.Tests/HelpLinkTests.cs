extern alias analyzers;
using System.Reflection;
using System.Text.RegularExpressions;
using Atc.Build.Tests.Infrastructure;
using AtcDescriptors = analyzers::Atc.Analyzers.AtcDescriptors;

namespace Atc.Build.Tests;

/// <summary>
/// Diagnostics' help links: absolute, built from the AtcDocsBaseUrl the assembly was built with (derived from
/// AtcRepositoryUrl), and each page#anchor exists in the repository's docs.
/// </summary>
public class HelpLinkTests
{
    private static string DocsBase(Assembly assembly) => assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AtcDocsBaseUrl").Value!.TrimEnd('/') + "/";

    [Fact]
    public void EveryAnalyzerHelpLinkIsTheDocsBaseUrlPlusAnAnchorThatExists()
    {
        var root = RepoRoot.Find();
        var docsBase = DocsBase(typeof(AtcDescriptors).Assembly);
        Assert.StartsWith("https://", docsBase);
        var descriptors = AtcDescriptors.AllOptionRules.Append(AtcDescriptors.BatchOutsideGears).ToList();
        Assert.Contains(descriptors, d => d.Id == "E10035");
        foreach (var descriptor in descriptors)
        {
            Assert.StartsWith(docsBase, descriptor.HelpLinkUri);
            var relative = descriptor.HelpLinkUri[docsBase.Length..];
            var parts = relative.Split('#');
            Assert.Equal(2, parts.Length);
            Assert.Equal(descriptor.Id.ToLowerInvariant(), parts[1]);
            var page = File.ReadAllText(Path.Combine(root, parts[0]));
            Assert.True(page.Contains($"<a id=\"{parts[1]}\"></a>", StringComparison.Ordinal), $"{parts[0]} has no anchor {parts[1]} ({descriptor.Id})");
        }
    }

    [Fact]
    public void TheBuildIntegrationsOwnIdsAreInTheOneCatalogWithAnchorsOnTheErrorPage()
    {
        var page = File.ReadAllText(Path.Combine(RepoRoot.Find(), "docs", "errors.md"));
        foreach (var entry in Atc.Options.Errors.AtcToolingErrorCatalog.All)
        {
            Assert.Same(entry, Atc.Options.Errors.AtcErrorCatalog.Find(entry.Code));
            Assert.Matches(new Regex($"<a id=\"{entry.Code.ToLowerInvariant()}\"></a>"), page);
        }
    }

    [Fact]
    public void TheTargetsFilesErrorTextsAreTheCatalogs()
    {
        // MSBuild XML cannot read the catalog: every Code="ATC...." in the targets must carry the catalog's text.
        var targets = Path.Combine(RepoRoot.Find(), "src", "Atc.MSBuild", "build", "Atc.Build.targets");
        var errors = System.Xml.Linq.XDocument.Load(targets).Descendants().Where(e => e.Name.LocalName == "Error").ToList();
        Assert.NotEmpty(errors);
        foreach (var error in errors)
        {
            var code = (string?)error.Attribute("Code");
            Assert.NotNull(code);
            var entry = Atc.Options.Errors.AtcErrorCatalog.Find(code!);
            Assert.True(entry is not null, $"{code} of Atc.Build.targets is not in the catalog");
            Assert.Equal(entry!.MessageTemplate, (string?)error.Attribute("Text"));
        }
    }
}
