using Atc.Compiler.Frontends.Caffe;
using Atc.Cli.Tests.Support;
using Atc.TestModels.Caffe;

namespace Atc.Compiler.Tests.Caffe;

/// <summary>What the Caffe importer makes of a net: inputs and outputs by blob name, in-place layers, legacy input
/// fields, TEST-phase rules and --out_nodes by layer name.</summary>
public class CaffeImportTests
{
    private static Ir.Graph Import(TempFolder temp, string prototxt, CaffeModel weightsFrom, params Atc.Options.Parsing.OutNodeSpec[] outNodes)
    {
        var (_, weights) = weightsFrom.WriteTo(temp.Path);
        var path = temp.File("net.prototxt");
        File.WriteAllText(path, prototxt);
        return new CaffeImporter(weights).Import(File.ReadAllBytes(path), path, outNodes);
    }

    [Fact]
    public void Inputs_and_outputs_keep_the_blob_names_and_in_place_layers_chain()
    {
        using var temp = new TempFolder();
        var model = CaffeModels.ResNetBlock();
        var graph = Import(temp, model.Prototxt, model);
        Assert.Equal("caffe", graph.SourceFramework);
        Assert.Equal("data", Assert.Single(graph.Inputs).Name);
        Assert.Equal([1, 3, 32, 32], graph.Inputs[0].Shape!);
        Assert.Equal(Ir.TensorFormat.NCHW, graph.InputFormats["data"]);
        Assert.Equal("prob", Assert.Single(graph.Outputs).Name);
    }

    [Fact]
    public void Legacy_input_dim_and_train_only_layers()
    {
        using var temp = new TempFolder();
        var model = CaffeModels.Deconvolution();
        // input / input_dim instead of an Input layer, and a TRAIN-only layer that must be skipped.
        var prototxt = "name: \"legacy\"\ninput: \"data\"\ninput_dim: 1\ninput_dim: 6\ninput_dim: 9\ninput_dim: 9\n"
            + model.Prototxt[model.Prototxt.IndexOf("layer {\n  name: \"up1\"", StringComparison.Ordinal)..]
            + "layer {\n  name: \"loss\"\n  type: \"SoftmaxWithLoss\"\n  bottom: \"up2\"\n  top: \"loss\"\n  include { phase: TRAIN }\n}\n";
        var graph = Import(temp, prototxt, model);
        Assert.Equal([1, 6, 9, 9], Assert.Single(graph.Inputs).Shape!);
        Assert.Equal("up2", Assert.Single(graph.Outputs).Name);
    }

    [Fact]
    public void Out_nodes_name_caffe_layers()
    {
        using var temp = new TempFolder();
        var model = CaffeModels.LeNet();
        var graph = Import(temp, model.Prototxt, model, new Atc.Options.Parsing.OutNodeSpec("ip1", 0));
        // relu1 rewrites blob ip1 in place, so the layer's own output is the earlier version, named blob/layer.
        Assert.Equal("ip1/ip1", Assert.Single(graph.Outputs).Name);
    }

    [Fact]
    public void Input_dim_that_is_not_four_per_input_is_E11003()
    {
        using var temp = new TempFolder();
        var model = CaffeModels.Deconvolution();
        var e = Assert.Throws<Atc.Options.AtcException>(() => Import(temp, "input: \"data\"\ninput_dim: 1\ninput_dim: 6\nlayer { name: \"r\" type: \"ReLU\" bottom: \"data\" top: \"data\" }\n", model));
        Assert.Equal("E11003", e.Diagnostics[0].Code);
    }

    private const string EightByEight = "input: \"data\"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\ninput_dim: 8\n"
        + "layer { name: \"pool\" type: \"Pooling\" bottom: \"data\" top: \"pool\" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }\n";

    [Theory]
    [InlineData("layer { name: \"crop\" type: \"Crop\" bottom: \"data\" bottom: \"pool\" top: \"crop\" crop_param { axis: 2 offset: 5 } }", "[5]", "offset")]
    [InlineData("layer { name: \"crop\" type: \"Crop\" bottom: \"data\" bottom: \"pool\" top: \"crop\" crop_param { axis: 1 offset: 0 offset: 1 } }", "[0,1]", "offset")]
    [InlineData("layer { name: \"am\" type: \"ArgMax\" bottom: \"data\" top: \"am\" argmax_param { top_k: 500 } }", "[500]", "top_k")]
    [InlineData("layer { name: \"am\" type: \"ArgMax\" bottom: \"data\" top: \"am\" argmax_param { axis: 4 } }", "[4]", "axis")]
    [InlineData("layer { name: \"r\" type: \"Reduction\" bottom: \"data\" top: \"r\" reduction_param { axis: -5 } }", "[-5]", "axis")]
    public void Bad_crop_argmax_and_reduction_parameters_are_E13014_with_the_value(string layer, string value, string parameter)
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<Atc.Options.AtcException>(() => Import(temp, EightByEight + layer + "\n", CaffeModels.LeNet()));
        Assert.Equal("E13014", e.Diagnostics[0].Code);
        Assert.Contains(value, e.Message);
        Assert.Contains(parameter, e.Message);
    }

    [Fact]
    public void Normalize_without_its_scale_blob_is_E11029()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<Atc.Options.AtcException>(() => Import(temp,
            EightByEight + "layer { name: \"norm\" type: \"Normalize\" bottom: \"data\" top: \"norm\" norm_param { across_spatial: false } }\n", CaffeModels.LeNet()));
        Assert.Equal("E11029", e.Diagnostics[0].Code);
    }
}
