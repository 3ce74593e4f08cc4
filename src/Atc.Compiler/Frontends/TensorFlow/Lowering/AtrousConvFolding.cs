using Atc.Compiler.Ir;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>
/// TensorFlow 1 writes a dilated (atrous) convolution as SpaceToBatchND(x, rate, paddings) → Conv2D or
/// DepthwiseConv2dNative (VALID, stride 1) → BatchToSpaceND(rate, crops). The chain equals one conv with dilation rate
/// and explicit pads (paddings - crops): output i reads x[i + k·rate - (pad_begin - crop_begin)]. Folding it keeps
/// the conv on its fast kernels instead of two rank-6 transposes; the unfolded nodes, lowered already, become dead
/// unless something else reads them.
/// </summary>
internal static class AtrousConvFolding
{
    /// <summary>Emits the dilated conv for <paramref name="batchToSpace"/> when the atrous pattern matches.</summary>
    public static bool TryFold(TfLoweringContext c, TfNode batchToSpace, long[] block, long[]? cropBegin, long[]? cropEnd)
    {
        if (block.Length != 2 || cropBegin is null || cropEnd is null || !TryProducer(c, batchToSpace, out var conv)) return false;
        if (conv.Op is not ("Conv2D" or "DepthwiseConv2dNative") || conv.DataInputs.Count != 2) return false;
        if (conv.GetString("data_format", "NHWC") != "NHWC" || conv.GetString("padding", "") != "VALID") return false;
        if (conv.GetInts("strides", [1, 1, 1, 1]).Any(s => s != 1) || conv.GetInts("dilations", [1, 1, 1, 1]).Any(d => d != 1)) return false;
        if (!TryProducer(c, conv, out var spaceToBatch) || spaceToBatch.Op is not ("SpaceToBatchND" or "SpaceToBatch")) return false;

        var (innerBlock, padBegin, padEnd) = BlockLowerings.ReadBlockOperands(c, spaceToBatch, "paddings");
        if (!innerBlock.SequenceEqual(block) || padBegin is null || padEnd is null) return false;
        long[] pads = [padBegin[0] - cropBegin[0], padBegin[1] - cropBegin[1], padEnd[0] - cropEnd[0], padEnd[1] - cropEnd[1]];
        if (pads.Any(p => p < 0)) return false;

        var x = c.Input(spaceToBatch, 0);
        var (weights, group) = NeuralNetLowerings.ConvWeights(c, conv);
        var attributes = new OpAttributes()
            .Set("layout", "NHWC")
            .Set("strides", new long[] { 1, 1 })
            .Set("dilations", block)
            .Set("auto_pad", "NOTSET")
            .Set("pads", pads)
            .Set("group", group);
        c.Emit(batchToSpace, OpTypes.Conv, [x, weights], x.Type, attributes);
        return true;
    }

    /// <summary>The node whose output 0 is data input 0 of <paramref name="node"/>.</summary>
    private static bool TryProducer(TfLoweringContext c, TfNode node, out TfNode producer)
    {
        producer = null!;
        if (node.DataInputs.Count == 0) return false;
        var input = node.DataInputs[0];
        return input.Index == 0 && c.Tf.TryGet(input.Node, out producer);
    }
}
