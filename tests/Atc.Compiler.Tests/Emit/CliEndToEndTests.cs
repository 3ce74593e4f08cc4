using System.Text.Json;
using Atc.Cli.Tests.Support;
using Atc.Runtime;
using Atc.Runtime.IO;

namespace Atc.Tests.Emit;

/// <summary>atc compiles a TensorFlow model with gears, `atc run` executes the .om with the real operators, and
/// `atc --mode=1` dumps it: the three commands through the real command line.</summary>
public class CliEndToEndTests
{
    [Fact]
    public void CompileRunAndDump()
    {
        using var temp = new TempFolder();
        var model = temp.File("relu.pb");
        TinyTensorFlowModel.Write(model, "x", [-1, 2, 2, 3]);
        var compile = CliHarness.RunReal("--model=" + model, "--framework=3", "--output=" + temp.File("relu"), "--soc_version=Ascend310",
            "--input_shape=x:-1,2,2,3", "--dynamic_batch_size=1,2");
        Assert.True(compile.ExitCode == 0, compile.Stdout + compile.Stderr);

        var x = Enumerable.Range(0, 24).Select(i => i % 2 == 0 ? i : -i).Select(v => (float)v).ToArray();
        Npy.Write(temp.File("x.npy"), TensorData.Float([2, 2, 2, 3], x));
        var run = CliHarness.RunReal("run", "--model=" + temp.File("relu.om"), "--input=" + temp.File("x.npy"), "--output=" + temp.File("out"), "--loop=3");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("median = ", run.Stdout);
        var y = Npy.Read(temp.File("out/x_output_0.npy"));
        Assert.Equal([2, 2, 2, 3], y.Dims);
        Assert.Equal(x.Select(v => Math.Max(v, 0)), y.ToFloatArray());

        var badGear = CliHarness.RunReal("run", "--model=" + temp.File("relu.om"), "--dymBatch=4");
        Assert.Equal(1, badGear.ExitCode);
        Assert.Contains("ATC2201: Value [4] for parameter [--dymBatch] matches no shape profile of the model.", badGear.Stdout);

        var dump = CliHarness.RunReal("--mode=1", "--om=" + temp.File("relu.om"), "--json=" + temp.File("relu.json"));
        Assert.True(dump.ExitCode == 0, dump.Stdout + dump.Stderr);
        var json = JsonDocument.Parse(File.ReadAllText(temp.File("relu.json"))).RootElement;
        Assert.Equal("Batch", json.GetProperty("signature").GetProperty("gear_kind").GetString());
        Assert.Equal(2, json.GetProperty("signature").GetProperty("gears").GetArrayLength());
        Assert.Equal("tensorflow", json.GetProperty("model").GetProperty("source_framework").GetString());
        Assert.Equal("Ascend310", json.GetProperty("model").GetProperty("soc_version").GetString());
    }
}
