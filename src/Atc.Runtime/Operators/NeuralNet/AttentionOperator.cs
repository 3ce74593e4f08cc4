using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>The shapes of one Attention node: batch dims broadcast over Q, Kᵀ, V and the mask's leading dims.</summary>
internal sealed record AttentionShape(int[] BatchDims, int Queries, int Keys, int Depth, int ValueDepth, int[] OutputDims)
{
    public long BatchCount => Shape.ElementCount(BatchDims);
}

/// <summary>How the optional mask input acts on the scaled scores.</summary>
internal enum AttentionMask
{
    None,
    /// <summary>float mask added to the scores.</summary>
    Add,
    /// <summary>bool mask: true keeps the score, false puts the fill value (Where(mask, scores, fill)).</summary>
    Keep,
    /// <summary>bool mask: true puts the fill value (Where(mask, fill, scores)).</summary>
    Drop,
}

/// <summary>
/// Attention (compiler, from MatMul → scale → mask → Softmax → MatMul): Q [b.., Sq, D], Kᵀ [b.., D, Sk],
/// V [b.., Sk, Dv], optional mask broadcast to [b.., Sq, Sk] → softmax(scale · Q·Kᵀ (+ mask)) · V [b.., Sq, Dv];
/// attrs "scale" (float), "mask" ("add", "keep", "drop"; absent without a mask input), "fill" (the Where value).
/// </summary>
internal sealed class AttentionOperator : IOperator
{
    public const string MaskAdd = "add", MaskKeep = "keep", MaskDrop = "drop";

    public string OpType => OpTypes.Attention;

    public TensorType[] InferOutputs(OpContext context)
    {
        var shape = Resolve(context);
        ReadMask(context);
        return [new TensorType(DataType.Float32, shape.OutputDims)];
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
        => new AttentionKernel(Resolve(context), context, ReadMask(context), context.Attributes.GetFloat("scale", 1f),
            context.Attributes.GetFloat("fill", float.NegativeInfinity), KernelIsa.Current);

    internal static AttentionShape Resolve(OpContext context)
    {
        var q = NeuralNetAttributes.RequireFloat(context, 0, "Q");
        var kt = NeuralNetAttributes.RequireFloat(context, 1, "K (transposed)");
        var v = NeuralNetAttributes.RequireFloat(context, 2, "V");
        if (q.Rank < 2 || kt.Rank < 2 || v.Rank < 2)
            throw new ShapeException($"{OpTypes.Attention}: Q {q}, Kᵀ {kt} and V {v} must have rank 2 or more");
        int sq = q.Dims[^2], d = q.Dims[^1], sk = kt.Dims[^1], dv = v.Dims[^1];
        if (kt.Dims[^2] != d) throw new ShapeException($"{OpTypes.Attention}: Kᵀ {kt} must have D = {d} rows (the last dim of Q {q})");
        if (v.Dims[^2] != sk) throw new ShapeException($"{OpTypes.Attention}: V {v} must have Sk = {sk} rows (the last dim of Kᵀ {kt})");
        int[] batch;
        try
        {
            batch = Shape.Broadcast(Shape.Broadcast(q.Dims[..^2], kt.Dims[..^2]), v.Dims[..^2]);
            if (context.HasInput(3))
            {
                var m = context.Input(3);
                int[] dims = m.Rank >= 2 ? m.Dims : [.. Enumerable.Repeat(1, 2 - m.Rank), .. m.Dims];
                if (dims[^2] != 1 && dims[^2] != sq || dims[^1] != 1 && dims[^1] != sk)
                    throw new ShapeException($"{OpTypes.Attention}: mask {m} must broadcast into the scores [{sq}, {sk}] without enlarging them");
                batch = Shape.Broadcast(batch, dims[..^2]);
            }
        }
        catch (ShapeException e) when (!e.Message.StartsWith(OpTypes.Attention, StringComparison.Ordinal))
        {
            throw new ShapeException($"{OpTypes.Attention}: batch dims of Q {q}, Kᵀ {kt}, V {v} and the mask cannot be broadcast: {e.Message}");
        }
        return new AttentionShape(batch, sq, sk, d, dv, [.. batch, sq, dv]);
    }

    private static AttentionMask ReadMask(OpContext context)
    {
        if (!context.HasInput(3)) return AttentionMask.None;
        string mode = context.Attributes.GetString("mask", MaskAdd);
        var type = context.Input(3).Type;
        var mask = mode switch
        {
            MaskAdd => AttentionMask.Add,
            MaskKeep => AttentionMask.Keep,
            MaskDrop => AttentionMask.Drop,
            _ => throw new ShapeException($"{OpTypes.Attention}: mask mode '{mode}' is not supported; use \"{MaskAdd}\", \"{MaskKeep}\" or \"{MaskDrop}\""),
        };
        var expected = mask == AttentionMask.Add ? DataType.Float32 : DataType.Bool;
        if (type != expected)
            throw new ShapeException($"{OpTypes.Attention}: a \"{mode}\" mask must be {expected.Name()}, got {type.Name()}");
        return mask;
    }
}
