using Atc.Options.Errors;
using Atc.Options.Rules;

namespace Atc.Options.Tests;

/// <summary>One test per code of the model-independent shape rules.</summary>
public class ShapeOptionRulesTests
{
    internal static List<AtcDiagnostic> Check(string? inputShape = null, string? batch = null, string? image = null,
        string? dims = null, string? range = null, string? format = null, AtcFramework framework = AtcFramework.TensorFlow,
        ModelDeclaration? model = null)
    {
        var options = new AtcCommandOptions
        {
            InputShape = inputShape, DynamicBatchSize = batch, DynamicImageSize = image, DynamicDims = dims,
            InputShapeRange = range, InputFormat = format,
        };
        var diagnostics = new List<AtcDiagnostic>();
        ShapeOptionRules.Check(options, framework, diagnostics, model);
        return diagnostics;
    }

    private static string[] Codes(List<AtcDiagnostic> d) => d.Select(x => x.Code).ToArray();

    [Fact]
    public void Valid_options_have_no_problem()
    {
        Assert.Empty(Check("x:-1,224,224,3", batch: "1,2,4,8"));
        Assert.Empty(Check("x:1,-1,-1,3", image: "224,224;448,448"));
        Assert.Empty(Check("x:1,3,-1,-1", image: "224,224;448,448", framework: AtcFramework.Onnx));
        Assert.Empty(Check("x:-1,-1;y:-1", dims: "1,2,3;4,5,6", format: "ND"));
        Assert.Empty(Check("x:1~10,224,224,3"));
        Assert.Empty(Check(range: "x:[1~10,224,224,3]"));
    }

    [Fact]
    public void E10009_dynamic_options_exclude_each_other()
    {
        var d = Check("x:-1,224,224,3", batch: "1,2", image: "224,224;448,448");
        Assert.Equal("E10009", Assert.Single(d).Code);
        Assert.Equal("[--dynamic_batch_size], [--dynamic_image_size], [--input_shape_range], and [--dynamic_dims] are mutually exclusive.", d[0].Message);
        Assert.Contains("E10009", Codes(Check(batch: "1,2", range: "x:[1~2]")));
    }

    [Fact]
    public void E10047_input_shape_and_input_shape_range_exclude_each_other()
    {
        var d = Check("x:1", range: "x:[1~2]");
        Assert.Equal("[--input_shape] and [--input_shape_range] are mutually exclusive.", Assert.Single(d).Message);
    }

    [Theory]
    [InlineData("2", 1)]
    [InlineData(" 3 ", 1)]
    public void E10035_fewer_than_two_profiles(string gears, int count)
    {
        var d = Assert.Single(Check("x:-1,224,224,3", batch: gears));
        Assert.Equal("E10035", d.Code);
        Assert.Equal("[--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims] has [" + count + "] profiles, which is less than the minimum ([2]).", d.Message);
        Assert.Equal("dynamic_batch_size", d.Parameter);
    }

    [Fact]
    public void E10036_more_than_100_profiles()
    {
        var gears = string.Join(",", Enumerable.Range(1, 101));
        var d = Assert.Single(Check("x:-1,3", batch: gears));
        Assert.Equal("E10036", d.Code);
        Assert.Equal("[--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims] has [101] profiles, which is greater than the maximum ([100]).", d.Message);
        Assert.Contains(",100\".", d.Fix);
        Assert.Empty(Check("x:-1,3", batch: string.Join(",", Enumerable.Range(1, 100))));
    }

    [Fact]
    public void E10037_dims_profiles_of_different_lengths()
    {
        var d = Check("x:-1,-1", dims: "1,2;3", format: "ND");
        Assert.Equal("The profiles configured in [--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims] have inconsistent dimension counts. A profile has 2 dimensions while another has 1 dimensions.",
            Assert.Single(d).Message);
    }

    [Theory]
    [InlineData("0,2,4", "0")]
    [InlineData("2,-1", "-1")]
    public void E10038_profile_values_must_be_positive(string gears, string bad)
    {
        var d = Assert.Single(Check("x:-1,3", batch: gears));
        Assert.Equal("Dimension size [" + bad + "] is invalid. The value must be greater than 0.", d.Message);
    }

    [Fact]
    public void E10039_duplicate_profiles()
    {
        var d = Assert.Single(Check("x:1,-1,-1,3", image: "224,224;224,224;448,448"));
        Assert.Equal("E10039", d.Code);
        Assert.Contains("--dynamic_image_size=\"224,224;448,448\"", d.Fix);
    }

    [Theory]
    [InlineData("Placeholder:-1,-1,-1,3", 1)]
    [InlineData("a:-1,3;b:-1,2,-1", 2)]
    public void E10018_only_N_may_be_dynamic_with_batch_gears_and_the_first_offending_axis_is_named(string shape, int axis)
    {
        var d = Assert.Single(Check(shape, batch: "2,4,8"));
        Assert.Equal("E10018", d.Code);
        Assert.Equal("Value [-1] for shape [" + axis + "] is invalid. When [--dynamic_batch_size] is included, only batch size N can be –1 in [--input_shape].", d.Message);
    }

    [Fact]
    public void E10018_fix_uses_the_model_sizes_when_known()
    {
        var model = new ModelDeclaration([new ModelInput("Placeholder", [-1, 224, 224, 3])]);
        var d = Assert.Single(Check("Placeholder:-1,-1,-1,3", batch: "2,4,8", model: model));
        Assert.StartsWith("--input_shape=\"Placeholder:-1,224,224,3\" --dynamic_batch_size=\"2,4,8\".", d.Fix);
        var noModel = Assert.Single(Check("Placeholder:-1,-1,-1,3", batch: "2,4,8"));
        Assert.StartsWith("--input_shape=\"Placeholder:-1,<d1>,<d2>,3\" --dynamic_batch_size=\"2,4,8\" (replace each <dK> with the size of axis K)", noModel.Fix);
    }

    [Theory]
    [InlineData("Placeholder:-1,-1,-1,3", AtcFramework.TensorFlow, null)]
    [InlineData("x:1,-1,-1,3", AtcFramework.Onnx, null)]    // NCHW: H, W are axes 2 and 3
    [InlineData("x:1,3,-1,-1", AtcFramework.TensorFlow, null)] // NHWC
    [InlineData("x:1,3,-1,-1", AtcFramework.Onnx, "NHWC")]
    [InlineData("x:-1,-1,-1", AtcFramework.TensorFlow, null)]  // not 4-D
    public void E10019_only_H_and_W_may_be_dynamic_with_image_gears(string shape, AtcFramework framework, string? format)
    {
        var d = Assert.Single(Check(shape, image: "448,448;224,224", framework: framework, format: format));
        Assert.Equal("E10019", d.Code);
        Assert.Equal("When [--dynamic_image_size] is included, only the height and width axes can be –1 in [--input_shape].", d.Message);
    }

    [Fact]
    public void E10019_fix_fixes_N_to_1_and_keeps_H_W_dynamic()
    {
        var d = Assert.Single(Check("Placeholder:-1,-1,-1,3", image: "448,448;224,224"));
        Assert.Equal("--input_shape=\"Placeholder:1,-1,-1,3\" --dynamic_image_size=\"448,448;224,224\" (NHWC: H is axis 1, W is axis 2).", d.Fix);
    }

    [Fact]
    public void E10001_image_gears_need_NCHW_or_NHWC_and_both_H_and_W()
    {
        Assert.Equal("Value [ND] for parameter [--input_format] is invalid. Reason: [--dynamic_image_size] supports only the NCHW and NHWC formats",
            Assert.Single(Check("x:1,-1,-1,3", image: "2,2;4,4", format: "ND")).Message);
        var d = Assert.Single(Check("x:1,-1,224,3", image: "2,2;4,4"));
        Assert.Equal("E10001", d.Code);
        Assert.Contains("both the height and the width axis must be -1", d.Message);
    }

    [Fact]
    public void E10031_batch_gears_need_N_dynamic()
    {
        var d = Assert.Single(Check("x:1,224,224,3", batch: "1,2"));
        Assert.Equal("E10031", d.Code);
        Assert.Equal("[--dynamic_batch_size] is included, but none of the nodes specified in [--input_shape] have a batch size equaling –1.", d.Message);
        Assert.StartsWith("--input_shape=\"x:-1,224,224,3\" --dynamic_batch_size=\"1,2\"", d.Fix);
        Assert.Equal("E10031", Assert.Single(Check(batch: "1,2")).Code);
    }

    [Fact]
    public void E10040_gears_need_minus_one_axes_and_no_ranges()
    {
        Assert.Equal("E10040", Assert.Single(Check("x:1~4,224,224,3", batch: "1,2")).Code);
        Assert.Equal("E10040", Assert.Single(Check("x:1,224,224,3", image: "1,2;3,4")).Code);
        Assert.Equal("E10040", Assert.Single(Check("x:1,2", dims: "1;2", format: "ND")).Code);
        Assert.Equal("As the [--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims] argument is included, the corresponding nodes specified in [--input_shape] must have –1 axes and can not have '~'.",
            Check(image: "1,2;3,4")[0].Message);
    }

    [Fact]
    public void E10007_dims_need_input_format_ND()
    {
        var d = Assert.Single(Check("x:-1,-1", dims: "1,2;3,4"));
        Assert.Equal("[--input_format] is required. The value must be [ND].", d.Message);
        Assert.Equal("E10001", Assert.Single(Check("x:-1,-1", dims: "1,2;3,4", format: "NCHW")).Code);
    }

    [Fact]
    public void E10045_one_input_has_more_dynamic_axes_than_each_profile_has_values()
    {
        var d = Assert.Single(Check("x:-1,-1,-1", dims: "1,2;3,4", format: "ND"));
        Assert.Equal("E10045", d.Code);
        Assert.Equal("The number of -1 axes in the [--input_shape] argument exceeds the dimension count per profile in [--dynamic_dims].", d.Message);
    }

    [Fact]
    public void E10046_inputs_together_have_more_dynamic_axes_than_each_profile_has_values()
    {
        var d = Assert.Single(Check("x:-1,-1;y:-1", dims: "1,2;3,4", format: "ND"));
        Assert.Equal("E10046", d.Code);
    }

    [Fact]
    public void E10001_profiles_with_more_values_than_dynamic_axes()
    {
        var d = Assert.Single(Check("x:-1,3", dims: "1,2;3,4", format: "ND"));
        Assert.Equal("Value [1,2;3,4] for parameter [--dynamic_dims] is invalid. Reason: each profile gives 2 values but [--input_shape] has 1 -1 axes (x:-1,3)", d.Message);
    }

    [Fact]
    public void E10001_input_format_outside_the_valid_range()
    {
        var d = Assert.Single(Check(format: "NC1HWC0"));
        Assert.Equal("Value [NC1HWC0] for parameter [--input_format] is invalid. Reason: The current value is not within the valid range [NCHW, NHWC, ND, NCDHW, NDHWC]", d.Message);
        Assert.Empty(Check(format: "nhwc"));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var d = Check("a:0;b:-1,-1", batch: "2,2,0", image: "1,2,3");
        Assert.Equal(["E10011", "E10009", "E10038", "E10039", "E10020"], Codes(d));
    }

    [Fact]
    public void Placement_rules_are_skipped_when_input_shape_is_malformed()
    {
        Assert.Equal(["E10002"], Codes(Check("x:1,a", batch: "1,2")));
    }
}
