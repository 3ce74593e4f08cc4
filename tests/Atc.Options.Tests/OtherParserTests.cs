using Atc.Options.Parsing;

namespace Atc.Options.Tests;

public class OtherParserTests
{
    [Fact]
    public void Batch_gears_one_value_each()
    {
        var d = new List<AtcDiagnostic>();
        Assert.Equal([[1L], [2L], [4L], [8L]], GearListParser.ParseBatch(" 1, 2,4 ,8 ", d));
        Assert.Empty(d);
    }

    [Fact]
    public void Batch_gear_that_is_not_an_integer_is_E10001()
    {
        var d = new List<AtcDiagnostic>();
        Assert.Empty(GearListParser.ParseBatch("1,two", d));
        Assert.Equal("Value [1,two] for parameter [--dynamic_batch_size] is invalid. Reason: [two] is not an integer", Assert.Single(d).Message);
    }

    [Fact]
    public void Image_sizes_are_pairs()
    {
        var d = new List<AtcDiagnostic>();
        Assert.Equal([[448L, 448L], [224L, 224L]], GearListParser.ParseImageSize("448,448;224,224", d));
        Assert.Empty(d);
    }

    [Theory]
    [InlineData("448,448,3;224,224")]
    [InlineData("448;224")]
    [InlineData("448,x;224,224")]
    public void Image_sizes_that_are_not_pairs_are_E10020(string text)
    {
        var d = new List<AtcDiagnostic>();
        GearListParser.ParseImageSize(text, d);
        Assert.Equal("Value [" + text + "] for parameter [--dynamic_image_size] is invalid.", Assert.Single(d).Message);
        Assert.Equal("E10020", d[0].Code);
    }

    [Fact]
    public void Dims_gears_keep_their_values_in_order()
    {
        var d = new List<AtcDiagnostic>();
        Assert.Equal([[1L, 224L], [8L, 448L]], GearListParser.ParseDims(" 1,224; 8 ,448 ", d));
        Assert.Empty(d);
    }

    [Fact]
    public void Out_nodes_parse_with_colons_in_names()
    {
        var d = new List<AtcDiagnostic>();
        var specs = OutNodesParser.Parse("scope/fc:0; prob:1", d);
        Assert.Empty(d);
        Assert.Equal(["scope/fc:0", "prob:1"], specs.Select(s => s.ToString()).ToArray());
    }

    [Theory]
    [InlineData("prob")]
    [InlineData("prob:x")]
    [InlineData("prob:-1")]
    [InlineData(":0")]
    public void Malformed_out_nodes_are_E10001(string text)
    {
        var d = new List<AtcDiagnostic>();
        Assert.Empty(OutNodesParser.Parse(text, d));
        Assert.Equal("E10001", Assert.Single(d).Code);
        Assert.Equal("out_nodes", d[0].Parameter);
    }

    [Fact]
    public void Shape_ranges_parse_named_and_nameless()
    {
        var d = new List<AtcDiagnostic>();
        var named = InputShapeRangeParser.Parse("x:0:[1~10,224,224,3];y:[-1]", d);
        var nameless = InputShapeRangeParser.Parse("[1~10,3];[2]", d);
        Assert.Empty(d);
        Assert.Equal(["x:0", "y"], named.Select(s => s.Name!).ToArray());
        Assert.Equal([DimSpec.Range(1, 10), DimSpec.Fixed(224), DimSpec.Fixed(224), DimSpec.Fixed(3)], named[0].Dims);
        Assert.All(nameless, s => Assert.Null(s.Name));
    }

    [Theory]
    [InlineData("x:1~10,3")]
    [InlineData("x[1,2]")]
    [InlineData("x:[5~2]")]
    [InlineData("x:[1];[2]")]
    public void Malformed_shape_ranges_are_E10048(string text)
    {
        var d = new List<AtcDiagnostic>();
        InputShapeRangeParser.Parse(text, d);
        Assert.Equal("E10048", Assert.Single(d).Code);
        Assert.EndsWith("The value must be formatted as [input_name1:[n1,c1,h1,w1];input_name2:[n2,c2,h2,w2]].", d[0].Message);
    }
}
