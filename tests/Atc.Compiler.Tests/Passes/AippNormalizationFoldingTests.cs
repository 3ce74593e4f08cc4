using Atc.Compiler.Emit;
using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Compiler.Shapes;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Image;

namespace Atc.Compiler.Tests.Passes;

/// <summary>
/// AIPP's per-channel normalisation folded into the Conv that reads it: the pass fires only where the result is the
/// same (no padding on either side, the Conv the sole reader), and the folded model gives the unfolded one's outputs
/// within 1e-5 relative to the output's magnitude, both run on the runtime.
/// </summary>
public class AippNormalizationFoldingTests
{
    private const int Height = 7, Width = 9;

    private static TestGraphBuilder Build(bool channelsLast = false, int group = 1, long[]? convPads = null, int aippPad = 0, int outputs = 4)
    {
        var b = new TestGraphBuilder(seed: 11);
        var image = new Value("image", DataType.UInt8, [1, Height, Width, 3]);
        b.Graph.Inputs.Add(image);
        var aipp = new Node("aipp", OpTypes.AippPreprocess, [image]);
        new AippParameters(AippSourceFormat.Rgb888, RbuvSwap: true, AxSwap: false, 0, 0, 0, 0,
            Csc: false, new int[9], new int[3], new int[3],
            Mean: [104, 117, 123], Min: [0.5f, 0, 1.25f], VarReci: [0.0171f, 0.0175f, 0.0174f],
            aippPad, aippPad, aippPad, aippPad, PaddingValue: 0.25f, channelsLast).WriteTo(aipp.Attributes);
        b.Graph.AddNode(aipp);
        int h = Height + 2 * aippPad, w = Width + 2 * aippPad;
        var normalised = aipp.AddOutput("normalised", DataType.Float32, channelsLast ? [1, h, w, 3] : [1, 3, h, w]);

        var attributes = TestGraphBuilder.Attrs(("layout", channelsLast ? "NHWC" : "NCHW"), ("group", (long)group),
            ("pads", convPads ?? [0, 0, 0, 0]), ("strides", new long[] { 1, 1 }));
        var conv = b.Op(OpTypes.Conv, "conv", [normalised, b.Const("w", [outputs, 3 / group, 3, 3]), b.Const("b", [outputs])], null, attributes);
        b.Output(conv);
        return b;
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 3)]   // depthwise: each output channel reads one image channel
    public void FoldsIntoAnUnpaddedConvAndKeepsTheResult(bool channelsLast, int group)
    {
        var original = Build(channelsLast, group, outputs: group == 1 ? 4 : 6);
        var folded = Build(channelsLast, group, outputs: group == 1 ? 4 : 6);

        var result = new AippNormalizationFolding().Run(folded.Graph);

        Assert.Equal(1, result.Count(AippNormalizationFolding.Folded));
        Assert.Null(GraphInvariants.FindProblem(folded.Graph));
        var aipp = AippParameters.Read(folded.Graph.Nodes.Single(n => n.OpType == OpTypes.AippPreprocess).Attributes);
        Assert.Equal([1f, 1f, 1f], aipp.VarReci);
        Assert.Equal([0f, 0f, 0f], aipp.Mean);
        AssertSameResults(original.Graph, folded.Graph);
    }

    [Fact]
    public void TheWholePipelineFoldsAndStillMatches()
    {
        var original = Build();
        var optimised = Build();
        var report = PassPipeline.RunWithReport(optimised.Graph);
        Assert.Equal(1, report.Total(AippNormalizationFolding.Folded));
        AssertSameResults(original.Graph, optimised.Graph);
    }

    [Fact]
    public void APaddedConvKeepsTheNormalisation()
    {
        var b = Build(convPads: [1, 1, 1, 1]);
        var result = new AippNormalizationFolding().Run(b.Graph);
        Assert.Equal((0, 1), (result.Count(AippNormalizationFolding.Folded), result.Count(AippNormalizationFolding.Kept)));
        Assert.Contains(result.Notes, n => n.Contains("the Conv pads its input"));
    }

    [Fact]
    public void AippPaddingKeepsTheNormalisation()
    {
        var b = Build(aippPad: 1);
        var result = new AippNormalizationFolding().Run(b.Graph);
        Assert.Equal(0, result.Count(AippNormalizationFolding.Folded));
        Assert.Contains(result.Notes, n => n.Contains("it pads the image"));
    }

    [Fact]
    public void ASecondReaderKeepsTheNormalisation()
    {
        var b = Build();
        b.Output(b.Graph.Nodes.Single(n => n.OpType == OpTypes.AippPreprocess).Outputs[0]);
        var result = new AippNormalizationFolding().Run(b.Graph);
        Assert.Equal(0, result.Count(AippNormalizationFolding.Folded));
    }

    private static void AssertSameResults(Graph expectedGraph, Graph actualGraph)
    {
        var pixels = new byte[Height * Width * 3];
        new Random(3).NextBytes(pixels);
        var expected = Run(expectedGraph, pixels);
        var actual = Run(actualGraph, pixels);
        Assert.Equal(expected.Dims, actual.Dims);
        float[] e = expected.ToFloatArray(), a = actual.ToFloatArray();
        double scale = e.Max(v => Math.Abs((double)v));
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-5 * scale, $"[{i}]: unfolded {e[i]}, folded {a[i]} (scale {scale})");
    }

    private static TensorData Run(Graph graph, byte[] pixels)
    {
        var shapes = new Dictionary<string, int[]> { ["image"] = [1, Height, Width, 3] };
        var om = OmEmitter.Emit(graph, GearSet.Static(new Gear(shapes, [])), new EmitOptions("aipp", "Ascend310", "onnx"));
        using var session = InferenceModel.Load(om).CreateSession();
        return session.Run([TensorData.FromArray(DataType.UInt8, [1, Height, Width, 3], pixels)])[0];
    }
}
