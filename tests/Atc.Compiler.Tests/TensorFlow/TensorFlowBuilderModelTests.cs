using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.TestModels.TensorFlow;
using static Atc.Compiler.Tests.TensorFlow.TfTestSupport;

namespace Atc.Compiler.Tests.TensorFlow;

/// <summary>The ready-made GraphDefs of Atc.TestModels import with the topology they promise.</summary>
public class TensorFlowBuilderModelTests
{
    private static Graph ImportModel(TfModel model)
    {
        var g = Import(model.Bytes);
        AssertWellFormed(g);
        var input = Assert.Single(g.Inputs);
        Assert.Equal(model.InputName, input.Name);
        Assert.Equal(model.InputShape, input.Shape!);
        Assert.Equal(DataType.Float32, input.Type);
        Assert.Equal(model.OutputName, Assert.Single(g.Outputs).Name);
        return g;
    }

    [Theory]
    [InlineData("Inputs")]
    [InlineData("Placeholder")]
    public void Small_resnet_round_trips(string inputName)
    {
        var model = TfModels.SmallResNet(inputName);
        var g = ImportModel(model);
        Assert.Equal([-1L, 224, 224, 3], model.InputShape);
        Assert.Equal(TensorFormat.NHWC, g.InputFormats[inputName]);
        Assert.Equal(1 + 4 * 3 + 4, Count(g, OpTypes.Conv)); // stem, 3 per bottleneck, 4 projection shortcuts
        Assert.Equal(Count(g, OpTypes.Conv), Count(g, OpTypes.BatchNormalization));
        Assert.Equal(OpTypes.Softmax, g.Outputs[0].Producer!.OpType);
        Assert.Equal(1, Count(g, OpTypes.Shape));
        Assert.Equal(1, Count(g, OpTypes.StridedSlice));
        Assert.Equal(1, Count(g, OpTypes.Pad));
    }

    [Fact]
    public void Resnet50_topology_has_53_convolutions()
    {
        // ResNet-50's graph at a reduced width keeps the test fast; the topology does not depend on the width.
        var model = TfModels.ResNet(new TfResNetOptions { BaseWidth = 4, Classes = 1000 });
        var g = ImportModel(model);
        Assert.Equal(53, Count(g, OpTypes.Conv));
        Assert.Equal(53, Count(g, OpTypes.BatchNormalization));
        Assert.Equal(1 + 16 * 3, Count(g, OpTypes.Relu));
        Assert.Equal(16 + 1, Count(g, OpTypes.Add)); // residual adds + logits bias
        Assert.Equal(1, Count(g, OpTypes.Gemm));
        var logits = Assert.Single(g.Nodes, n => n.OpType == OpTypes.Gemm).Inputs[1]!.Constant!;
        Assert.Equal([4 * 8 * 4, 1000], logits.Dims);
    }

    [Fact]
    public void Mobilenetv2_round_trips()
    {
        var model = TfModels.MobileNetV2(new TfMobileNetV2Options { WidthMultiplier = 0.35, Classes = 10 });
        var g = ImportModel(model);
        Assert.Equal("input", model.InputName);
        Assert.Equal(1 + 16 + 17 + 17 + 1, Count(g, OpTypes.Conv)); // stem, expansions, depthwise, projections, last
        Assert.Equal(17, g.Nodes.Count(n => n.OpType == OpTypes.Conv && n.Attributes.GetInt("group", 1) > 1));
        Assert.Equal(10 + 1, Count(g, OpTypes.Add)); // residual adds + logits bias
        Assert.Equal(1 + 16 + 17 + 1, Count(g, OpTypes.Clip));
    }

    [Fact]
    public void Mlp_round_trips()
    {
        var model = TfModels.Mlp();
        var g = ImportModel(model);
        Assert.Equal("Placeholder", model.InputName);
        Assert.Equal([-1L, 784], model.InputShape);
        Assert.Equal(3, Count(g, OpTypes.Gemm));
        Assert.Equal(2, Count(g, OpTypes.Relu));
        Assert.Equal(TensorFormat.ND, g.InputFormats["Placeholder"]);
    }

    [Fact]
    public void Same_seed_gives_identical_bytes_and_another_seed_does_not()
    {
        Assert.Equal(TfModels.SmallResNet().Bytes, TfModels.SmallResNet().Bytes);
        var a = TfModels.Mlp(new TfMlpOptions { Seed = 1 }).Bytes;
        var b = TfModels.Mlp(new TfMlpOptions { Seed = 2 }).Bytes;
        Assert.Equal(a.Length, b.Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void He_initialised_weights_have_the_expected_spread()
    {
        var g = Import(TfModels.SmallResNet().Bytes);
        var conv = g.Nodes.First(n => n.OpType == OpTypes.Conv && n.Name.Contains("block2/unit_1/conv2"));
        var w = conv.Inputs[1]!.Constant!;
        long fanIn = w.Dims[1] * w.Dims[2] * w.Dims[3];
        var values = w.ToFloatArray();
        double mean = values.Average();
        double std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(std, 0.85 * Math.Sqrt(2.0 / fanIn), 1.15 * Math.Sqrt(2.0 / fanIn));
        Assert.InRange(mean, -0.2 * std, 0.2 * std);
    }
}
