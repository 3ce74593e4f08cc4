using Atc.Compiler.Frontends.TensorFlow.Proto;
using Atc.Cli.Tests.Support;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.IO;
using Atc.TestModels.TensorFlow;
using DataType = Atc.Compiler.Frontends.TensorFlow.Proto.DataType;

namespace Atc.Compiler.Tests.TensorFlow;

/// <summary>
/// A small DeepLab-like segmentation head as TensorFlow 1 freezes it: strided stem, two atrous convs written as
/// SpaceToBatchND → Conv2D / DepthwiseConv2dNative → BatchToSpaceND (one with crops), 1x1 logits and a bilinear
/// upsample to the image size read through Shape → StridedSlice. Compiled with the atc command line (batch gears),
/// executed with `atc run`, checked against the same graph evaluated op by op in float64.
/// </summary>
public class TensorFlowDeepLabCliTests
{
    private const int Size = 12, Classes = 4, Width = 8;

    private sealed class Weights(int seed)
    {
        private readonly Random _random = new(seed);

        public (string Name, RefTensor Value) Add(TfGraphBuilder b, string name, params int[] dims)
        {
            var values = new float[dims.Aggregate(1, (p, d) => p * d)];
            for (int i = 0; i < values.Length; i++) values[i] = (float)(_random.NextDouble() - 0.5);
            return (b.Const(name, TfTensors.Float([.. dims.Select(d => (long)d)], values)), RefTensor.Of(dims, values));
        }
    }

    private static string Pairs(TfGraphBuilder b, string name, int begin, int end) => b.ConstInt32(name, [2, 2], begin, end, begin, end);

    private static (byte[] Model, Func<RefTensor, RefTensor> Reference) DeepLab()
    {
        var b = new TfGraphBuilder();
        var w = new Weights(2026);
        var x = b.Placeholder("x", [-1, Size, Size, 3]);
        var (stemFilter, stemRef) = w.Add(b, "stem/weights", 3, 3, 3, Width);
        var (stemBias, stemBiasRef) = w.Add(b, "stem/bias", Width);
        var stem = b.Relu("stem/Relu", b.BiasAdd("stem/BiasAdd", b.Conv2D("stem/Conv2D", x, stemFilter, stride: 2), stemBias));

        // Atrous conv, rate 2 on 6x6: SAME pads 2+2, no extra rows.
        var s2b1 = b.Op("SpaceToBatchND", "aspp1/SpaceToBatchND", [stem, b.ConstInt32("aspp1/block", [2], 2, 2), Pairs(b, "aspp1/paddings", 2, 2)], ("T", TfAttr.Type(DataType.DtFloat)));
        var (filter1, filter1Ref) = w.Add(b, "aspp1/weights", 3, 3, Width, Width);
        var conv1 = b.Conv2D("aspp1/Conv2D", s2b1, filter1, padding: "VALID");
        var b2s1 = b.Op("BatchToSpaceND", "aspp1/BatchToSpaceND", [conv1, b.ConstInt32("aspp1/block2", [2], 2, 2), Pairs(b, "aspp1/crops", 0, 0)], ("T", TfAttr.Type(DataType.DtFloat)));
        var (bias1, bias1Ref) = w.Add(b, "aspp1/bias", Width);
        var branch1 = b.Relu("aspp1/Relu", b.BiasAdd("aspp1/BiasAdd", b2s1, bias1));

        // Atrous depthwise conv, rate 4 on 6x6: SAME pads 4+4 plus 2 extra rows to reach a multiple of 4, cropped after.
        var s2b2 = b.Op("SpaceToBatchND", "aspp2/SpaceToBatchND", [branch1, b.ConstInt32("aspp2/block", [2], 4, 4), Pairs(b, "aspp2/paddings", 4, 6)], ("T", TfAttr.Type(DataType.DtFloat)));
        var (filter2, filter2Ref) = w.Add(b, "aspp2/depthwise_weights", 3, 3, Width, 1);
        var conv2 = b.DepthwiseConv2dNative("aspp2/depthwise", s2b2, filter2, padding: "VALID");
        var branch2 = b.Op("BatchToSpaceND", "aspp2/BatchToSpaceND", [conv2, b.ConstInt32("aspp2/block2", [2], 4, 4), Pairs(b, "aspp2/crops", 0, 2)], ("T", TfAttr.Type(DataType.DtFloat)));

        var (logitsFilter, logitsRef) = w.Add(b, "logits/weights", 1, 1, Width, Classes);
        var (logitsBias, logitsBiasRef) = w.Add(b, "logits/bias", Classes);
        var logits = b.BiasAdd("logits/BiasAdd", b.Conv2D("logits/Conv2D", branch2, logitsFilter), logitsBias);
        var hw = b.StridedSlice("upsample/size", b.Shape("upsample/shape", x), b.ConstInt32("upsample/begin", [1], 1),
            b.ConstInt32("upsample/end", [1], 3), b.ConstInt32("upsample/stride", [1], 1));
        b.Op("ResizeBilinear", "upsample/ResizeBilinear", [logits, hw], ("T", TfAttr.Type(DataType.DtFloat)), ("align_corners", TfAttr.Bool(true)));

        RefTensor Reference(RefTensor image)
        {
            var (sb, se) = TfReference.SamePads(Size, 3, 2, 1);
            var s = TfReference.Map(TfReference.BiasAdd(TfReference.Conv2D(image, stemRef, [2, 2], [1, 1], [sb, sb], [se, se]), stemBiasRef.Data), v => Math.Max(v, 0));
            var a1 = TfReference.SpaceToBatchND(s, [2, 2], [2, 2], [2, 2]);
            a1 = TfReference.BatchToSpaceND(TfReference.Conv2D(a1, filter1Ref, [1, 1], [1, 1], [0, 0], [0, 0]), [2, 2], [0, 0], [0, 0]);
            a1 = TfReference.Map(TfReference.BiasAdd(a1, bias1Ref.Data), v => Math.Max(v, 0));
            var a2 = TfReference.SpaceToBatchND(a1, [4, 4], [4, 4], [6, 6]);
            a2 = TfReference.BatchToSpaceND(TfReference.Conv2D(a2, filter2Ref, [1, 1], [1, 1], [0, 0], [0, 0], depthwise: true), [4, 4], [0, 0], [2, 2]);
            var l = TfReference.BiasAdd(TfReference.Conv2D(a2, logitsRef, [1, 1], [1, 1], [0, 0], [0, 0]), logitsBiasRef.Data);
            return TfReference.Resize(l, Size, Size, "bilinear", alignCorners: true, halfPixelCenters: false);
        }
        return (b.ToBytes(), Reference);
    }

    [Fact]
    public void Compiles_with_gears_runs_and_matches_the_graph_reference()
    {
        using var temp = new TempFolder();
        var (model, reference) = DeepLab();
        File.WriteAllBytes(temp.File("deeplab.pb"), model);
        var compile = CliHarness.RunReal("--model=" + temp.File("deeplab.pb"), "--framework=3", "--output=" + temp.File("deeplab"),
            "--soc_version=Ascend310", "--input_shape=x:-1,12,12,3", "--dynamic_batch_size=1,2");
        Assert.True(compile.ExitCode == 0, compile.Stdout + compile.Stderr);

        var random = new Random(7);
        var pixels = Enumerable.Range(0, 2 * Size * Size * 3).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        Npy.Write(temp.File("x.npy"), TensorData.Float([2, Size, Size, 3], pixels));
        var run = CliHarness.RunReal("run", "--model=" + temp.File("deeplab.om"), "--input=" + temp.File("x.npy"), "--output=" + temp.File("out"));
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);

        var y = Npy.Read(temp.File("out/x_output_0.npy"));
        var expected = reference(RefTensor.Of([2, Size, Size, 3], pixels));
        Assert.Equal(expected.Dims, y.Dims);
        var actual = y.ToFloatArray();
        double scale = expected.Data.Max(Math.Abs);
        for (int i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected.Data[i]) <= 1e-5 * scale + 1e-6,
                $"element {i}: {actual[i]} vs reference {expected.Data[i]}");

        // The atrous chains compile to dilated convs: no rank-6 transposes are left in the model.
        var dump = CliHarness.RunReal("--mode=1", "--om=" + temp.File("deeplab.om"), "--json=" + temp.File("deeplab.json"));
        Assert.True(dump.ExitCode == 0, dump.Stdout + dump.Stderr);
        string json = File.ReadAllText(temp.File("deeplab.json"));
        Assert.Contains("\"Conv\"", json);
        Assert.DoesNotContain("\"Transpose\"", json);
    }
}
