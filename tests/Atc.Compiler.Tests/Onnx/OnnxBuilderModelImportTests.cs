using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.TestModels.Onnx;

namespace Atc.Tests.Onnx;

/// <summary>The ready-made builder models import into well-formed IR.</summary>
public class OnnxBuilderModelImportTests
{
    public static TheoryData<string> ModelNames => [.. OnnxModels.All.Keys];

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void BuilderModelImportsWithSymbolicBatch(string name)
    {
        var g = OnnxTestSupport.Import(OnnxModels.All[name]());
        var input = Assert.Single(g.Inputs);
        Assert.Equal(OnnxModels.InputName, input.Name);
        Assert.Equal(DataType.Float32, input.Type);
        Assert.Equal(-1, input.Shape![0]);
        Assert.Equal(OnnxModels.OutputName, Assert.Single(g.Outputs).Name);
        Assert.Equal("onnx", g.SourceFramework);
        OnnxTestSupport.AssertTopological(g);
        Assert.All(g.Nodes.Where(n => n.OpType is OpTypes.Conv or OpTypes.MaxPool or OpTypes.GlobalAveragePool or OpTypes.BatchNormalization),
            n => Assert.Equal("NCHW", n.Attributes.GetString("layout", "")));
        Assert.Equal(g.Nodes.Count, g.Nodes.Select(n => n.Name).Distinct().Count());
    }

    [Fact]
    public void ResNet18HasTorchvisionStructure()
    {
        var g = OnnxTestSupport.Import(OnnxModels.ResNet18());
        Assert.Equal([-1, 3, 224, 224], g.Inputs[0].Shape!);
        Assert.Equal(20, g.Nodes.Count(n => n.OpType == OpTypes.Conv)); // 1 + 16 + 3 downsample
        Assert.Equal(20, g.Nodes.Count(n => n.OpType == OpTypes.BatchNormalization));
        Assert.Equal(8, g.Nodes.Count(n => n.OpType == OpTypes.Add));
        var conv1 = g.Nodes.First(n => n.Name == "conv1");
        Assert.Equal([64, 3, 7, 7], conv1.Inputs[1]!.Shape!);
        Assert.Equal(2, conv1.Inputs.Count); // no bias
        Assert.Equal([3L, 3, 3, 3], conv1.Attributes.GetInts("pads", []));
        var bn = g.Nodes.First(n => n.OpType == OpTypes.BatchNormalization);
        Assert.Equal(5, bn.Inputs.Count);
        Assert.All(bn.Inputs.Skip(1), v => Assert.True(v!.IsConstant));
        var fc = g.Producer(OnnxModels.OutputName);
        Assert.Equal(OpTypes.Gemm, fc.OpType);
        Assert.Equal(1, fc.Attributes.GetInt("transB", 0));
        Assert.Equal([-1, 1000], g.Outputs[0].Shape!);
    }

    [Fact]
    public void ResNet50HasBottlenecks()
    {
        var g = OnnxTestSupport.Import(OnnxModels.ResNet50());
        Assert.Equal(53, g.Nodes.Count(n => n.OpType == OpTypes.Conv)); // 1 + 48 + 4 downsample
        Assert.Equal(16, g.Nodes.Count(n => n.OpType == OpTypes.Add));
        Assert.Equal([1000, 2048], g.Producer(OnnxModels.OutputName).Inputs[1]!.Shape!);
    }

    [Fact]
    public void MobileNetV2ClipInputsBecomeAttributes()
    {
        var g = OnnxTestSupport.Import(OnnxModels.MobileNetV2());
        var clips = g.Nodes.Where(n => n.OpType == OpTypes.Clip).ToList();
        Assert.Equal(35, clips.Count);
        Assert.All(clips, c =>
        {
            Assert.Single(c.Inputs);
            Assert.Equal(0f, c.Attributes.GetFloat("min", float.NaN));
            Assert.Equal(6f, c.Attributes.GetFloat("max", float.NaN));
        });
        var depthwise = g.Nodes.Where(n => n.OpType == OpTypes.Conv && n.Attributes.GetInt("group", 1) > 1).ToList();
        Assert.Equal(17, depthwise.Count);
        Assert.All(depthwise, d => Assert.Equal(1, d.Inputs[1]!.Shape![1]));
        Assert.Equal(10, g.Nodes.Count(n => n.OpType == OpTypes.Add));
    }

    [Fact]
    public void SqueezeNetFireModulesConcatExpandBranches()
    {
        var g = OnnxTestSupport.Import(OnnxModels.SqueezeNet11());
        var concats = g.Nodes.Where(n => n.OpType == OpTypes.Concat).ToList();
        Assert.Equal(8, concats.Count);
        Assert.All(concats, c => Assert.Equal(1, c.Attributes.GetInt("axis", 0)));
        Assert.All(g.Nodes.Where(n => n.OpType == OpTypes.MaxPool), p => Assert.Equal(1, p.Attributes.GetInt("ceil_mode", 0)));
    }

    [Fact]
    public void MlpEndsInSoftmaxOverLastAxis()
    {
        var g = OnnxTestSupport.Import(OnnxModels.Mlp());
        Assert.Equal(3, g.Nodes.Count(n => n.OpType == OpTypes.Gemm));
        var softmax = g.Producer(OnnxModels.OutputName);
        Assert.Equal(OpTypes.Softmax, softmax.OpType);
        Assert.Equal(-1, softmax.Attributes.GetInt("axis", 0));
        Assert.False(softmax.Attributes.Has("legacy"));
    }

    [Fact]
    public void BuilderIsDeterministicForASeed()
    {
        Assert.Equal(OnnxModels.TinyCnn(3), OnnxModels.TinyCnn(3));
        Assert.NotEqual(OnnxModels.TinyCnn(3), OnnxModels.TinyCnn(4));
    }
}
