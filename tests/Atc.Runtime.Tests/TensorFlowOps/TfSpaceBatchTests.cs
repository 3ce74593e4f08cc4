using Atc.Compiler.Frontends.TensorFlow.Proto;
using DataType = Atc.Compiler.Frontends.TensorFlow.Proto.DataType;
using Atc.Compiler.Passes;
using Atc.Runtime;
using Atc.Runtime.Operators;
using Atc.TestModels.TensorFlow;
using Atc.Tests.TestSupport;
using Atc.Runtime.Core;
using static Atc.Tests.TensorFlowOps.TfOpHarness;

namespace Atc.Tests.TensorFlowOps;

/// <summary>SpaceToBatchND / BatchToSpaceND as ops (any block rank, trailing dims, paddings and crops) and the atrous
/// pattern SpaceToBatchND → Conv2D / DepthwiseConv2dNative → BatchToSpaceND folded into one dilated conv.</summary>
public class TfSpaceBatchTests
{
    private static string Pairs(TfGraphBuilder b, string name, int[] begin, int[] end)
        => b.ConstInt32(name, [begin.Length, 2], [.. begin.Zip(end).SelectMany(p => new[] { p.First, p.Second })]);

    [Theory]
    [InlineData(new[] { 2, 2 }, new[] { 1, 0 }, new[] { 1, 2 }, new[] { 3, 4, 6, 5 })]
    [InlineData(new[] { 3, 2 }, new[] { 0, 0 }, new[] { 0, 0 }, new[] { 2, 6, 4, 3 })]
    [InlineData(new[] { 2 }, new[] { 1 }, new[] { 3 }, new[] { 2, 6, 3 })]
    [InlineData(new[] { 2, 3 }, new[] { 2, 1 }, new[] { 0, 2 }, new[] { 1, 4, 3, 2, 2 })]
    public void SpaceToBatch_then_BatchToSpace_match_the_reference(int[] block, int[] padBegin, int[] padEnd, int[] dims)
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, .. dims.Skip(1).Select(d => (long)d)]);
        var s2b = b.Op("SpaceToBatchND", "s2b", [x, b.ConstInt32("block", [block.Length], block), Pairs(b, "paddings", padBegin, padEnd)],
            ("T", TfAttr.Type(DataType.DtFloat)));
        var doubled = b.Mul("doubled", s2b, b.Const("two", [], 2f));
        // Crops other than the paddings, to check them on their own.
        int[] cropBegin = [.. padBegin.Select(p => p / 2)], cropEnd = [.. padEnd.Select(p => (p + 1) / 2)];
        b.Op("BatchToSpaceND", "b2s", [doubled, b.ConstInt32("block2", [block.Length], block), Pairs(b, "crops", cropBegin, cropEnd)],
            ("T", TfAttr.Type(DataType.DtFloat)));
        var (input, reference) = Random(5, dims);

        var y = Assert.Single(Run(b, input));

        var batched = TfReference.Map(TfReference.SpaceToBatchND(reference, block, padBegin, padEnd), v => 2 * v);
        AssertClose(TfReference.BatchToSpaceND(batched, block, cropBegin, cropEnd), y);
    }

    [Fact]
    public void Version_one_ops_take_the_block_size_attribute()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 5, 6, 2]);
        var s2b = b.Op("SpaceToBatch", "s2b", [x, Pairs(b, "paddings", [1, 2], [0, 1])], ("T", TfAttr.Type(DataType.DtFloat)), ("block_size", TfAttr.Int(3)));
        b.Op("BatchToSpace", "b2s", [s2b, Pairs(b, "crops", [1, 0], [0, 1])], ("T", TfAttr.Type(DataType.DtFloat)), ("block_size", TfAttr.Int(3)));
        var (input, reference) = Random(8, 2, 5, 6, 2);

        var y = Assert.Single(Run(b, input));

        var batched = TfReference.SpaceToBatchND(reference, [3, 3], [1, 2], [0, 1]);
        AssertClose(TfReference.BatchToSpaceND(batched, [3, 3], [1, 0], [0, 1]), y);
    }

    [Fact]
    public void SpaceToBatch_alone_matches_the_reference()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 5, 4, 2]);
        b.Op("SpaceToBatchND", "s2b", [x, b.ConstInt32("block", [2], 2, 2), Pairs(b, "paddings", [1, 0], [2, 0])], ("T", TfAttr.Type(DataType.DtFloat)));
        var (input, reference) = Random(6, 3, 5, 4, 2);

        var y = Assert.Single(Run(b, input));

        Assert.Equal([12, 4, 2, 2], y.Dims);
        AssertClose(TfReference.SpaceToBatchND(reference, [2, 2], [1, 0], [2, 0]), y);
    }

    // An even kernel pads unevenly (SAME puts the extra row at the end), which pins down begin versus end.
    public static TheoryData<string, int, int, int> AtrousCases() => new()
    {
        { "Conv2D", 3, 2, 9 }, { "Conv2D", 3, 3, 8 }, { "Conv2D", 3, 4, 7 }, { "Conv2D", 2, 3, 8 },
        { "DepthwiseConv2dNative", 3, 2, 9 }, { "DepthwiseConv2dNative", 3, 3, 10 }, { "DepthwiseConv2dNative", 4, 3, 7 },
    };

    /// <summary>The chain tf.nn.atrous_conv2d(padding="SAME") writes: paddings = SAME pads of the dilated kernel plus
    /// extra rows up to a multiple of the rate, crops = that extra.</summary>
    [Theory]
    [MemberData(nameof(AtrousCases))]
    public void Atrous_pattern_folds_into_one_dilated_conv(string convOp, int kernel, int rate, int size)
    {
        const int channels = 4;
        var (before, after) = TfReference.SamePads(size, kernel, 1, rate);
        int extra = (rate - (size + before + after) % rate) % rate;
        bool depthwise = convOp == "DepthwiseConv2dNative";
        int outChannels = depthwise ? 2 : 5;

        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, size, size, channels]);
        var s2b = b.Op("SpaceToBatchND", "atrous/s2b", [x, b.ConstInt32("atrous/rate", [2], rate, rate),
            Pairs(b, "atrous/paddings", [before, before], [after + extra, after + extra])], ("T", TfAttr.Type(DataType.DtFloat)));
        var (filterData, filter) = Random(21, kernel, kernel, channels, outChannels);
        var weights = b.Const("atrous/filter", TfTensors.Float([kernel, kernel, channels, outChannels], filterData.ToFloatArray()));
        var conv = depthwise ? b.DepthwiseConv2dNative("atrous/conv", s2b, weights, padding: "VALID") : b.Conv2D("atrous/conv", s2b, weights, padding: "VALID");
        b.Op("BatchToSpaceND", "atrous/b2s", [conv, b.ConstInt32("atrous/rate2", [2], rate, rate),
            Pairs(b, "atrous/crops", [0, 0], [extra, extra])], ("T", TfAttr.Type(DataType.DtFloat)));

        var graph = ModelPipeline.ImportTensorFlow(b.ToBytes(), "atrous.pb");
        PassPipeline.Run(graph);
        var folded = Assert.Single(graph.Nodes);
        Assert.Equal(OpTypes.Conv, folded.OpType);
        Assert.Equal([(long)rate, rate], folded.Attributes.GetInts("dilations", []));

        var (input, reference) = Random(22, 2, size, size, channels);
        using var session = ModelPipeline.Emit(graph, ModelPipeline.StaticGear(graph, [input.Dims])).CreateSession(new SessionOptions { ThreadCount = 1 });
        var y = Assert.Single(session.Run(input));
        // The reference runs the chain as written, not the folded conv.
        var batched = TfReference.SpaceToBatchND(reference, [rate, rate], [before, before], [after + extra, after + extra]);
        var convolved = TfReference.Conv2D(batched, filter, [1, 1], [1, 1], [0, 0], [0, 0], depthwise);
        AssertClose(TfReference.BatchToSpaceND(convolved, [rate, rate], [0, 0], [extra, extra]), y);
    }

    /// <summary>tf.nn.atrous_conv2d on an image of unknown size computes its paddings and crops from Shape:
    /// end padding = base + (-size mod rate). They fold per gear; the chain then runs unfolded.</summary>
    [Theory]
    [InlineData(7, 5)]
    [InlineData(8, 6)]
    public void Atrous_chain_with_computed_paddings_runs_per_gear(int height, int width)
    {
        const int rate = 2, channels = 3;
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, -1, -1, channels]);
        var hw = b.StridedSlice("hw", b.Shape("shape", x), b.ConstInt32("begin", [1], 1), b.ConstInt32("end", [1], 3), b.ConstInt32("stride", [1], 1));
        var negated = b.Binary("Sub", "negated", b.ConstInt32("zero", [2], 0, 0), hw);
        var extra = b.Binary("FloorMod", "extra", negated, b.ConstInt32("rate_pair", [2], rate, rate));
        var padEnd = b.Binary("AddV2", "pad_end", b.ConstInt32("base_end", [2], rate, rate), extra);
        var paddings = b.Pack("paddings", [b.ConstInt32("pad_begin", [2], rate, rate), padEnd], axis: 1);
        var crops = b.Pack("crops", [b.ConstInt32("crop_begin", [2], 0, 0), extra], axis: 1);
        var s2b = b.Op("SpaceToBatchND", "s2b", [x, b.ConstInt32("rate", [2], rate, rate), paddings], ("T", TfAttr.Type(DataType.DtFloat)));
        var (filterData, filter) = Random(61, 3, 3, channels, 2);
        var conv = b.Conv2D("conv", s2b, b.Const("filter", TfTensors.Float([3, 3, channels, 2], filterData.ToFloatArray())), padding: "VALID");
        b.Op("BatchToSpaceND", "b2s", [conv, b.ConstInt32("rate2", [2], rate, rate), crops], ("T", TfAttr.Type(DataType.DtFloat)));
        var (input, reference) = Random(62, 2, height, width, channels);

        var y = Assert.Single(Run(b, input));

        int extraH = (rate - height % rate) % rate, extraW = (rate - width % rate) % rate;
        var batched = TfReference.SpaceToBatchND(reference, [rate, rate], [rate, rate], [rate + extraH, rate + extraW]);
        var convolved = TfReference.Conv2D(batched, filter, [1, 1], [1, 1], [0, 0], [0, 0]);
        var expected = TfReference.BatchToSpaceND(convolved, [rate, rate], [0, 0], [extraH, extraW]);
        Assert.Equal(expected.Dims, y.Dims);
        AssertClose(expected, y);
    }

    [Fact]
    public void Chain_that_is_not_atrous_stays_unfolded()
    {
        // A strided conv between the block ops is not a dilated conv: the ops run as written.
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 8, 8, 2]);
        var s2b = b.Op("SpaceToBatchND", "s2b", [x, b.ConstInt32("rate", [2], 2, 2), Pairs(b, "paddings", [0, 0], [0, 0])], ("T", TfAttr.Type(DataType.DtFloat)));
        var (filterData, filter) = Random(31, 1, 1, 2, 3);
        var conv = b.Conv2D("conv", s2b, b.Const("filter", TfTensors.Float([1, 1, 2, 3], filterData.ToFloatArray())), stride: 2, padding: "VALID");
        b.Op("BatchToSpaceND", "b2s", [conv, b.ConstInt32("rate2", [2], 2, 2), Pairs(b, "crops", [0, 0], [0, 0])], ("T", TfAttr.Type(DataType.DtFloat)));
        var (input, reference) = Random(32, 1, 8, 8, 2);

        var y = Assert.Single(Run(b, input));

        var batched = TfReference.SpaceToBatchND(reference, [2, 2], [0, 0], [0, 0]);
        var convolved = TfReference.Conv2D(batched, filter, [2, 2], [1, 1], [0, 0], [0, 0]);
        AssertClose(TfReference.BatchToSpaceND(convolved, [2, 2], [0, 0], [0, 0]), y);
    }
}
