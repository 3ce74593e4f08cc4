using Atc.Compiler.Frontends.Onnx.Lowering;
using Atc.Compiler.Ir;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>
/// Ranks of IR values where they follow from the graph without shapes: the legacy-opset rewrites (a broadcast with
/// an axis, channel-wise PRelu) must know the rank of an operand, and ONNX files rarely declare intermediate shapes.
/// Unknown ranks are null; the rewrites then report the construct as unsupported instead of guessing.
/// </summary>
internal sealed class OnnxRankInference
{
    private readonly Dictionary<Value, int?> _ranks = new(ReferenceEqualityComparer.Instance);

    public int? RankOf(Value? value)
    {
        if (value is null) return null;
        if (value.Shape is not null) return value.Shape.Length;
        if (_ranks.TryGetValue(value, out var known)) return known;
        _ranks[value] = null; // guards against revisiting while computing
        int? rank = value.Producer is { } node ? Infer(node, node.Outputs.IndexOf(value)) : null;
        _ranks[value] = rank;
        return rank;
    }

    private int? Infer(Node node, int outputIndex)
    {
        var a = node.Attributes;
        int? first = node.Inputs.Count > 0 ? RankOf(node.Inputs[0]) : null;
        switch (node.OpType)
        {
            case OpTypes.Add or OpTypes.Sub or OpTypes.Mul or OpTypes.Div or OpTypes.Pow or OpTypes.Mod
                or OpTypes.Equal or OpTypes.Less or OpTypes.Greater or OpTypes.LessOrEqual or OpTypes.GreaterOrEqual
                or OpTypes.And or OpTypes.Or or OpTypes.Xor or OpTypes.Max or OpTypes.Min or OpTypes.Sum
                or OpTypes.Mean or OpTypes.Where or OpTypes.PRelu or OpTypes.BitShift:
                return MaxRank(node.Inputs);
            case OpTypes.Gemm or OpTypes.Flatten:
                return 2;
            case OpTypes.MatMul:
                return MatMulRank(RankOf(node.Inputs[0]), RankOf(node.Inputs[1]));
            case OpTypes.Reshape:
                return ShapeLength(node.Inputs[1]);
            case OpTypes.ConstantOfShape:
                return ShapeLength(node.Inputs[0]);
            case OpTypes.Expand:
                return ShapeLength(node.Inputs[1]) is { } n && first is { } r ? Math.Max(n, r) : null;
            case OpTypes.Unsqueeze:
                return first + a.GetInts("axes", []).Length;
            case OpTypes.Squeeze:
                long[] axes = a.GetInts("axes", []);
                return axes.Length == 0 ? null : first - axes.Length;
            case OpTypes.ReduceMean or OpTypes.ReduceSum or OpTypes.ReduceMax or OpTypes.ReduceMin or OpTypes.ReduceProd
                or OpTypes.ReduceSumSquare or OpTypes.ReduceL1 or OpTypes.ReduceL2 or OpTypes.ReduceLogSumExp:
                if (a.GetInt("keepdims", 1) != 0) return first;
                long[] reduced = a.GetInts("axes", []);
                return reduced.Length == 0 ? 0 : first - reduced.Length;
            case OpTypes.ArgMax or OpTypes.ArgMin:
                return a.GetInt("keepdims", 1) != 0 ? first : first - 1;
            case OpTypes.Shape or OpTypes.Range:
                return 1;
            case OpTypes.Size:
                return 0;
            case OpTypes.OneHot:
                return first + 1;
            case OpTypes.GatherND or OpTypes.Einsum:
                return null;
            case OpTypes.Gather:
                return first + RankOf(node.Inputs[1]) - 1;
            case OpTypes.Split or OpTypes.Concat or OpTypes.Transpose or OpTypes.Slice or OpTypes.Pad or OpTypes.Tile
                or OpTypes.Resize or OpTypes.DepthToSpace or OpTypes.SpaceToDepth:
                return first;
            case OpTypes.NonZero or OpTypes.NonMaxSuppression:
                return outputIndex == 0 ? 2 : null;
            case OpTypes.Unique:
                return outputIndex == 0 && a.Has("axis") ? first : 1;
            case OpTypes.Compress:
                return a.Has("axis") ? first : 1;
            default:
                // Unary element-wise ops, activations, normalisation, convolution and pooling keep their input's rank.
                return outputIndex == 0 ? first : null;
        }
    }

    private int? MaxRank(IEnumerable<Value?> inputs)
    {
        int max = 0;
        foreach (var v in inputs)
        {
            if (v is null) continue;
            if (RankOf(v) is not { } r) return null;
            max = Math.Max(max, r);
        }
        return max;
    }

    private static int? MatMulRank(int? a, int? b) => (a, b) switch
    {
        (null, _) or (_, null) => null,
        (1, 1) => 0,
        (1, var rb) => rb - 1,
        (var ra, 1) => ra - 1,
        (var ra, var rb) => Math.Max(ra!.Value, rb!.Value),
    };

    // The rank a shape-valued input (Reshape's shape, ...) produces: its length, when that is known.
    private static int? ShapeLength(Value? shape)
    {
        if (shape?.Constant is { } c) return (int)c.ElementCount;
        return shape?.Shape is [var n] && n >= 0 ? (int)n : null;
    }
}
