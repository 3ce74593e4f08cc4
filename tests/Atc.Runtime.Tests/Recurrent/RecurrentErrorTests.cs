using Atc.Runtime;
using Atc.TestModels.Onnx;

namespace Atc.Tests.Recurrent;

/// <summary>A malformed recurrent node is a coded compile error naming the value and the fix, not a crash.</summary>
public class RecurrentErrorTests
{
    [Theory]
    [InlineData("direction", "sideways", "direction 'sideways' is invalid; use \"forward\", \"reverse\" or \"bidirectional\"")]
    [InlineData("activations", "Swish", "activation 'Swish' is not supported; use one of")]
    [InlineData("hidden_size", "9", "hidden_size=9 but W")]
    public void Bad_attribute_is_a_coded_error(string attribute, string value, string message)
    {
        var b = new OnnxModelBuilder(opset: 14, seed: 1);
        b.Input("x", DataType.Float32, 4, 2, 3);
        object attributeValue = attribute switch
        {
            "activations" => new[] { value },
            "hidden_size" => long.Parse(value, System.Globalization.CultureInfo.InvariantCulture),
            _ => value,
        };
        b.AddNode("RNN", ["x", b.Uniform("W", -1, 1, 1, 5, 3), b.Uniform("R", -1, 1, 1, 5, 5)], ["y"], "rnn", "", (attribute, attributeValue));
        b.Output("y", DataType.Float32);
        string folder = Directory.CreateTempSubdirectory("atc-rnn-").FullName;
        try
        {
            string path = Path.Combine(folder, "bad.onnx");
            File.WriteAllBytes(path, b.ToBytes());
            var stdout = new StringWriter();
            int code = Atc.Cli.AtcCli.Run(["--model=" + path, "--framework=5", "--output=" + Path.Combine(folder, "bad"),
                "--soc_version=Ascend310"], stdout, new StringWriter());
            string text = stdout.ToString();
            Assert.Equal(1, code);
            Assert.Contains(message, text);
            Assert.Matches(@"E\d{5}|ATC\d{4}", text);
            Assert.DoesNotContain("   at ", text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
