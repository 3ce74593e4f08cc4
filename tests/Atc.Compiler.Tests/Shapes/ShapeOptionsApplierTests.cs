using Atc.Compiler.Ir;
using Atc.Compiler.Shapes;
using Atc.Options;
using Atc.Options.Rules;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Shapes;

public class ShapeOptionsApplierTests
{
    private static Graph TwoInputGraph(string framework = "onnx")
    {
        var graph = new Graph { SourceFramework = framework };
        var image = new Value(framework == "tensorflow" ? "image:0" : "image", DataType.Float32, [-1, 3, -1, -1]);
        var scale = new Value("scale", DataType.Float32, [-1, 1]);
        graph.Inputs.Add(image);
        graph.Inputs.Add(scale);
        var mul = graph.AddNode(new Node("mul", OpTypes.Mul, [image, scale]));
        graph.Outputs.Add(mul.AddOutput("out", DataType.Float32, [-1, 3, -1, -1]));
        return graph;
    }

    private static ShapeOptions Options(AtcCommandOptions raw, AtcFramework framework = AtcFramework.Onnx)
    {
        var diagnostics = new List<AtcDiagnostic>();
        var options = ShapeOptionRules.Check(raw, framework, diagnostics);
        Assert.Empty(diagnostics);
        return options;
    }

    [Fact]
    public void Gears_are_keyed_by_the_graph_input_names_and_inputs_get_the_effective_shapes()
    {
        var graph = TwoInputGraph();
        var gears = ShapeOptionsApplier.Apply(graph, Options(new() { InputShape = "image:1,3,-1,-1;scale:1,1", DynamicImageSize = "32,32;64,48" }));

        Assert.Equal(GearKind.ImageSize, gears.Kind);
        Assert.Equal(["image:1,3,32,32;scale:1,1", "image:1,3,64,48;scale:1,1"], gears.Gears.Select(g => g.Describe()).ToArray());
        Assert.Equal([64, 48], gears.Gears[1].Selector);
        Assert.Equal([1, 3, -1, -1], graph.Inputs[0].Shape!);
        Assert.Equal([1, 1], graph.Inputs[1].Shape!);
        Assert.Empty(gears.Ranges);
    }

    [Fact]
    public void TensorFlow_inputs_are_named_by_their_placeholder()
    {
        var graph = TwoInputGraph("tensorflow");
        var signature = ModelDeclarationBuilder.From(graph);
        Assert.Equal(["image", "scale"], signature.Inputs.Select(i => i.Name).ToArray());
        Assert.Equal("image:0", signature.Inputs[0].TensorName);
        Assert.True(signature.IsNode("mul"));
        Assert.Equal(1, signature.NodeOutputCounts["mul"]);

        var gears = ShapeOptionsApplier.Apply(graph, Options(new() { InputShape = "image:2,3,8,8;scale:2,1" }, AtcFramework.TensorFlow));
        Assert.Equal([2, 3, 8, 8], gears.Gears[0].InputShapes["image:0"]);
    }

    [Fact]
    public void Ranges_become_input_ranges()
    {
        var graph = TwoInputGraph();
        var gears = ShapeOptionsApplier.Apply(graph, Options(new() { InputShape = "image:1~4,3,32,32;scale:1~4,1" }));

        Assert.Equal(GearKind.Range, gears.Kind);
        Assert.Equal(["image", "scale"], gears.Ranges.Select(r => r.InputName).ToArray());
        Assert.Equal([4, 3, 32, 32], gears.Ranges[0].Max);
        Assert.Equal(2, gears.Gears.Count);
    }

    [Fact]
    public void Input_format_is_recorded_for_the_inputs_of_its_rank()
    {
        var graph = TwoInputGraph();
        ShapeOptionsApplier.Apply(graph, Options(new() { InputShape = "image:1,3,8,8;scale:1,1", InputFormat = "NCHW" }));
        Assert.Equal(TensorFormat.NCHW, graph.InputFormats["image"]);
        Assert.False(graph.InputFormats.ContainsKey("scale"));

        var nd = TwoInputGraph();
        ShapeOptionsApplier.Apply(nd, Options(new() { InputShape = "image:-1,3,8,8;scale:-1,1", DynamicDims = "1,1;2,2", InputFormat = "ND" }));
        Assert.Equal(TensorFormat.ND, nd.InputFormats["scale"]);
    }

    [Fact]
    public void Model_dependent_problems_throw_all_at_once()
    {
        var graph = TwoInputGraph();
        var e = Assert.Throws<AtcException>(() => ShapeOptionsApplier.Apply(graph, Options(new() { InputShape = "image:1,4,8,8,1" })));
        Assert.Equal(["E10049", "E10001"], e.Diagnostics.Select(d => d.Code).ToArray());
        Assert.Equal("Value [-1] for parameter [scale] is invalid. Reason: maybe you should set input_shape to specify its shape", e.Diagnostics[1].Message);
    }
}
