using System.Text;
using Atc.Options.Errors;

namespace Atc.Compiler.Tests.Docs;

/// <summary>
/// docs/errors.md is rendered from the error catalog, so help links (analyzers, CLI) always land on a current entry.
/// Run with ATC_UPDATE_DOCS=1 to rewrite the page after changing the catalog.
/// </summary>
public class ErrorReferencePageTests
{
    [Fact]
    public void The_error_page_matches_the_catalog()
    {
        string root = RepoRoot();
        string path = Path.Combine(root, AtcErrorCatalog.HelpPage);
        string expected = Render();
        if (Environment.GetEnvironmentVariable("ATC_UPDATE_DOCS") == "1") File.WriteAllText(path, expected);
        Assert.True(File.Exists(path), $"{path} is missing: run the tests with ATC_UPDATE_DOCS=1");
        Assert.Equal(expected, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Every_code_is_unique_and_has_a_solution()
    {
        var codes = AtcErrorCatalog.All.Select(d => d.Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(AtcErrorCatalog.All, d => Assert.False(string.IsNullOrWhiteSpace(d.MessageTemplate), d.Code));
    }

    private static string Render()
    {
        var sb = new StringBuilder();
        sb.Append("# Error reference\n\n");
        sb.Append("Every code the compiler, the MSBuild task and the analyzers report. Codes with ATC as origin carry ATC's own\n");
        sb.Append("message, cause and solution; codes prefixed `ATC` are this project's, for cases ATC has no code for:\n");
        sb.Append("ATC00xx build integration (analyzers, task, targets), ATC01xx build task, ATC1xxx compiler (11xx hostile\n");
        sb.Append("inputs and limits, 12xx model import), ATC2xxx runtime (20xx .om, 21xx sessions, 22xx runner), ATC3xxx\n");
        sb.Append("deployment options (30xx) and AIPP (31xx), ATC9xxx source generator and internal errors (ATC9999).\n");
        sb.Append("This page is generated from `src/Atc.Options/Errors/AtcErrorCatalog.cs` by `ErrorReferencePageTests`.\n\n");
        foreach (var d in AtcErrorCatalog.All.OrderBy(d => d.Code, StringComparer.Ordinal))
        {
            sb.Append("<a id=\"").Append(d.HelpAnchor).Append("\"></a>\n");
            sb.Append("## ").Append(d.Code).Append(" — ").Append(d.Title).Append("\n\n");
            sb.Append("- Origin: ").Append(d.Origin == AtcErrorOrigin.Atc ? "ATC" : "this project").Append('\n');
            sb.Append("- Severity: ").Append(d.Severity).Append('\n');
            sb.Append("- Message: `").Append(Unescape(d.MessageTemplate).Replace("`", "'")).Append("`\n");
            if (d.PossibleCause is not null) sb.Append("- Possible cause: ").Append(d.PossibleCause).Append('\n');
            if (d.Solution is not null) sb.Append("- Solution: ").Append(Unescape(d.Solution)).Append('\n');
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Atc.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Atc.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A template as its reader sees it: "{{" and "}}" are format escapes for literal braces.</summary>
    private static string Unescape(string template) => template.Replace("{{", "{").Replace("}}", "}");
}
