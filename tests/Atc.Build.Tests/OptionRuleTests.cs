extern alias analyzers;
using analyzers::Atc.Options.ItemRules;

namespace Atc.Build.Tests;

/// <summary>The build's rule adapter on atc.md's four cases (the texts are ATC's, verbatim).</summary>
public class OptionRuleTests
{
    private static IReadOnlyList<OptionProblem> Check(string model, params (string Name, string Value)[] metadata)
    {
        var values = metadata.ToDictionary(m => m.Name, m => m.Value);
        return OptionRuleAdapter.Check(new AscendModelOptions(model, name => values.TryGetValue(name, out var v) ? v : null));
    }

    [Fact]
    public void OneGearIsE10035OnDynamicBatchSize()
    {
        var problem = Assert.Single(Check("m.pb", ("InputShape", "Placeholder:-1,224,224,3"), ("DynamicBatchSize", "2")));
        Assert.Equal("E10035", problem.Diagnostic.Code);
        Assert.Equal("DynamicBatchSize", problem.Attribute);
        Assert.Equal("[--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims] has [1] profiles, which is less than the minimum ([2]).", problem.Diagnostic.Message);
        Assert.Equal("Give at least 2 profiles, e.g. DynamicBatchSize=\"2,4\".", problem.Diagnostic.Fix);
    }

    [Fact]
    public void MinusOneOutsideBatchIsE10018WithTheFirstAxis()
    {
        var problem = Assert.Single(Check("m.pb", ("InputShape", "Placeholder:-1,-1,-1,3"), ("DynamicBatchSize", "2,4,8")));
        Assert.Equal("E10018", problem.Diagnostic.Code);
        Assert.Equal("InputShape", problem.Attribute);
        Assert.Equal("Value [-1] for shape [1] is invalid. When [--dynamic_batch_size] is included, only batch size N can be –1 in [--input_shape].", problem.Diagnostic.Message);
    }

    [Fact]
    public void E10018FixUsesTheModelsDimensionsWhenKnown()
    {
        var declared = new analyzers::Atc.Options.ModelDeclaration([new analyzers::Atc.Options.ModelInput("Placeholder", [-1, 224, 224, 3])]);
        var options = new AscendModelOptions("m.pb", name => name switch { "InputShape" => "Placeholder:-1,-1,-1,3", "DynamicBatchSize" => "2,4,8", _ => null });
        var problem = Assert.Single(OptionRuleAdapter.Check(options, declared));
        Assert.StartsWith("InputShape=\"Placeholder:-1,224,224,3\" DynamicBatchSize=\"2,4,8\".", problem.Diagnostic.Fix);
    }

    [Fact]
    public void MinusOneOutsideHeightWidthIsE10019()
    {
        var problem = Assert.Single(Check("m.pb", ("InputShape", "Placeholder:-1,-1,-1,3"), ("DynamicImageSize", "448,448;224,224")));
        Assert.Equal("E10019", problem.Diagnostic.Code);
        Assert.Equal("When [--dynamic_image_size] is included, only the height and width axes can be –1 in [--input_shape].", problem.Diagnostic.Message);
        Assert.StartsWith("InputShape=\"Placeholder:1,-1,-1,3\"", problem.Diagnostic.Fix);
    }

    [Fact]
    public void NchwImageGearsLookAtAxesTwoAndThree()
    {
        Assert.Empty(Check("m.onnx", ("InputShape", "x:1,3,-1,-1"), ("DynamicImageSize", "448,448;224,224")));
        Assert.Equal("E10019", Assert.Single(Check("m.onnx", ("InputShape", "x:1,-1,-1,3"), ("DynamicImageSize", "448,448;224,224"))).Diagnostic.Code);
    }

    [Fact]
    public void ValidOptionsHaveNoProblems()
    {
        Assert.Empty(Check("m.pb", ("InputShape", "Placeholder:-1,224,224,3"), ("DynamicBatchSize", "1,2,4,8")));
        Assert.Empty(Check("m.pb", ("InputShape", "Placeholder:1,-1,-1,3"), ("DynamicImageSize", "448,448;224,224")));
        Assert.Empty(Check("m.pb", ("InputShape", "a:-1,4;b:2,-1"), ("InputFormat", "ND"), ("DynamicDims", "1,2;4,8")));
        Assert.Empty(Check("m.pb", ("InputShape", "Inputs:1,224,224,3")));
    }

    [Fact]
    public void DynamicOptionsExcludeEachOther()
    {
        var problem = Assert.Single(Check("m.pb", ("InputShape", "x:-1,-1"), ("DynamicBatchSize", "1,2"), ("DynamicImageSize", "1,1;2,2")));
        Assert.Equal("E10009", problem.Diagnostic.Code);
        Assert.Contains("are mutually exclusive", problem.Diagnostic.Message);
        Assert.Contains("(with InputFormat=\"ND\")", problem.Diagnostic.Fix);
    }

    [Fact]
    public void DynamicDimsNeedsNdAndOneValuePerMinusOne()
    {
        Assert.Equal("InputFormat", Assert.Single(Check("m.pb", ("InputShape", "a:-1,4"), ("DynamicDims", "1;2"))).Attribute);
        var problem = Assert.Single(Check("m.pb", ("InputShape", "a:-1,-1"), ("InputFormat", "ND"), ("DynamicDims", "1,2;3")));
        Assert.Equal("E10037", problem.Diagnostic.Code);
        Assert.Contains("inconsistent dimension counts", problem.Diagnostic.Message);
    }

    [Fact]
    public void MalformedValuesNameTheValue()
    {
        var problem = Assert.Single(Check("m.pb", ("InputShape", "x:-1,4"), ("DynamicBatchSize", "1,two")));
        Assert.Equal("E10001", problem.Diagnostic.Code);
        Assert.Contains("Reason: [two] is not an integer", problem.Diagnostic.Message);
        Assert.Equal("DynamicBatchSize", problem.Attribute);
        var malformed = Assert.Single(Check("m.pb", ("InputShape", "x-1,4")));
        Assert.Equal(("E10002", "InputShape"), (malformed.Diagnostic.Code, malformed.Attribute));
    }

    [Fact]
    public void AgainstTheModelOnlyWhenAskedAndOnlyWithoutOtherProblems()
    {
        var declared = new analyzers::Atc.Options.ModelDeclaration([new analyzers::Atc.Options.ModelInput("Placeholder", [-1, 224, 224, 3])]);
        var misspelt = new AscendModelOptions("m.pb", name => name switch { "InputShape" => "Placholder:-1,224,224,3", "DynamicBatchSize" => "1,2", _ => null });
        Assert.Empty(OptionRuleAdapter.Check(misspelt, declared));
        var problem = Assert.Single(OptionRuleAdapter.Check(misspelt, declared, checkAgainstModel: true));
        Assert.Equal(("E10016", "InputShape"), (problem.Diagnostic.Code, problem.Attribute));
        Assert.Contains("Placeholder", problem.Diagnostic.Fix);
    }

    [Theory]
    [InlineData("Use --input_shape=\"x:-1,4\" --dynamic_batch_size=\"1,2\".", "Use InputShape=\"x:-1,4\" DynamicBatchSize=\"1,2\".")]
    [InlineData("Add --input_format=ND.", "Add InputFormat=\"ND\".")]
    [InlineData("See [--dynamic_dims] and --log=debug", "See [--dynamic_dims] and --log=debug")]
    public void FixesAreRewrittenAsItemAttributes(string cli, string attributes) =>
        Assert.Equal(attributes, OptionRuleAdapter.AsAttributes(cli));

    [Fact]
    public void FrameworkIsInferredFromTheExtension()
    {
        Assert.Equal(3, new AscendModelOptions("a/b.PB", _ => null).Framework);
        Assert.Equal(5, new AscendModelOptions("a/b.onnx", _ => null).Framework);
        Assert.Null(new AscendModelOptions("a/b.bin", _ => null).Framework);
        Assert.Equal(5, new AscendModelOptions("a/b.bin", n => n == "Framework" ? "5" : null).Framework);
        Assert.Equal(0, new AscendModelOptions("Models/lenet.prototxt", _ => null).Framework);
    }

    [Fact]
    public void A_caffe_items_weight_metadata_is_passed_as_weight()
    {
        var options = new AscendModelOptions("Models/lenet.prototxt", n => n == "Weight" ? "Models/lenet.caffemodel" : null);
        Assert.Contains("--weight=Models/lenet.caffemodel", options.ToArguments());
        Assert.Equal("Weight", AscendModelOptions.MetadataFor("--weight"));
    }
}
