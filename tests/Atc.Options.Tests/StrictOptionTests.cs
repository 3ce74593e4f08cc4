using Atc.Options.Rules;
using Atc.Options.Tests;

namespace Atc.Options.Tests;

/// <summary>Issue 10: list options are parsed strictly (ATC's malformed-list errors) and sizes that do not fit the
/// runtime's int dims are coded errors, never truncated or wrapped.</summary>
public class StrictOptionTests
{
    private static AtcDiagnostic Single(List<AtcDiagnostic> d) => Assert.Single(d);

    [Theory]
    [InlineData("1,2,")]
    [InlineData("1,,2")]
    [InlineData(",1,2")]
    [InlineData(",")]
    public void An_empty_item_in_dynamic_batch_size_is_E10001(string gears)
    {
        var d = Single(ShapeOptionRulesTests.Check("x:-1,224,224,3", batch: gears));
        Assert.Equal("E10001", d.Code);
        Assert.Equal("Value [" + gears + "] for parameter [--dynamic_batch_size] is invalid. Reason: the list has an empty item (a doubled or trailing separator)", d.Message);
        Assert.Equal("dynamic_batch_size", d.Parameter);
    }

    [Theory]
    [InlineData("1,2;3,4;")]
    [InlineData("1,2;;3,4")]
    [InlineData("1,2;3,")]
    public void An_empty_profile_or_item_in_dynamic_dims_is_E10001(string gears)
    {
        var d = Single(ShapeOptionRulesTests.Check("x:-1,-1", dims: gears, format: "ND"));
        Assert.Equal("E10001", d.Code);
        Assert.Contains("empty item", d.Message);
    }

    [Theory]
    [InlineData("224,224;448,448;")]
    [InlineData("224,224,;448,448")]
    public void An_empty_profile_or_item_in_dynamic_image_size_is_E10020(string gears)
    {
        var d = Single(ShapeOptionRulesTests.Check("x:1,-1,-1,3", image: gears));
        Assert.Equal("E10020", d.Code);
        Assert.Contains("empty", d.Fix);
    }

    [Theory]
    [InlineData("1,2147483648", "2147483648")]
    [InlineData("1,4294967299", "4294967299")]
    [InlineData("1,99999999999999999999999", "99999999999999999999999")]
    public void A_gear_above_int_max_is_E10001_too_large(string gears, string item)
    {
        var d = Single(ShapeOptionRulesTests.Check("x:-1,3", batch: gears));
        Assert.Equal("E10001", d.Code);
        Assert.Contains("[" + item + "] is larger than 2147483647", d.Message);
    }

    [Fact]
    public void An_image_size_above_int_max_is_E10001_too_large()
        => Assert.Equal("E10001", Single(ShapeOptionRulesTests.Check("x:1,-1,-1,3", image: "4294967299,2;3,4")).Code);

    [Theory]
    [InlineData("x:4294967299,3", "[4294967299] is larger than 2147483647")]
    [InlineData("x:2147483648", "[2147483648] is larger than 2147483647")]
    [InlineData("x:1~4294967299,3", "has a bound larger than 2147483647")]
    public void An_input_shape_axis_above_int_max_is_E10002_too_large(string shape, string reason)
    {
        var d = Single(ShapeOptionRulesTests.Check(shape));
        Assert.Equal("E10002", d.Code);
        Assert.Contains(reason, d.Message);
    }

    [Fact]
    public void Gear_expansion_never_truncates_a_size()
    {
        // A model that declares 2^32+3 (the importers refuse it; this is the last guard behind them).
        var model = new ModelDeclaration([new ModelInput("x", [4294967299L, 2], "float32", "x")], new Dictionary<string, int>());
        var e = Assert.Throws<AtcException>(() => GearExpansion.Expand(ShapeOptions.None, model));
        Assert.Equal("E10001", Assert.Single(e.Diagnostics).Code);
        Assert.Contains("4294967299", e.Diagnostics[0].Message);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public void A_bad_arena_limit_is_E10001(string value)
    {
        var options = new AtcCommandOptions { Model = "m.pb", Framework = "3", Output = "o", SocVersion = "Ascend310", ArenaLimitMb = value };
        var d = Assert.Single(AtcCommandRules.Validate(options).Diagnostics);
        Assert.Equal("E10001", d.Code);
        Assert.Equal("arena_limit_mb", d.Parameter);
        Assert.Contains("[" + value + "]", d.Message);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("4096", 4096L)]
    [InlineData(null, null)]
    public void The_arena_limit_option_is_read(string? value, long? expected)
    {
        var options = new AtcCommandOptions { Model = "m.pb", Framework = "3", Output = "o", SocVersion = "Ascend310", ArenaLimitMb = value };
        var validation = AtcCommandRules.Validate(options);
        Assert.Empty(validation.Diagnostics);
        Assert.Equal(expected, validation.Command.ArenaLimitMb);
    }
}
