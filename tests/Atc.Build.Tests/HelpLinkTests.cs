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
    public void TheBuildTasksOwnCodesHaveAnchorsInTheBuildIntegrationPage()
    {
        var page = File.ReadAllText(Path.Combine(RepoRoot.Find(), "docs", "build-integration.md"));
        foreach (var code in new[] { "atc0001", "atc0002", "atc0003", "atc0004", "atc0005", "atc1001", "atc9001", "atc9002", "atc9003" })
            Assert.Matches(new Regex($"<a id=\"{code}\"></a>"), page);
    }
}
