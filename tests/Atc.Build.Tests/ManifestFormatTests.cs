using Atc.Build.Tests.Infrastructure;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Manifest;

namespace Atc.Build.Tests;

public class ManifestFormatTests
{
    [Fact]
    public void FormatsTheDocumentedTextForm()
    {
        var text = Manifests.TinyBatch(1, 2).ToText();
        Assert.Equal("""
            atc-manifest 1
            model tiny
            soc Ascend310
            kind batch
            weights 40
            declared Placeholder float32 -1,4
            input Placeholder float32 -1,4
            output probs float32 -1,2
            gear 1 arena=64 in Placeholder=1,4 out probs=1,2
            gear 2 arena=128 in Placeholder=2,4 out probs=2,2

            """.Replace("\r\n", "\n"), text);
    }

    [Fact]
    public void RoundTripsADataDependentOutput()
    {
        var manifest = new ModelManifest("detector", "Ascend310", GearKind.Static,
            [new ManifestTensor("image", "float32", [1, 3, 8, 8])],
            [new ManifestTensor("selected", "int64", [-1, 3], dataDependent: true), new ManifestTensor("score", "float32", [1])],
            [new ManifestGear([], [new ManifestShape("image", [1, 3, 8, 8])], [new ManifestShape("selected", [-1, 3]), new ManifestShape("score", [1])], 64)],
            [], [], 0);
        string text = manifest.ToText();
        Assert.Contains("output selected int64 -1,3 data-dependent\n", text);
        Assert.Contains("output score float32 1\n", text);
        var parsed = ManifestFormat.Parse(text);
        Assert.True(parsed.Outputs[0].DataDependent);
        Assert.False(parsed.Outputs[1].DataDependent);
        Assert.Equal(text, parsed.ToText());
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void RoundTripsEveryKind(string name)
    {
        var manifest = Kind(name);
        var parsed = ManifestFormat.Parse(manifest.ToText());
        Assert.Equal(manifest, parsed);
        Assert.Equal(manifest.Kind, parsed.Kind);
        Assert.Equal(manifest.Gears.Count, parsed.Gears.Count);
        Assert.Equal(manifest.Ranges.Count, parsed.Ranges.Count);
        Assert.Equal(manifest.MaxArenaBytes, parsed.MaxArenaBytes);
    }

    public static TheoryData<string> AllKinds() => new() { "batch", "image", "static", "range" };

    private static ModelManifest Kind(string name) => name switch
    {
        "batch" => Manifests.TinyBatch(),
        "image" => Manifests.ImageGears(),
        "static" => Manifests.StaticTwoInputs(),
        _ => Manifests.Range(),
    };

    [Fact]
    public void EscapesSeparatorsInNames()
    {
        var manifest = new ModelManifest("my model", "", GearKind.Static,
            [new ManifestTensor("in put=1,x%", "float32", [])], [new ManifestTensor("out#", "int64", [2])],
            [new ManifestGear([], [new ManifestShape("in put=1,x%", [])], [new ManifestShape("out#", [2])], 8)], [], [], 0);
        var parsed = ManifestFormat.Parse(manifest.ToText());
        Assert.Equal("my model", parsed.ModelName);
        Assert.Equal("in put=1,x%", parsed.Inputs[0].Name);
        Assert.Empty(parsed.Inputs[0].Shape);
        Assert.Equal("out#", parsed.Gears[0].Outputs[0].Name);
        Assert.Equal("", parsed.SocVersion);
    }

    [Fact]
    public void DeclaredInputsOfUnknownRankRoundTrip()
    {
        var manifest = new ModelManifest("m", "", GearKind.Static, [], [], [], [],
            [new ManifestTensor("x", "float32", [], hasUnknownRank: true), new ManifestTensor("s", "int64", [])], 0);
        Assert.Contains("declared x float32 unknown\ndeclared s int64 scalar\n", manifest.ToText());
        var parsed = ManifestFormat.Parse(manifest.ToText());
        Assert.True(parsed.DeclaredInputs[0].HasUnknownRank);
        Assert.False(parsed.DeclaredInputs[1].HasUnknownRank);
        Assert.Equal(manifest, parsed);
    }

    [Fact]
    public void IgnoresRecordsFromNewerCompilers()
    {
        var text = Manifests.TinyBatch(1, 2).ToText() + "future-record a b c\n";
        Assert.Equal(Manifests.TinyBatch(1, 2), ManifestFormat.Parse(text));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("model x\n", "does not start with")]
    [InlineData("atc-manifest 9\nmodel x\n", "newer than this reader")]
    [InlineData("atc-manifest 1\nkind batch\n", "no 'model' line")]
    [InlineData("atc-manifest 1\nmodel x\ninput a float32 1,two\n", "line 3")]
    [InlineData("atc-manifest 1\nmodel x\nkind sideways\n", "unknown kind 'sideways'")]
    [InlineData("atc-manifest 1\nmodel x\ngear 1 in a\n", "expected name=shape")]
    public void RejectsMalformedTextNamingTheProblem(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ManifestFormat.Parse(text));
        Assert.Contains(expected, error.Message);
        Assert.False(ManifestFormat.TryParse(text, out var manifest, out var message));
        Assert.Null(manifest);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void AcceptsWindowsLineEndingsAndComments()
    {
        var text = "# written by atc\r\n" + Manifests.TinyBatch(1, 2).ToText().Replace("\n", "\r\n");
        Assert.Equal(Manifests.TinyBatch(1, 2), ManifestFormat.Parse(text));
    }
}
