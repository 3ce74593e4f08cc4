using Atc.Options.Errors;
using Atc.Options.Parsing;

namespace Atc.Options.Tests;

public class InputShapeParserTests
{
    private static (IReadOnlyList<InputShapeSpec> Specs, List<AtcDiagnostic> Diagnostics) Parse(string? text)
    {
        var diagnostics = new List<AtcDiagnostic>();
        return (InputShapeParser.Parse(text, diagnostics), diagnostics);
    }

    [Fact]
    public void Parses_names_shapes_and_several_inputs()
    {
        var (specs, diagnostics) = Parse("Inputs:1,224,224,3;mask:1,10");

        Assert.Empty(diagnostics);
        Assert.Equal(["Inputs", "mask"], specs.Select(s => s.Name!).ToArray());
        Assert.Equal("1,224,224,3", specs[0].DimsText);
        Assert.Equal([DimSpec.Fixed(1), DimSpec.Fixed(10)], specs[1].Dims);
    }

    [Theory]
    [InlineData("x:0:1,2", "x:0", "1,2")]
    [InlineData("scope/a:b:c:-1,3", "scope/a:b:c", "-1,3")]
    [InlineData("x:0:", "x:0", "")]
    public void Names_may_contain_colons_and_the_shape_follows_the_last_one(string text, string name, string dims)
    {
        var (specs, diagnostics) = Parse(text);
        Assert.Empty(diagnostics);
        Assert.Equal(name, specs[0].Name);
        Assert.Equal(dims, specs[0].DimsText);
    }

    [Fact]
    public void Dynamic_axes_and_ranges()
    {
        var (specs, _) = Parse("a:-1,1~10,2~-1,3");
        Assert.Equal([DimSpec.Dynamic, DimSpec.Range(1, 10), DimSpec.Range(2, -1), DimSpec.Fixed(3)], specs[0].Dims);
        Assert.True(specs[0].HasDynamic);
        Assert.True(specs[0].HasRange);
        Assert.Equal("-1,1~10,2~-1,3", specs[0].DimsText);
    }

    [Fact]
    public void Empty_dims_are_a_scalar()
    {
        var (specs, diagnostics) = Parse("step:;x:4");
        Assert.Empty(diagnostics);
        Assert.Equal(0, specs[0].Rank);
        Assert.Equal(1, specs[1].Rank);
    }

    [Fact]
    public void Blanks_and_empty_entries_are_ignored()
    {
        var (specs, diagnostics) = Parse("  Inputs : 1 , 224 ,224, 3 ;; mask:2 ; ");
        Assert.Empty(diagnostics);
        Assert.Equal(["Inputs", "mask"], specs.Select(s => s.Name!).ToArray());
        Assert.Equal("1,224,224,3", specs[0].DimsText);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(";")]
    public void Nothing_given_is_no_shape_and_no_error(string? text)
    {
        var (specs, diagnostics) = Parse(text);
        Assert.Empty(specs);
        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("1,224,224,3", "input [1,224,224,3] has no ':' between its name and its shape")]
    [InlineData(":1,2", "the input name before ':' is empty")]
    [InlineData("x:1,,3", "an axis is empty in [1,,3]")]
    [InlineData("x:1,a", "[a] is not an integer")]
    [InlineData("x:1.5", "[1.5] is not an integer")]
    [InlineData("x:10~1", "range [10~1] has its minimum above its maximum")]
    [InlineData("x:0~4", "range [0~4] must start at 1 or more")]
    [InlineData("x:1~2~3", "range [1~2~3] must be written as min~max with integers")]
    [InlineData("x:1;x:2", "input [x] is given more than once")]
    public void Malformed_entries_are_E10002(string text, string reason)
    {
        var (_, diagnostics) = Parse(text);
        var d = Assert.Single(diagnostics);
        Assert.Equal("E10002", d.Code);
        Assert.Contains("Reason: " + reason + ". The value must be formatted as [input_name1:n1,c1,h1,w1;input_name2:n2,c2,h2,w2].", d.Message);
        Assert.Equal("input_shape", d.Parameter);
    }

    [Theory]
    [InlineData("x:0,3", "0")]
    [InlineData("x:1,-2", "-2")]
    public void Sizes_that_are_not_positive_are_E10011(string text, string bad)
    {
        var d = Assert.Single(Parse(text).Diagnostics);
        Assert.Equal("E10011", d.Code);
        Assert.Equal("Value [" + text + "] for parameter [--input_shape] is invalid. Shape values must be positive integers. The error value in the shape is " + bad, d.Message);
    }

    [Fact]
    public void Every_malformed_entry_is_reported_and_good_ones_kept()
    {
        var (specs, diagnostics) = Parse("a;b:0;c:x;d:1,2");
        Assert.Equal(["E10002", "E10011", "E10002"], diagnostics.Select(d => d.Code).ToArray());
        Assert.Equal("d", Assert.Single(specs).Name);
    }
}
