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

    /// <summary>What the bf16 modes compute, and why (checked by reflection on the SDK: Bf16IntrinsicsTests).</summary>
    private const string Bf16Compute = """

        ## What the bf16 modes compute here

        `--precision_mode=allow_fp32_to_bf16` / `allow_mix_precision_bf16` and `--precision_mode_v2=mixed_bfloat16`
        round the weights of Conv, Gemm and MatMul to bfloat16 (nearest even) at compile time and store them as
        bfloat16 in the .om (half the weight bytes). At load the runtime widens them to float32 (exact: a bfloat16 is
        the high half of a float32), and every kernel multiplies and accumulates in float32. The error is therefore
        that of bfloat16-rounded weights (relative error of each weight at most 2^-9), not of bfloat16 arithmetic, and
        the speed is that of float32.

        There is no bfloat16 dot-product kernel (`vdpbf16ps`) although the CPU has AVX512_BF16: the runtime is pure
        managed code, and .NET 10 has no intrinsic for it. Checked by reflection on this SDK (10.0.401, runtime 10.0.12):
        `System.Runtime.Intrinsics.X86` has no `Avx512Bf16` class and no method with BF16/BFloat16 in its name;
        `Avx10v1` and `Avx10v2` exist but have no BF16 dot product (and report `IsSupported = false` on this CPU);
        there is no `System.Numerics.BFloat16` type. `Bf16IntrinsicsTests` repeats the check, so it fails when a
        future SDK adds the intrinsic and the kernel becomes possible.

        """;

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
        sb.Append(Bf16Compute);
        return sb.ToString();
    }
}
