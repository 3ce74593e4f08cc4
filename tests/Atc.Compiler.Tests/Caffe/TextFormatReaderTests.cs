using Atc.Compiler.Frontends.Caffe.Proto;
using Atc.Compiler.Frontends.Caffe.TextFormat;

namespace Atc.Compiler.Tests.Caffe;

/// <summary>The protobuf text-format reader on the forms Caffe's .prototxt files use, and its errors' positions.</summary>
public class TextFormatReaderTests
{
    [Fact]
    public void Reads_the_forms_prototxt_files_use()
    {
        const string text = """
            # a comment
            name: 'net' "work"   # adjacent strings concatenate
            input: "data" input_dim: 1 input_dim: 3
            input_dim: [8, 0x8]
            layer <
              name: "conv\x31" type: "Convolution"; bottom: "data", top: "conv1"
              convolution_param: { num_output: 4 kernel_size: 3 bias_term: false engine: 2 }
              include { phase: TEST }
              pooling_param { pool: AVE global_pooling: True }
              relu_param { negative_slope: -1.5e-1 }
              batch_norm_param { eps: inf }
            >
            """;
        var net = TextFormatReader.Parse(text, NetParameter.Parser);
        Assert.Equal("network", net.Name);
        Assert.Equal([1, 3, 8, 8], net.InputDim);
        var layer = Assert.Single(net.Layer);
        Assert.Equal("conv1", layer.Name);
        Assert.Equal(4u, layer.ConvolutionParam.NumOutput);
        Assert.False(layer.ConvolutionParam.BiasTerm);
        Assert.Equal(ConvolutionParameter.Types.Engine.Cudnn, layer.ConvolutionParam.Engine);
        Assert.Equal(Phase.Test, layer.Include[0].Phase);
        Assert.Equal(PoolingParameter.Types.PoolMethod.Ave, layer.PoolingParam.Pool);
        Assert.True(layer.PoolingParam.GlobalPooling);
        Assert.Equal(-0.15f, layer.ReluParam.NegativeSlope);
        Assert.True(float.IsPositiveInfinity(layer.BatchNormParam.Eps));
    }

    [Theory]
    [InlineData("layer { name: \"a\" name: \"b\" }", 1, 19, "name", "given more than once")]
    [InlineData("layer {\n  convolution_param { num_output: -1 }\n}", 2, 35, "num_output", "outside its range")]
    [InlineData("layer { pooling_param { pool: MEDIAN } }", 1, 31, "pool", "one of MAX, AVE, STOCHASTIC")]
    [InlineData("layer { name: \"open }", 1, 15, "", "not closed")]
    [InlineData("layer { top: data }", 1, 14, "top", "expects a quoted string")]
    [InlineData("layer { bias_term: 1 }", 1, 9, "bias_term", "has no field named 'bias_term'")]
    [InlineData("layer {\n", 2, 1, "", "ends inside a message of type LayerParameter")]
    [InlineData("} ", 1, 1, "", "expected a field name of NetParameter, found '}'")]
    public void Errors_name_the_line_column_and_field(string text, int line, int column, string field, string reason)
    {
        var e = Assert.Throws<TextFormatException>(() => TextFormatReader.Parse(text, NetParameter.Parser));
        Assert.Equal((line, column, field), (e.Line, e.Column, e.Field));
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_is_bounded()
    {
        var text = "layer { " + string.Concat(Enumerable.Repeat("include { ", 1)) + "}}";
        TextFormatReader.Parse(text, NetParameter.Parser);
        var deep = string.Concat(Enumerable.Repeat("state { ", 40));
        Assert.Throws<TextFormatException>(() => TextFormatReader.Parse(deep, NetParameter.Parser));
    }
}
