using Atc.Options;
using Atc.Options.Aipp;

namespace Atc.Compiler.Tests.Aipp;

/// <summary>The AIPP configuration parser: ATC's template syntax, defaults, and a coded error with line:column for
/// every kind of mistake.</summary>
public class AippConfigParserTests
{
    private static AtcDiagnostic Single(string text)
    {
        var e = Assert.Throws<AtcException>(() => AippConfig.Parse(text, "aipp.cfg"));
        return Assert.Single(e.Diagnostics);
    }

    [Fact]
    public void ParsesAtcTemplateSyntaxWithCommentsAndDefaults()
    {
        var config = AippConfig.Parse("""
            # ATC's template style
            aipp_op {
                aipp_mode: static
                input_format : YUV420SP_U8
                src_image_size_w: 320   # comment after a value
                src_image_size_h: 240
                crop: true
                load_start_pos_w: 10
                load_start_pos_h: 20
                crop_size_w: 50
                crop_size_h: 60
                csc_switch: true
                rbuv_swap_switch: false
                matrix_r0c0: 298
                matrix_r0c2: 409
                matrix_r1c1: -100
                input_bias_1: 128
                mean_chn_0: 104
                min_chn_1: 1.5
                var_reci_chn_2: 0.0171
                padding: true, left_padding_size: 2; padding_value: -0.5
            }
            aipp_op: { related_input_rank: 1 input_format: "YUV400_U8" }
            """, "aipp.cfg");
        Assert.Equal(2, config.Ops.Count);
        var op = config.Ops[0];
        Assert.Equal(AippInputFormat.YUV420SP_U8, op.InputFormat);
        Assert.Equal((320, 240, 10, 20, 50, 60), (op.SrcImageSizeW, op.SrcImageSizeH, op.LoadStartPosW, op.LoadStartPosH, op.CropSizeW, op.CropSizeH));
        Assert.True(op.Crop && op.CscSwitch && op.Padding && !op.RbuvSwapSwitch);
        Assert.Equal([298, 0, 409, 0, -100, 0, 0, 0, 0], op.Matrix);
        Assert.Equal([0, 128, 0], op.InputBias);
        Assert.Equal(104, op.MeanChn[0]);
        Assert.Equal(1.5f, op.MinChn[1]);
        Assert.Equal(0.0171f, op.VarReciChn[2]);
        Assert.Equal(1f, op.VarReciChn[0]); // ATC's default
        Assert.Equal(-0.5f, op.PaddingValue);
        Assert.Equal(2, op.LeftPaddingSize);
        Assert.Equal([3, 5], op.PositionOf("aipp_mode"));
        Assert.Equal(1, config.Ops[1].RelatedInputRank);
        Assert.Equal(AippInputFormat.YUV400_U8, config.Ops[1].InputFormat);
    }

    [Fact]
    public void UnknownFieldNamesLineColumnAndSuggests()
    {
        var d = Single("aipp_op {\n  input_format: RGB888_U8\n  crop_sise_w: 4\n}");
        Assert.Equal("ATC3101", d.Code);
        Assert.Contains("aipp.cfg] line 3, column 3: [crop_sise_w]", d.Message);
        Assert.Equal("Did you mean [crop_size_w]?", d.Fix);
        Assert.Equal(AtcOptionNames.InsertOpConf, d.Parameter);
    }

    [Theory]
    [InlineData("aipp_op { input_format: RGB888_U8 crop: yes }", "[yes]", "true or false", "column 41")]
    [InlineData("aipp_op { input_format: RGB888_U8 src_image_size_w: 5000 }", "[5000]", "from 0 to 4096", "column 53")]
    [InlineData("aipp_op { input_format: RGB888_U8 mean_chn_0: 1.5 }", "[1.5]", "an integer", "column 47")]
    [InlineData("aipp_op { input_format: RGB888_U8 var_reci_chn_0: 1e9 }", "[1e9]", "-65504 to 65504", "column 51")]
    [InlineData("aipp_op { input_format: RGB88_U8 }", "[RGB88_U8]", "did you mean RGB888_U8?", "column 25")]
    [InlineData("aipp_op { input_format: RGB888_U8 left_padding_size: -1 }", "[-1]", "from 0 to 32", "column 54")]
    public void BadValuesAreE10001WithTheFieldAndItsPosition(string text, string value, string expected, string column)
    {
        var d = Single(text);
        Assert.Equal("E10001", d.Code);
        Assert.Contains("Value " + value, d.Message);
        Assert.Contains(expected, d.Message);
        Assert.Contains("aipp.cfg:1:" + column.Split(' ')[1], d.Message);
    }

    [Fact]
    public void DuplicateFieldPointsAtBothLines()
    {
        var d = Single("aipp_op {\n input_format: RGB888_U8\n crop: true\n crop: false\n}");
        Assert.Equal("ATC3102", d.Code);
        Assert.Contains("line 4, column 2: field [crop] is set again; it was first set at line 3, column 2", d.Message);
    }

    [Fact]
    public void CropOutsideTheSourceImage()
    {
        var d = Single("aipp_op { input_format: RGB888_U8 src_image_size_w: 100 src_image_size_h: 80 crop: true load_start_pos_w: 60 crop_size_w: 50 crop_size_h: 20 }");
        Assert.Equal("ATC3103", d.Code);
        Assert.Contains("50 x 20 at (60, 0) lies outside the source image (w x h) 100 x 80", d.Message);
    }

    [Fact]
    public void StaticAndDynamicCannotBeMixed()
    {
        var d = Single("aipp_op { aipp_mode: static input_format: RGB888_U8 }\naipp_op { related_input_rank: 1 aipp_mode: dynamic max_src_image_size: 100 }");
        Assert.Equal("ATC3105", d.Code);
        Assert.Contains("line 2, column 33", d.Message);
    }

    [Fact]
    public void MissingRequiredFields()
    {
        var d = Single("aipp_op { aipp_mode: static crop: false }");
        Assert.Equal("ATC3106", d.Code);
        Assert.Contains("[input_format], which is required in static mode", d.Message);
        Assert.Equal("ATC3106", Single("aipp_op { aipp_mode: dynamic }").Code);
    }

    [Fact]
    public void DynamicModeIsParsedWithItsImageBound()
    {
        var config = AippConfig.Parse("aipp_op { aipp_mode: dynamic max_src_image_size: 752640 }", "aipp.cfg");
        var op = Assert.Single(config.Ops);
        Assert.Equal((AippMode.Dynamic, 752640), (op.Mode, op.MaxSrcImageSize));
    }

    [Theory]
    [InlineData("aipp_op { input_format: YUV420SP_U8 src_image_size_w: 223 }", "src_image_size_w", "even")]
    [InlineData("aipp_op { input_format: RGB888_U8 ax_swap_switch: true }", "ax_swap_switch", "XRGB8888_U8")]
    [InlineData("aipp_op { input_format: YUV400_U8 csc_switch: true }", "csc_switch", "YUV400_U8")]
    public void SwitchesThatDoNotFitTheFormat(string text, string field, string mention)
    {
        var d = Single(text);
        Assert.Equal("E10001", d.Code);
        Assert.Contains("[" + field + "]", d.Message);
        Assert.Contains(mention, d.Message);
    }

    [Theory]
    [InlineData("aipp_op { input_format: ARGB8888_U8 }", "ARGB8888_U8")]
    [InlineData("aipp_op { input_format: RGB888_U8 resize: true }", "resize")]
    [InlineData("aipp_op { input_format: RGB888_U8 single_line_mode: true }", "single_line_mode")]
    public void KnownAtcSettingsThatDoNotRunHereAreE10055(string text, string mention)
    {
        var d = Single(text);
        Assert.Equal("E10055", d.Code);
        Assert.Contains(mention, d.Message);
    }

    [Fact]
    public void TwoBlocksForOneInput()
    {
        var d = Single("aipp_op { input_format: RGB888_U8 }\naipp_op { input_format: RGB888_U8 }");
        Assert.Equal("ATC3107", d.Code);
        Assert.Contains("second aipp_op block for model input 0", d.Message);
    }

    [Theory]
    [InlineData("", "line 1, column 1: the file has no aipp_op block")]
    [InlineData("aipp_op { input_format: RGB888_U8", "line 1, column 1: the aipp_op block starting here has no closing [}]")]
    [InlineData("aipp_op { input_format RGB888_U8 }", "line 1, column 24: expected [:] after field [input_format], found [RGB888_U8]")]
    [InlineData("aipp_op {\n input_format: \"RGB888_U8\n}", "line 2, column 16: the string starting here has no closing \"")]
    [InlineData("aipp_op { input_format: RGB888_U8 } }", "line 1, column 37: expected [aipp_op {], found [}]")]
    [InlineData("aipp_op { crop: @ }", "line 1, column 17: unexpected character [@]")]
    [InlineData("aipp_op { crop: }", "line 1, column 17: expected a value for field [crop]")]
    public void SyntaxErrorsAreAtc3100WithLineAndColumn(string text, string message)
    {
        var d = Single(text);
        Assert.Equal("ATC3100", d.Code);
        Assert.Contains(message, d.Message);
    }

    [Fact]
    public void NestedBlocksAndOtherTopLevelNamesAreUnknownFields()
    {
        Assert.Equal("ATC3101", Single("aipp_op { input_format: RGB888_U8 crop { x: 1 } }").Code);
        var d = Single("aipp_ops { input_format: RGB888_U8 }");
        Assert.Equal("ATC3101", d.Code);
        Assert.Equal("Did you mean [aipp_op]?", d.Fix);
    }

    [Fact]
    public void ControlCharactersInValuesAreEscaped()
    {
        var d = Single("aipp_op { input_format: \"\u001b[31m\" }");
        Assert.Contains("\\u001b[31m", d.Message);
        Assert.DoesNotContain('\u001b', d.Message); // a char: culture-aware string search ignores control characters
    }
}
