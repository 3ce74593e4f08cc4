using Atc.Options.Errors;

namespace Atc.Options.Tests;

public class ErrorCatalogTests
{
    [Fact]
    public void Codes_are_unique_and_findable()
    {
        var codes = AtcErrorCatalog.All.Select(d => d.Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Same(AtcErrorCatalog.E10035, AtcErrorCatalog.Find("E10035"));
        Assert.Null(AtcErrorCatalog.Find("E99999"));
    }

    [Fact]
    public void Seed_texts_keep_ATC_s_en_dash()
    {
        Assert.Contains("can be –1 in [--input_shape]", AtcErrorCatalog.E10018.MessageTemplate);
        Assert.Contains("\u2013", AtcErrorCatalog.E10019.MessageTemplate);
        Assert.Contains("\u2013", AtcErrorCatalog.E10019.PossibleCause);
        Assert.Contains("\u2013", AtcErrorCatalog.E10019.Solution);
    }

    [Fact]
    public void Own_codes_are_marked_and_ATC_codes_have_a_solution()
    {
        Assert.Equal(AtcErrorOrigin.Project, AtcErrorCatalog.ATC9999.Origin);
        Assert.All(AtcErrorCatalog.All.Where(d => d.Code.StartsWith("EZ", StringComparison.Ordinal)), d => Assert.Equal(AtcErrorOrigin.Project, d.Origin));
        // ATC gives "N/A" as the solution of E13004 and E13014.
        Assert.All(AtcErrorCatalog.All.Where(d => d.Origin == AtcErrorOrigin.Atc && d.Code is not ("E13004" or "E13014")), d => Assert.NotNull(d.Solution));
    }

    [Fact]
    public void Help_links_point_at_the_code_anchor()
        => Assert.Equal("docs/errors.md#e10035", AtcErrorCatalog.E10035.HelpLink);

    [Fact]
    public void Importer_factories_keep_their_texts()
    {
        Assert.Equal("Failed to parse file [m.pb] as a TensorFlow model. Reason: truncated.", AtcErrors.ModelParseFailed("m.pb", "TensorFlow", "truncated").Message);
        Assert.Equal("Check that the file is a complete TensorFlow model and that --framework matches it.", AtcErrors.ModelParseFailed("m.pb", "TensorFlow", "x").Solution);
        Assert.Equal("The model contains 1 unsupported op type(s): [Foo] (node [n]).", AtcErrors.UnsupportedOps([new("Foo", "n")]).Message);
        Assert.Equal("ATC1202", AtcErrors.InvalidModel("x").Code);
    }
}

public class RuntimeAndFileErrorTests
{
    [Fact]
    public void E10050_a_size_outside_the_compiled_range()
    {
        var d = AtcErrors.RangeDimOutOfBounds(12, 1, 10);
        Assert.Equal("E10050", d.Code);
        Assert.Equal("Current dimension size [12] is not in the range of [1–10] specified by [--input_shape].", d.Message);
    }

    [Fact]
    public void E13001_and_E13004_name_the_file_and_the_reason()
    {
        Assert.Equal("Failed to open file [m.pb]. Reason: Permission denied.", AtcErrors.ReadFailed("m.pb", "model", "Permission denied").Message);
        Assert.Equal("Failed to write file [o.om]. Reason: Disk full.", AtcErrors.WriteFailed("o.om", "output", "Disk full").Message);
    }
}
