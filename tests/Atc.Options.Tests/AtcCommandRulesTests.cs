using Atc.Options.Errors;
using Atc.Options.Rules;

namespace Atc.Options.Tests;

public class AtcCommandRulesTests
{
    private static AtcCommandOptions Valid() => new()
    {
        Model = "m.pb", Framework = "3", Output = "out/m", SocVersion = "Ascend310", InputShape = "x:1,3",
    };

    private static AtcDiagnostic Single(AtcCommandOptions options) => Assert.Single(AtcCommandRules.Validate(options).Diagnostics);

    [Fact]
    public void A_valid_command_is_typed()
    {
        var v = AtcCommandRules.Validate(Valid());
        Assert.False(v.HasErrors);
        Assert.Equal(AtcMode.Convert, v.Command.Mode);
        Assert.Equal(AtcFramework.TensorFlow, v.Command.Framework);
        Assert.Equal("out/m.om", v.Command.OutputPath);
        Assert.Equal(AtcLogLevel.Null, v.Command.Log);
    }

    [Theory]
    [InlineData("model")]
    [InlineData("output")]
    [InlineData("soc_version")]
    public void E10054_required_option_missing(string name)
    {
        var o = Valid();
        o.Set(name, null);
        var d = Single(o);
        Assert.Equal("The required parameter [--" + name + "] for ATC is empty. Another possible reason is that the value of some parameter is not enclosed by quotation marks (\"\").", d.Message);
        Assert.Equal(name, d.Parameter);
    }

    [Fact]
    public void E10004_required_option_given_empty()
    {
        var o = Valid();
        o.Model = " ";
        Assert.Equal("Value for [--model] is empty.", Single(o).Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("4")]
    [InlineData("tf")]
    public void E10007_framework_required_with_its_values(string? value)
    {
        var o = Valid();
        o.Framework = value;
        Assert.Equal("[--framework] is required. The value must be [0(Caffe) or 1(MindSpore) or 3(TensorFlow) or 5(Onnx)].", Single(o).Message);
    }

    [Fact]
    public void E10055_mindspore_is_not_supported()
    {
        var o = Valid();
        o.Framework = "1";
        var d = Single(o);
        Assert.Equal("E10055", d.Code);
        Assert.Equal("The operation is not supported. Reason: --framework=1 (MindSpore) is not supported by this compiler; it imports Caffe (0), TensorFlow (3) and ONNX (5) models", d.Message);
    }

    [Fact]
    public void E10054_caffe_needs_its_weight_file()
    {
        var o = Valid();
        o.Framework = "0";
        var d = Single(o);
        Assert.Equal("E10054", d.Code);
        Assert.Equal("weight", d.Parameter);
        Assert.Contains("--weight=net.caffemodel", d.Fix);
    }

    [Fact]
    public void Caffe_with_a_weight_file_is_valid_and_the_command_carries_it()
    {
        var o = Valid();
        o.Framework = "0";
        o.Set(AtcOptionNames.Weight, " net.caffemodel ");
        var validation = AtcCommandRules.Validate(o);
        Assert.False(validation.HasErrors, string.Join("; ", validation.Diagnostics.Select(d => d.Code + " " + d.Message)));
        Assert.Equal(AtcFramework.Caffe, validation.Command.Framework);
        Assert.Equal("net.caffemodel", validation.Command.WeightPath);
    }

    [Fact]
    public void Weight_is_ignored_for_other_frameworks()
    {
        var o = Valid();
        o.Set(AtcOptionNames.Weight, "net.caffemodel");
        var validation = AtcCommandRules.Validate(o);
        Assert.False(validation.HasErrors);
        Assert.Null(validation.Command.WeightPath);
        var warning = Assert.Single(validation.Diagnostics, d => d.Code == "ATC3007");
        Assert.Equal(AtcSeverity.Warning, warning.Severity);
        Assert.Contains("[--weight=net.caffemodel]", warning.Message);
    }

    [Theory]
    [InlineData("Ascend310")]
    [InlineData("Ascend310B1")]
    [InlineData("Ascend310P3")]
    [InlineData("Ascend910")]
    [InlineData("Ascend910A")]
    [InlineData("Ascend910B")]
    [InlineData("Ascend910B3")]
    [InlineData("Ascend910_9391")]
    [InlineData("Ascend610")]
    [InlineData("Ascend950PR")]
    public void Soc_versions_ATC_accepts(string soc)
    {
        var o = Valid();
        o.SocVersion = soc;
        Assert.False(AtcCommandRules.Validate(o).HasErrors);
        Assert.Equal(soc, AtcCommandRules.Validate(o).Command.SocVersion);
    }

    [Theory]
    [InlineData("Ascend999", "Use the chip name as ATC spells it, e.g. --soc_version=Ascend310.")]
    [InlineData("ascend310p3", "Use --soc_version=Ascend310P3.")]
    [InlineData("x86", "Use the chip name as ATC spells it, e.g. --soc_version=Ascend310.")]
    public void E10001_unknown_soc_version(string soc, string fix)
    {
        var o = Valid();
        o.SocVersion = soc;
        var d = Single(o);
        Assert.StartsWith("Value [" + soc + "] for parameter [--soc_version] is invalid. Reason: The value is not a known Ascend AI processor", d.Message);
        Assert.Equal(fix, d.Fix);
    }

    [Fact]
    public void E10010_invalid_log_level()
    {
        var o = Valid();
        o.Log = "verbose";
        Assert.Equal("Value [verbose] for parameter [--log] is invalid.", Single(o).Message);
        o.Log = "DEBUG";
        Assert.Equal(AtcLogLevel.Debug, AtcCommandRules.Validate(o).Command.Log);
    }

    [Theory]
    [InlineData("2", "E10001")]
    [InlineData("x", "E10001")]
    [InlineData("6", "E10055")]
    public void Invalid_or_unimplemented_modes(string mode, string code)
    {
        var o = Valid();
        o.Mode = mode;
        Assert.Equal(code, Single(o).Code);
    }

    [Fact]
    public void Mode_3_needs_no_output_and_mode_1_needs_om_and_json()
    {
        var o = Valid();
        o.Mode = "3";
        o.Output = null;
        Assert.False(AtcCommandRules.Validate(o).HasErrors);

        var dump = new AtcCommandOptions { Mode = "1", Om = "m.om" };
        Assert.Equal("The required parameter [--json] for ATC is empty. Another possible reason is that the value of some parameter is not enclosed by quotation marks (\"\").", Single(dump).Message);
    }

    [Fact]
    public void E10022_output_that_names_a_folder()
    {
        var o = Valid();
        o.Output = "out/";
        Assert.Equal("Path [out/] for parameter [--output] does not include the file name.", Single(o).Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var o = new AtcCommandOptions
        {
            Framework = "1", Mode = "9", Log = "loud", SocVersion = "", InputShape = "x:-1,-1", DynamicBatchSize = "4", OutNodes = "a",
        };
        var codes = AtcCommandRules.Validate(o).Diagnostics.Select(d => d.Code).ToArray();
        Assert.Equal(["E10001", "E10010", "E10055", "E10054", "E10004", "E10054", "E10001", "E10035", "E10018"], codes);
    }
}
