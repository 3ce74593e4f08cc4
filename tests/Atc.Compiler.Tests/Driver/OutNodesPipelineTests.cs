using Atc.Compiler.Driver;
using Atc.Options;
using Atc.TestModels.Onnx;
using Atc.TestModels.TensorFlow;
using DataType = Atc.Runtime.DataType;

using Atc.Cli.Tests.Support;

namespace Atc.Compiler.Tests.Driver;

/// <summary>
/// --out_nodes through the real importers and driver: the outputs are chosen on the source graph before lowering, so
/// an unsupported op after them is never looked at (it used to fail with ATC1200 in the driver's path).
/// </summary>
public class OutNodesPipelineTests
{
    private static AtcCommandOptions PreCheck(string model, string framework, string? outNodes) => new()
    {
        Model = model,
        Framework = framework,
        Output = model + ".out",
        SocVersion = "Ascend310",
        Mode = "3",
        OutNodes = outNodes,
    };

    private static string TensorFlowWithUnsupportedTail(TempFolder temp)
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [1, 4]);
        var relu = b.Relu("relu", x);
        b.Unary("UnsupportedPostprocess", "nms", relu);
        var path = temp.File("tail.pb");
        b.Save(path);
        return path;
    }

    private static string OnnxWithUnsupportedTail(TempFolder temp)
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.Input("x", DataType.Float32, 1, 4);
        b.AddNode("Relu", ["x"], ["r"], "relu");
        b.AddNode("NonMaxSuppressionish", ["r"], ["boxes"], "nms", "com.example");
        b.Output("boxes", DataType.Float32);
        var path = temp.File("tail.onnx");
        b.Save(path);
        return path;
    }

    [Fact]
    public void TensorFlow_out_nodes_before_an_unsupported_op_compile()
    {
        using var temp = new TempFolder();
        var model = TensorFlowWithUnsupportedTail(temp);

        var whole = Assert.Throws<AtcException>(() => new ModelCompiler().Compile(PreCheck(model, "3", null)));
        Assert.Equal("ATC1200", whole.Diagnostics[0].Code);

        var result = new ModelCompiler().Compile(PreCheck(model, "3", "relu:0"));
        Assert.Single(result.Gears!.Gears);
    }

    [Fact]
    public void Onnx_out_nodes_before_an_unsupported_op_compile()
    {
        using var temp = new TempFolder();
        var model = OnnxWithUnsupportedTail(temp);

        var whole = Assert.Throws<AtcException>(() => new ModelCompiler().Compile(PreCheck(model, "5", null)));
        Assert.Equal("ATC1200", whole.Diagnostics[0].Code);

        var result = new ModelCompiler().Compile(PreCheck(model, "5", "relu:0"));
        Assert.Single(result.Gears!.Gears);
    }

    [Fact]
    public void Onnx_unknown_out_node_and_index_are_E11017_and_E11016_even_with_an_unsupported_tail()
    {
        using var temp = new TempFolder();
        var model = OnnxWithUnsupportedTail(temp);

        var e = Assert.Throws<AtcException>(() => new ModelCompiler().Compile(PreCheck(model, "5", "rel:0;relu:1")));

        Assert.Equal(["E11017", "E11016"], e.Diagnostics.Select(d => d.Code).ToArray());
        Assert.Contains("Did you mean [relu]?", e.Diagnostics[0].Fix);
    }
}
