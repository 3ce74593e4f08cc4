using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>
/// Block rearrangements: DepthToSpace / SpaceToDepth (canonical ops) and SpaceToBatchND / BatchToSpaceND, which have
/// no canonical op and become Pad, Reshape, Transpose, Reshape (and Slice for crops) with shape operands computed from
/// Shape, so that the planner folds them per gear. The atrous pattern SpaceToBatchND → conv → BatchToSpaceND is folded
/// into one dilated conv (<see cref="AtrousConvFolding"/>).
/// </summary>
internal static class BlockLowerings
{
    public static void Register(Dictionary<string, TfLowering> table)
    {
        table["DepthToSpace"] = (c, n) => DepthSpace(c, n, OpTypes.DepthToSpace);
        table["SpaceToDepth"] = (c, n) => DepthSpace(c, n, OpTypes.SpaceToDepth);
        table["SpaceToBatchND"] = SpaceToBatch;
        table["BatchToSpaceND"] = BatchToSpace;
        // The v1 ops: 4-D NHWC, block_size attribute for both spatial dims, paddings / crops as input 1.
        table["SpaceToBatch"] = SpaceToBatch;
        table["BatchToSpace"] = BatchToSpace;
    }

    /// <summary>TensorFlow orders the moved channels (block row, block column, channel) in both data formats: DCR.</summary>
    private static void DepthSpace(TfLoweringContext c, TfNode node, string opType)
    {
        c.RequireInputs(node, 1);
        var format = TfDataFormat.Of(node);
        long block = node.GetInt("block_size", 0);
        if (block < 2)
            throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] (" + node.Op + ") has block_size "
                + block + ", expected at least 2"));
        var x = c.Input(node, 0);
        c.Emit(node, opType, [x], x.Type, new OpAttributes().Set("blocksize", block).Set("mode", "DCR").Set("layout", format.Layout));
    }

    /// <summary>The constant block_shape [M] and the [M, 2] pairs operand (paddings or crops) of a block op: its
    /// begin and end values when constant, null when computed (e.g. from Shape, folded per gear).</summary>
    internal static (long[] Block, long[]? Begin, long[]? End) ReadBlockOperands(TfLoweringContext c, TfNode node, string pairsRole)
    {
        bool v1 = IsV1(node);
        c.RequireInputs(node, v1 ? 2 : 3);
        var block = v1 ? V1Block(c, node) : c.ConstInts(node, 1, "block_shape");
        int m = block.Length;
        // The product bound keeps the batch arithmetic (B·∏b) far from overflow; no real block comes near it.
        if (m < 1 || block.Any(b => b < 1 || b > int.MaxValue) || block.Aggregate(1.0, (p, b) => p * b) > int.MaxValue)
            throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] (" + node.Op + ") has block_shape ["
                + string.Join(",", block) + "], expected one or more positive values whose product is below 2^31"));
        if (c.Input(node, PairsInput(node)).Constant is not { } pairsValue) return (block, null, null);
        var pairs = pairsValue.ToInt64Array();
        if (pairsValue.Rank != 2 || pairsValue.Dims[0] != m || pairsValue.Dims[1] != 2 || pairs.Any(p => p < 0))
            throw new AtcException(AtcErrors.InvalidModel("the " + pairsRole + " of node [" + node.Name + "] (" + node.Op
                + ") have shape " + Shape.Format(pairsValue.Dims) + " and values [" + string.Join(",", pairs) + "], expected ["
                + m + ", 2] non-negative (begin, end) pairs, one per block dimension"));
        var begin = new long[m];
        var end = new long[m];
        for (int i = 0; i < m; i++) { begin[i] = pairs[2 * i]; end[i] = pairs[2 * i + 1]; }
        return (block, begin, end);
    }

    private static bool IsV1(TfNode node) => node.Op is "SpaceToBatch" or "BatchToSpace";

    /// <summary>Where the [M, 2] paddings or crops are: input 2 of the ND ops, input 1 of the v1 ops.</summary>
    internal static int PairsInput(TfNode node) => IsV1(node) ? 1 : 2;

    /// <summary>The v1 ops' block_size attribute (at least 2) as a block over height and width of a 4-D input.</summary>
    private static long[] V1Block(TfLoweringContext c, TfNode node)
    {
        long size = node.GetInt("block_size", 0);
        if (size < 2)
            throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] (" + node.Op + ") has block_size "
                + size + ", expected at least 2"));
        if (c.Input(node, 0).Shape is { } shape && shape.Length != 4)
            throw new AtcException(AtcErrors.InvalidModel("the input of node [" + node.Name + "] (" + node.Op + ") has shape "
                + Shape.Format(shape) + ", expected 4 dimensions [batch, height, width, depth]"));
        return [size, size];
    }

    /// <summary>
    /// SpaceToBatchND(x [B, s1..sM, rest], block [M], paddings [M, 2]) → [B·∏b, (s1+p1)/b1, ..., rest]: pad, view as
    /// [B, q1, b1, ..., qM, bM, R], move the block axes in front of the batch, merge them into it.
    /// </summary>
    private static void SpaceToBatch(TfLoweringContext c, TfNode node)
    {
        var (block, begin, end) = ReadBlockOperands(c, node, "paddings");
        int m = block.Length;
        var x = c.Input(node, 0);
        if (begin is not null && end is not null) CheckStaticDivisible(node, x, block, begin, end);

        var inputShape = ShapeOf(c, node, x, "input_shape");
        var flat = FlattenTrailing(c, node, x, inputShape, m);
        var padded = c.EmitHelper(node, "pad", OpTypes.Pad, [flat, FlatPads(c, node, m, begin, end)], x.Type,
            new OpAttributes().Set("mode", "constant"));

        // [B, q1..qM, R] then [B, q1..qM, R, b1..bM] gathered into [B, q1, b1, ..., qM, bM, R].
        var paddedShape = c.EmitHelper(node, "padded_shape", OpTypes.Shape, [padded], DataType.Int64);
        var quotients = c.EmitHelper(node, "quotients", OpTypes.Div, [paddedShape, c.Int64Constant(node, "block_divisor", [1, .. block, 1])], DataType.Int64);
        var withBlocks = Concat(c, node, "with_blocks", [quotients, c.Int64Constant(node, "blocks", block)]);
        var interleave = new List<long> { 0 };
        for (int i = 0; i < m; i++) { interleave.Add(1 + i); interleave.Add(m + 2 + i); }
        interleave.Add(m + 1);
        var splitShape = c.EmitHelper(node, "split_shape", OpTypes.Gather, [withBlocks, c.Int64Constant(node, "interleave", [.. interleave])], DataType.Int64);
        var split = Reshape(c, node, "split", padded, splitShape);

        var perm = new List<long>();
        for (int i = 0; i < m; i++) perm.Add(2 + 2 * i);
        perm.Add(0);
        for (int i = 0; i < m; i++) perm.Add(1 + 2 * i);
        perm.Add(2 * m + 1);
        var moved = c.EmitHelper(node, "move_blocks", OpTypes.Transpose, [split], x.Type, new OpAttributes().Set("perm", perm.ToArray()));

        long product = block.Aggregate(1L, (p, b) => p * b);
        var head = Slice(c, node, "head", quotients, 0, m + 1);
        var batchMerged = c.EmitHelper(node, "merged_head", OpTypes.Mul, [head, c.Int64Constant(node, "batch_factor", [product, .. Enumerable.Repeat(1L, m)])], DataType.Int64);
        var outputShape = Concat(c, node, "output_shape", [batchMerged, Slice(c, node, "rest", inputShape, m + 1, long.MaxValue)]);
        c.Emit(node, OpTypes.Reshape, [moved, outputShape], x.Type, new OpAttributes().Set("allowzero", 1L));
    }

    /// <summary>
    /// BatchToSpaceND(x [B·∏b, q1..qM, rest], block [M], crops [M, 2]) → [B, q1·b1 - crops, ..., rest]: view as
    /// [b1..bM, B, q1..qM, R], interleave to [B, q1, b1, ..., R], merge, crop.
    /// </summary>
    private static void BatchToSpace(TfLoweringContext c, TfNode node)
    {
        var (block, begin, end) = ReadBlockOperands(c, node, "crops");
        // Read first: an input from a node that failed to lower stops here, before the folding looks past it.
        var x = c.Input(node, 0);
        if (AtrousConvFolding.TryFold(c, node, block, begin, end)) return;

        int m = block.Length;
        long product = block.Aggregate(1L, (p, b) => p * b);
        if (x.Shape is { Length: > 0 } known && known[0] >= 0 && known[0] % product != 0)
            throw new AtcException(AtcErrors.InvalidModel("the input of node [" + node.Name + "] (BatchToSpaceND) has batch "
                + known[0] + ", which is not divisible by the block size product " + product));

        var inputShape = ShapeOf(c, node, x, "input_shape");
        var flat = FlattenTrailing(c, node, x, inputShape, m);
        var flatShape = c.EmitHelper(node, "flat_shape", OpTypes.Shape, [flat], DataType.Int64);
        var batchDivisor = c.Int64Constant(node, "batch_divisor", [product, .. Enumerable.Repeat(1L, m + 1)]);
        var perBatch = c.EmitHelper(node, "per_batch", OpTypes.Div, [flatShape, batchDivisor], DataType.Int64);
        // [B, q1..qM, R, b1..bM] gathered into [b1..bM, B, q1..qM, R].
        var withBlocks = Concat(c, node, "with_blocks", [perBatch, c.Int64Constant(node, "blocks", block)]);
        var order = new List<long>();
        for (int i = 0; i < m; i++) order.Add(m + 2 + i);
        for (int i = 0; i <= m + 1; i++) order.Add(i);
        var splitShape = c.EmitHelper(node, "split_shape", OpTypes.Gather, [withBlocks, c.Int64Constant(node, "order", [.. order])], DataType.Int64);
        var split = Reshape(c, node, "split", flat, splitShape);

        var perm = new List<long> { m };
        for (int i = 0; i < m; i++) { perm.Add(m + 1 + i); perm.Add(i); }
        perm.Add(2 * m + 1);
        var moved = c.EmitHelper(node, "move_blocks", OpTypes.Transpose, [split], x.Type, new OpAttributes().Set("perm", perm.ToArray()));

        var head = Slice(c, node, "head", perBatch, 0, m + 1);
        var spatial = c.EmitHelper(node, "spatial", OpTypes.Mul, [head, c.Int64Constant(node, "block_factor", [1, .. block])], DataType.Int64);
        var outputShape = Concat(c, node, "output_shape", [spatial, Slice(c, node, "rest", inputShape, m + 1, long.MaxValue)]);
        if (begin is not null && end is not null && begin.All(b => b == 0) && end.All(e => e == 0))
        {
            c.Emit(node, OpTypes.Reshape, [moved, outputShape], x.Type, new OpAttributes().Set("allowzero", 1L));
            return;
        }
        var uncropped = c.EmitHelper(node, "uncropped", OpTypes.Reshape, [moved, outputShape], x.Type, new OpAttributes().Set("allowzero", 1L));
        Value starts, ends;
        if (begin is not null && end is not null)
        {
            starts = c.Int64Constant(node, "crop_begin", begin);
            // A crop at the end is a negative end (counted from the axis' size); none is "to the end".
            ends = c.Int64Constant(node, "crop_end", [.. end.Select(e => e == 0 ? long.MaxValue : -e)]);
        }
        else
        {
            var crops = c.AsInt64(node, c.Input(node, PairsInput(node)));
            starts = CropColumn(c, node, crops, m, 0);
            ends = c.EmitHelper(node, "crop_end", OpTypes.Sub, [Slice(c, node, "uncropped_spatial", outputShape, 1, m + 1), CropColumn(c, node, crops, m, 1)], DataType.Int64);
        }
        var axes = Enumerable.Range(1, m).Select(a => (long)a).ToArray();
        c.Emit(node, OpTypes.Slice, [uncropped, starts, ends, c.Int64Constant(node, "crop_axes", axes)], x.Type);
    }

    /// <summary>Canonical pads for the [B, s1..sM, R] view: [0, begins, 0, 0, ends, 0]. Computed paddings [M, 2] are
    /// transposed to [2, M], framed by a zero column on each side and flattened, which gives the same order.</summary>
    private static Value FlatPads(TfLoweringContext c, TfNode node, int m, long[]? begin, long[]? end)
    {
        if (begin is not null && end is not null)
        {
            var pads = new long[2 * (m + 2)];
            for (int i = 0; i < m; i++) { pads[1 + i] = begin[i]; pads[m + 2 + 1 + i] = end[i]; }
            return c.Int64Constant(node, "pads", pads);
        }
        var pairs = c.AsInt64(node, c.Input(node, PairsInput(node)));
        var rows = c.EmitHelper(node, "paddings_by_side", OpTypes.Transpose, [pairs], DataType.Int64, new OpAttributes().Set("perm", new long[] { 1, 0 }));
        var framed = c.EmitHelper(node, "paddings_framed", OpTypes.Pad, [rows, c.Int64Constant(node, "frame", [0, 1, 0, 1])], DataType.Int64,
            new OpAttributes().Set("mode", "constant"));
        return c.EmitHelper(node, "pads", OpTypes.Reshape, [framed, c.Int64Constant(node, "pads_shape", [-1])], DataType.Int64,
            new OpAttributes().Set("allowzero", 1L));
    }

    /// <summary>Column <paramref name="column"/> (0 = begin, 1 = end) of computed [M, 2] crops, as [M].</summary>
    private static Value CropColumn(TfLoweringContext c, TfNode node, Value crops, int m, int column)
    {
        string purpose = column == 0 ? "crop_begin" : "crop_end_amount";
        var slice = c.EmitHelper(node, purpose + "_column", OpTypes.Slice, [crops, c.Int64Constant(node, purpose + "_start", [0, column]),
            c.Int64Constant(node, purpose + "_stop", [m, column + 1])], DataType.Int64);
        return c.EmitHelper(node, purpose, OpTypes.Reshape, [slice, c.Int64Constant(node, purpose + "_shape", [m])], DataType.Int64,
            new OpAttributes().Set("allowzero", 1L));
    }

    /// <summary>When the padded block dims are known at import, TensorFlow's divisibility rule is checked here.</summary>
    private static void CheckStaticDivisible(TfNode node, Value x, long[] block, long[] begin, long[] end)
    {
        if (x.Shape is not { } shape) return;
        if (shape.Length < block.Length + 1)
            throw new AtcException(AtcErrors.InvalidModel("the input of node [" + node.Name + "] (" + node.Op + ") has shape "
                + Shape.Format(shape) + ", expected at least " + (block.Length + 1) + " dimensions for block_shape of " + block.Length));
        for (int i = 0; i < block.Length; i++)
        {
            long size = shape[1 + i];
            if (size >= 0 && (size + begin[i] + end[i]) % block[i] != 0)
                throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] (" + node.Op + ") pads dimension " + (1 + i)
                    + " of size " + size + " by " + begin[i] + "+" + end[i] + " to " + (size + begin[i] + end[i])
                    + ", which is not divisible by its block size " + block[i] + "; fix the paddings"));
        }
    }

    private static Value ShapeOf(TfLoweringContext c, TfNode node, Value x, string purpose)
        => c.EmitHelper(node, purpose, OpTypes.Shape, [x], DataType.Int64);

    /// <summary>[B, s1..sM, rest...] viewed as [B, s1..sM, R] so that the rearrangement works at a known rank.</summary>
    private static Value FlattenTrailing(TfLoweringContext c, TfNode node, Value x, Value inputShape, int m)
    {
        var head = Slice(c, node, "leading", inputShape, 0, m + 1);
        var shape = Concat(c, node, "flat_shape_spec", [head, c.Int64Constant(node, "rest_merged", [-1])]);
        return c.EmitHelper(node, "flat", OpTypes.Reshape, [x, shape], x.Type, new OpAttributes().Set("allowzero", 0L));
    }

    private static Value Slice(TfLoweringContext c, TfNode node, string purpose, Value vector, long start, long end)
        => c.EmitHelper(node, purpose, OpTypes.Slice,
            [vector, c.Int64Constant(node, purpose + "_start", [start]), c.Int64Constant(node, purpose + "_end", [end])], DataType.Int64);

    private static Value Concat(TfLoweringContext c, TfNode node, string purpose, IEnumerable<Value> parts)
        => c.EmitHelper(node, purpose, OpTypes.Concat, parts, DataType.Int64, new OpAttributes().Set("axis", 0L));

    private static Value Reshape(TfLoweringContext c, TfNode node, string purpose, Value x, Value shape)
        => c.EmitHelper(node, purpose, OpTypes.Reshape, [x, shape], x.Type, new OpAttributes().Set("allowzero", 1L));
}
