using Atc.Compiler.Frontends.Caffe.Proto;
using Atc.Cli.Tests.Support;
using Atc.TestModels.Caffe;
using Google.Protobuf;

namespace Atc.Compiler.Tests.Caffe;

/// <summary>
/// Broken Caffe models through the real `atc` command line: each is ATC's Caffe code naming the file, layer, blob or
/// line and column, with a way out, exit code 1 and no stack trace.
/// </summary>
public class CaffeHostileInputTests
{
    private static CliRun Convert(TempFolder temp, string prototxt, string weights, params string[] extra)
        => CliHarness.RunReal(["--model=" + prototxt, "--weight=" + weights, "--framework=0", "--output=" + temp.File("out"), "--soc_version=Ascend310", .. extra]);

    private static (string Prototxt, string Weights) LeNetFiles(TempFolder temp) => CaffeModels.LeNet().WriteTo(temp.Path);

    private static void AssertCodedFailure(CliRun run, string code)
    {
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.Lines, l => l.StartsWith(code + ": ", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    private static void AssertOutput(CliRun run, string expected)
        => Assert.True(run.Stdout.Contains(expected, StringComparison.Ordinal), "expected [" + expected + "] in:\n" + run.Stdout);

    [Fact]
    public void The_lenet_files_convert()
    {
        using var temp = new TempFolder();
        var (prototxt, weights) = LeNetFiles(temp);
        var run = Convert(temp, prototxt, weights, "--input_shape=data:-1,1,28,28", "--dynamic_batch_size=1,8");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.True(File.Exists(temp.File("out.om")));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void A_truncated_caffemodel_is_E13005(double keep)
    {
        using var temp = new TempFolder();
        var (prototxt, weights) = LeNetFiles(temp);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(int)(bytes.Length * keep)]);
        var run = Convert(temp, prototxt, weights);
        AssertCodedFailure(run, "E13005");
        AssertOutput(run, "Failed to parse file [" + weights + "]");
        AssertOutput(run, "complete binary .caffemodel");
    }

    [Fact]
    public void A_prototxt_syntax_error_is_E11032_with_line_and_column()
    {
        using var temp = new TempFolder();
        var (_, weights) = LeNetFiles(temp);
        var prototxt = temp.File("bad.prototxt");
        File.WriteAllText(prototxt, "name: \"lenet\"\nlayer {\n  name: \"data\"\n  type: \"Input\"\n  top: \"data\"\n  input_param { shape { dim: 1 dim: 1 dim: 28 dim: 28 } }\n}\nlayer {\n  name \"conv1\"\n}\n");
        var run = Convert(temp, prototxt, weights);
        AssertCodedFailure(run, "E11032");
        AssertOutput(run, "The error field is [name]. Reason: line 9, column 8: expected ':' after field name 'name', found a string.");
        AssertOutput(run, "at line 9, column 8");
    }

    [Fact]
    public void An_unknown_field_is_E11032_naming_it()
    {
        using var temp = new TempFolder();
        var (prototxt, weights) = LeNetFiles(temp);
        var text = File.ReadAllText(prototxt).Replace("kernel_size: 5", "kernel_sise: 5", StringComparison.Ordinal);
        File.WriteAllText(prototxt, text);
        var run = Convert(temp, prototxt, weights);
        AssertCodedFailure(run, "E11032");
        AssertOutput(run, "The error field is [kernel_sise]");
        AssertOutput(run, "message type ConvolutionParameter has no field named 'kernel_sise'");
    }

    [Fact]
    public void An_unclosed_message_and_deep_nesting_are_E11032()
    {
        using var temp = new TempFolder();
        var (_, weights) = LeNetFiles(temp);
        var unclosed = temp.File("unclosed.prototxt");
        File.WriteAllText(unclosed, "layer {\n  name: \"data\"\n");
        AssertCodedFailure(Convert(temp, unclosed, weights), "E11032");

        var deep = temp.File("deep.prototxt");
        File.WriteAllText(deep, "layer { include " + string.Concat(Enumerable.Repeat("{ ", 5)) + "}");
        var run = Convert(temp, deep, weights);
        AssertCodedFailure(run, "E11032");
    }

    [Fact]
    public void A_caffemodel_given_as_the_model_is_E11032_saying_so()
    {
        using var temp = new TempFolder();
        var (_, weights) = LeNetFiles(temp);
        var run = Convert(temp, weights, weights);
        AssertCodedFailure(run, "E11032");
        AssertOutput(run, "--model takes the network .prototxt");
    }

    [Fact]
    public void A_layer_without_weights_is_E11029_naming_it()
    {
        using var temp = new TempFolder();
        var model = CaffeModels.LeNet();
        var weights = NetParameter.Parser.ParseFrom(model.CaffeModelBytes);
        weights.Layer.Single(l => l.Name == "conv2").Blobs.Clear();
        var (prototxt, weightPath) = (model with { CaffeModelBytes = weights.ToByteArray() }).WriteTo(temp.Path);
        var run = Convert(temp, prototxt, weightPath);
        AssertCodedFailure(run, "E11029");
        AssertOutput(run, "Op [conv2] exists in model file but not found in weight file.");
    }

    [Fact]
    public void A_blob_of_the_wrong_size_is_E11033_with_both_counts()
    {
        using var temp = new TempFolder();
        var model = CaffeModels.LeNet();
        var weights = NetParameter.Parser.ParseFrom(model.CaffeModelBytes);
        var blob = weights.Layer.Single(l => l.Name == "ip1").Blobs[0];
        blob.Data.RemoveAt(blob.Data.Count - 1);
        var (prototxt, weightPath) = (model with { CaffeModelBytes = weights.ToByteArray() }).WriteTo(temp.Path);
        var run = Convert(temp, prototxt, weightPath);
        AssertCodedFailure(run, "E11033");
        AssertOutput(run, "Blob [ip1 blob 0 (weights)] of size [399999] is invalid");
        AssertOutput(run, "need 400000 values (shape [500,800])");
    }

    [Fact]
    public void Unknown_layer_types_are_E11009_one_per_layer()
    {
        using var temp = new TempFolder();
        var b = new CaffeModelBuilder("custom");
        var x = b.Input("data", 1, 3, 8, 8);
        x = b.Convolution("conv", x, 4, 3);
        b.Raw("roi", "ROIPooling", [x], ["roi"]);
        b.Raw("proposal", "Python", ["roi"], ["rois"]);
        var (prototxt, weights) = b.Build().WriteTo(temp.Path);
        var run = Convert(temp, prototxt, weights);
        AssertCodedFailure(run, "E11009");
        AssertOutput(run, "E11009: No Caffe parser is registered for Op [roi] with optype [ROIPooling].");
        AssertOutput(run, "E11009: No Caffe parser is registered for Op [proposal] with optype [Python].");
    }

    [Fact]
    public void An_unknown_bottom_is_E11012()
    {
        using var temp = new TempFolder();
        var (prototxt, weights) = LeNetFiles(temp);
        File.WriteAllText(prototxt, File.ReadAllText(prototxt).Replace("bottom: \"pool1\"", "bottom: \"pool_1\"", StringComparison.Ordinal));
        var run = Convert(temp, prototxt, weights);
        AssertCodedFailure(run, "E11012");
        AssertOutput(run, "Unknown bottom blob [pool_1] at layer [conv2]. The bottom blob is indexed [0].");
    }

    [Fact]
    public void Legacy_v1_layers_are_E11021_and_E11023()
    {
        using var temp = new TempFolder();
        var (prototxt, weights) = LeNetFiles(temp);
        var v1 = temp.File("v1.prototxt");
        File.WriteAllText(v1, "name: \"old\"\nlayers {\n  name: \"conv1\"\n  type: CONVOLUTION\n}\n");
        AssertCodedFailure(Convert(temp, v1, weights), "E11021");

        var oldWeights = new NetParameter { Name = "old" };
        oldWeights.Layers.Add(new V1LayerParameter { Name = "conv1" });
        var v1Weights = temp.File("v1.caffemodel");
        File.WriteAllBytes(v1Weights, oldWeights.ToByteArray());
        AssertCodedFailure(Convert(temp, prototxt, v1Weights), "E11023");
    }

    [Fact]
    public void Layer_parameters_caffe_rejects_are_E13014_naming_the_layer()
    {
        using var temp = new TempFolder();
        var (prototxt, weights) = LeNetFiles(temp);
        File.WriteAllText(prototxt, File.ReadAllText(prototxt).Replace("num_output: 50\n", "num_output: 50\n    group: 3\n", StringComparison.Ordinal));
        var run = Convert(temp, prototxt, weights);
        AssertCodedFailure(run, "E13014");
        AssertOutput(run, "Value [3] of parameter [group] for Op [conv2 (Convolution)] is invalid.");
    }

    [Fact]
    public void Mode_1_dumps_the_prototxt_without_weights()
    {
        using var temp = new TempFolder();
        var (prototxt, _) = LeNetFiles(temp);
        var run = CliHarness.RunReal("--mode=1", "--framework=0", "--om=" + prototxt, "--json=" + temp.File("lenet.json"));
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var json = File.ReadAllText(temp.File("lenet.json"));
        Assert.Contains("\"caffe\"", json);
        Assert.Contains("\"Convolution\"", json);
        Assert.Contains("\"prob\"", json);
    }
}
