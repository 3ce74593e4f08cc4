using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>
/// Rewrites the broadcasting of opsets before 7 into numpy broadcasting. Then, binary ops took attrs broadcast=1 and
/// axis: B's dims line up with A's starting at axis (Add(A[2,3,4,5], B[3,4], axis=1)); numpy aligns trailing dims, so B
/// gets unit axes appended ([3,4] → [3,4,1]). Without axis the legacy rule already aligns trailing dims.
/// </summary>
internal static class LegacyBroadcast
{
    /// <summary>Operand B made numpy-compatible with A, or null when A's rank is unknown (reported unsupported).</summary>
    public static Value? AlignSecondOperand(NodeLowering n, Value a, Value b)
    {
        if (n.Opset >= 7 || n.Node.Int("broadcast", 0) == 0 || !n.Node.Has("axis")) return b;
        int? rankA = n.Context.Ranks.RankOf(a), rankB = n.Context.Ranks.RankOf(b);
        if (rankB == 0) return b;
        if (rankA is null || rankB is null)
        {
            n.Unsupported($"{n.OpType} with a legacy broadcast axis on an operand of unknown rank");
            return null;
        }
        long axis = n.Node.Int("axis", 0);
        if (axis < 0) axis += rankA.Value;
        long trailing = rankA.Value - axis - rankB.Value;
        if (axis < 0 || trailing < 0)
            throw new AtcException(AtcErrors.InvalidModel(
                $"node {n.Node} broadcasts an operand of rank {rankB} into one of rank {rankA} at axis {n.Node.Int("axis", 0)}, which does not fit"));
        return AppendUnitAxes(n, b, rankB.Value, (int)trailing, "broadcast");
    }

    /// <summary>Appends <paramref name="count"/> size-1 axes to a value: a reshaped copy for a constant, an Unsqueeze otherwise.</summary>
    public static Value AppendUnitAxes(NodeLowering n, Value value, int rank, int count, string suffix)
    {
        if (count == 0) return value;
        if (value.Constant is { } c)
            return n.Constant(suffix, new TensorData(c.Type, [.. c.Dims, .. Enumerable.Repeat(1, count)], c.Bytes));
        long[] axes = [.. Enumerable.Range(rank, count).Select(i => (long)i)];
        var result = n.EmitHelper(suffix, OpTypes.Unsqueeze, [value], new OpAttributes().Set("axes", axes), value.Type);
        if (value.Shape is { } shape) result.Shape = [.. shape, .. Enumerable.Repeat(1L, count)];
        return result;
    }
}
