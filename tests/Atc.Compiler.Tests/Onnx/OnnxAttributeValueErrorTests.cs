using Atc.Runtime;
using Atc.TestModels.Onnx;

namespace Atc.Tests.Onnx;

/// <summary>ATC4400: an attribute value outside the set its op defines names node, attribute, value and the set.</summary>
public class OnnxAttributeValueErrorTests
{
    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "NegativeLogLikelihoodLoss", "reduction", "average", "[mean, sum, none]" },
        { "SoftmaxCrossEntropyLoss", "reduction", "MEAN", "[mean, sum, none]" },
        { "GridSample", "mode", "area", "[bilinear, linear, nearest, bicubic, cubic]" },
        { "GridSample", "padding_mode", "wrap", "[zeros, border, reflection]" },
        { "TfIdfVectorizer", "mode", "BM25", "[TF, IDF, TFIDF]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Value_outside_the_set_is_ATC4400(string op, string attribute, string value, string allowed)
    {
        var b = new OnnxModelBuilder(opset: 16);
        b.Input("x", DataType.Float32, 2, 3, 4, 4);
        string[] inputs = op switch
        {
            "GridSample" => ["x", b.Uniform("grid", -1f, 1f, 2, 4, 4, 2)],
            "TfIdfVectorizer" => ["x"],
            _ => ["x", b.Initializer("target", TensorData.Int64([2, 4, 4], new long[32]))],
        };
        b.AddNode(op, inputs, ["y"], "the_node", "", (attribute, value));
        b.Output("y", DataType.Float32);

        var d = OnnxTestSupport.ImportFails(b.ToBytes(), "ATC4400");
        Assert.Contains("[the_node]", d.Message);
        Assert.Contains($"[{attribute}]", d.Message);
        Assert.Contains($"[{value}]", d.Message);
        Assert.Contains(allowed, d.Message);
        Assert.Contains(allowed, d.Solution);
    }
}
