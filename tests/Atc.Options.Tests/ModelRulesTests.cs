using Atc.Options.Errors;
using Atc.Options.Parsing;
using Atc.Options.Rules;

namespace Atc.Options.Tests;

/// <summary>The model-dependent rules, against a signature.</summary>
public class ModelRulesTests
{
    private static readonly ModelDeclaration Resnet = new([new ModelInput("Inputs", [-1, 224, 224, 3], tensorName: "Inputs:0")],
        new Dictionary<string, int> { ["conv1"] = 1, ["prob"] = 1, ["split"] = 2 });

    private static List<AtcDiagnostic> Check(ModelDeclaration model, string? inputShape = null, string? batch = null, string? range = null)
    {
        var diagnostics = new List<AtcDiagnostic>();
        var options = ShapeOptionRules.Check(new AtcCommandOptions { InputShape = inputShape, DynamicBatchSize = batch, InputShapeRange = range },
            AtcFramework.TensorFlow, diagnostics);
        Assert.Empty(diagnostics);
        ShapeOptionRules.CheckAgainstModel(options, model, diagnostics);
        return diagnostics;
    }

    [Fact]
    public void E10001_the_seed_case_1_with_its_fixes()
    {
        var d = Assert.Single(Check(Resnet));
        Assert.Equal("E10001", d.Code);
        Assert.Equal("Value [-1] for parameter [Inputs] is invalid. Reason: maybe you should set input_shape to specify its shape", d.Message);
        Assert.Equal("Try again with a valid argument.", d.Solution);
        Assert.Null(d.Cause);
        Assert.Equal("input_shape", d.Parameter);
        Assert.Contains("--input_shape=\"Inputs:1,224,224,3\"", d.Fix);
        Assert.Contains("--input_shape=\"Inputs:-1,224,224,3\" --dynamic_batch_size=\"1,2,4,8\"", d.Fix);
        Assert.Contains("--input_shape=\"Inputs:1~10,224,224,3\"", d.Fix);
    }

    [Fact]
    public void E10001_for_every_input_without_a_shape_and_an_unknown_rank_is_minus_2()
    {
        var model = new ModelDeclaration([new ModelInput("a", [1, 3]), new ModelInput("b", [-1, -1]), new ModelInput("c", null)]);
        var d = Check(model);
        Assert.Equal(["Value [-1] for parameter [b]", "Value [-2] for parameter [c]"], d.Select(x => x.Message[..x.Message.IndexOf(" is", StringComparison.Ordinal)]).ToArray());
        Assert.StartsWith("--input_shape=\"b:1,<d1>;c:<dims>\" for a fixed shape", d[0].Fix);
        Assert.Empty(Check(model, "b:2,5;c:7"));
    }

    [Fact]
    public void The_fix_keeps_the_inputs_already_given()
    {
        var model = new ModelDeclaration([new ModelInput("a", [-1, 3]), new ModelInput("b", [-1, 5])]);
        var d = Assert.Single(Check(model, "a:1,3"));
        Assert.StartsWith("--input_shape=\"a:1,3;b:1,5\" for a fixed shape", d.Fix);
    }

    [Fact]
    public void Names_match_the_node_name_or_the_tensor_name()
    {
        Assert.Empty(Check(Resnet, "Inputs:1,224,224,3"));
        Assert.Empty(Check(Resnet, "Inputs:0:1,224,224,3"));
    }

    [Fact]
    public void E10016_unknown_input_lists_the_real_names()
    {
        var d = Assert.Single(Check(Resnet, "input:1,224,224,3"));
        Assert.Equal("Opname [input] specified in [--input_shape] is not found in the model, confirm whether this node name exists, or node is not split with the specified delimiter ';'", d.Message);
        Assert.Equal("The model's inputs are [Inputs]. Did you mean --input_shape=\"Inputs:1,224,224,3\"?", d.Fix);
    }

    [Fact]
    public void E10017_a_node_that_is_not_an_input()
    {
        var d = Assert.Single(Check(Resnet, "conv1:1,224,224,3;Inputs:1,224,224,3"));
        Assert.Equal("Input Op [conv1] specified in [--input_shape] is invalid. The Op type must be Data.", d.Message);
    }

    [Fact]
    public void E10049_rank_mismatch()
    {
        var d = Assert.Single(Check(Resnet, "Inputs:1,224,224"));
        Assert.Equal("Dimension count [3] configured in [--input_shape] does not match dimension count [4] of the node.", d.Message);
        Assert.Contains("--input_shape=\"Inputs:1,224,224,3\"", d.Fix);
    }

    [Fact]
    public void E10001_fixed_sizes_that_contradict_the_model()
    {
        var d = Assert.Single(Check(Resnet, "Inputs:1,300,224,3"));
        Assert.Equal("Value [Inputs:1,300,224,3] for parameter [--input_shape] is invalid. Reason: axis [1] of input [Inputs] is fixed to [224] in the model, not [300] (declared [-1,224,224,3])", d.Message);
        Assert.Equal("--input_shape=\"Inputs:1,224,224,3\"", d.Fix);
    }

    [Fact]
    public void Ranges_cover_inputs_by_name_or_by_order()
    {
        Assert.Empty(Check(Resnet, range: "Inputs:[1~8,224,224,3]"));
        Assert.Empty(Check(Resnet, range: "[1~8,224,224,3]"));
        Assert.Equal("E10016", Assert.Single(Check(Resnet, range: "Input:[1~8,224,224,3]")).Code);
        Assert.Equal("E10048", Check(Resnet, range: "[1];[2]")[0].Code);
    }

    [Fact]
    public void E11017_and_E11016_out_nodes()
    {
        var diagnostics = new List<AtcDiagnostic>();
        ShapeOptionRules.CheckOutNodes([new OutNodeSpec("prob", 0), new OutNodeSpec("split", 1), new OutNodeSpec("probs", 0), new OutNodeSpec("split", 2)], Resnet.NodeOutputCounts, diagnostics);
        Assert.Equal(["E11017", "E11016"], diagnostics.Select(d => d.Code).ToArray());
        Assert.Equal("Did you mean [prob]? e.g. --out_nodes=\"prob:0\".", diagnostics[0].Fix);
        Assert.Equal("Failed to add Op [split] to NetOutput. Op output index [2] is not less than [2]. NetOutput input_index [3] is not less than [4].", diagnostics[1].Message);
    }
}
