using System.Text;
using Atc.Options;

namespace Atc.Compiler.Tests.Docs;

/// <summary>docs/atc-options.md is rendered from <see cref="AtcOptionCatalog"/>: every ATC option with its status here.
/// Run with ATC_UPDATE_DOCS=1 to rewrite it.</summary>
public class AtcOptionsPageTests
{
    [Fact]
    public void The_options_page_matches_the_option_table()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Atc.sln"))) dir = dir.Parent;
        string path = Path.Combine(dir!.FullName, "docs", "atc-options.md");
        string expected = Render();
        if (Environment.GetEnvironmentVariable("ATC_UPDATE_DOCS") == "1") File.WriteAllText(path, expected);
        Assert.True(File.Exists(path), $"{path} is missing: run the tests with ATC_UPDATE_DOCS=1");
        Assert.Equal(expected, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Every_ignored_option_says_what_it_means_on_a_CPU_and_names_are_unique()
    {
        Assert.Equal(AtcOptionCatalog.Names.Count, AtcOptionCatalog.Names.Distinct().Count());
        Assert.All(AtcOptionCatalog.All.Where(o => o.Status == AtcOptionStatus.Ignored), o => Assert.False(string.IsNullOrWhiteSpace(o.CpuMeaning), o.Name));
    }

    private static string Render()
    {
        var sb = new StringBuilder();
        sb.Append("# ATC options\n\n");
        sb.Append("Every ATC conversion option and what this compiler does with it. Generated from\n");
        sb.Append("`src/Atc.Options/AtcOptionCatalog.cs` by `AtcOptionsPageTests`; the same table drives the CLI's parser and `--help`.\n");
        sb.Append("An option given twice takes its last value, as in ATC. Ignored options print warning `ATC3000` with their CPU meaning;\n");
        sb.Append("a value outside ATC's fixed set is `E10001` listing the set.\n\n");
        sb.Append("| option | status | values | what it does here |\n|---|---|---|---|\n");
        foreach (var o in AtcOptionCatalog.All)
        {
            var status = o.Status switch
            {
                AtcOptionStatus.Implemented => "implemented",
                AtcOptionStatus.ImplementedForCpu => "implemented with a CPU meaning",
                AtcOptionStatus.Ignored => "accepted and ignored, warning ATC3000",
                AtcOptionStatus.NotSupported => "not supported, error E10055",
                _ => "this project's own",
            };
            var what = o.Status == AtcOptionStatus.Ignored ? o.Description + " On a CPU target " + o.CpuMeaning + "." : o.Description;
            sb.Append("| `--").Append(o.Name).Append("` | ").Append(status).Append(" | `").Append(o.HelpName.Replace("|", "\\|")).Append("` | ")
              .Append(what.Replace("|", "\\|")).Append(" |\n");
        }
        return sb.ToString();
    }
}
