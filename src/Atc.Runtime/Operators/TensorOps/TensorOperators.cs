using Atc.Runtime.Operators.DataDependent;
using Atc.Runtime.Operators.TensorOps.Broadcast;
using Atc.Runtime.Operators.TensorOps.Concat;
using Atc.Runtime.Operators.TensorOps.Gather;
using Atc.Runtime.Operators.TensorOps.Generate;
using Atc.Runtime.Operators.TensorOps.Indexing;
using Atc.Runtime.Operators.TensorOps.Pad;
using Atc.Runtime.Operators.TensorOps.Resize;
using Atc.Runtime.Operators.TensorOps.ShapeOps;
using Atc.Runtime.Operators.TensorOps.Shaping;
using Atc.Runtime.Operators.TensorOps.Slice;
using Atc.Runtime.Operators.TensorOps.Transpose;

namespace Atc.Runtime.Operators.TensorOps;

/// <summary>The operators of this family, registered by <see cref="OperatorCatalog"/>.</summary>
internal static class TensorOperators
{
    public static IEnumerable<OperatorEntry> Entries() =>
    [
        new(OpTypes.Reshape, static _ => new ReshapeOperator()),
        new(OpTypes.Flatten, static _ => new FlattenOperator()),
        new(OpTypes.Squeeze, static _ => new SqueezeOperator()),
        new(OpTypes.Unsqueeze, static _ => new UnsqueezeOperator()),
        new(OpTypes.Transpose, static _ => new TransposeOperator()),
        new(OpTypes.Concat, static _ => new ConcatOperator()),
        new(OpTypes.Split, static _ => new SplitOperator()),
        new(OpTypes.Slice, static _ => new SliceOperator()),
        new(OpTypes.StridedSlice, static _ => new StridedSliceOperator()),
        new(OpTypes.Pad, static _ => new PadOperator()),
        new(OpTypes.Gather, static _ => new GatherOperator()),
        new(OpTypes.GatherElements, static _ => new GatherElementsOperator()),
        new(OpTypes.ScatterElements, static _ => new ScatterElementsOperator()),
        new(OpTypes.GatherND, static _ => new GatherNDOperator()),
        new(OpTypes.ScatterND, static _ => new ScatterNDOperator()),
        new(OpTypes.Trilu, static _ => new TriluOperator()),
        new(OpTypes.EyeLike, static _ => new EyeLikeOperator()),
        new(OpTypes.OneHot, static _ => new OneHotOperator()),
        new(OpTypes.HannWindow, static t => new WindowOperator(t)),
        new(OpTypes.HammingWindow, static t => new WindowOperator(t)),
        new(OpTypes.BlackmanWindow, static t => new WindowOperator(t)),
        new(OpTypes.Expand, static _ => new ExpandOperator()),
        new(OpTypes.Tile, static _ => new TileOperator()),
        new(OpTypes.DepthToSpace, static t => new DepthToSpaceOperator(t)),
        new(OpTypes.SpaceToDepth, static t => new DepthToSpaceOperator(t)),
        new(OpTypes.Resize, static _ => new ResizeOperator()),
        new(OpTypes.Shape, static _ => new ShapeOperator()),
        new(OpTypes.Size, static _ => new SizeOperator()),
        new(OpTypes.ConstantOfShape, static _ => new ConstantOfShapeOperator()),
        new(OpTypes.Range, static _ => new RangeOperator()),
        new(OpTypes.GridSample, static _ => new GridSampleOperator()),
        new(OpTypes.ReverseSequence, static _ => new ReverseSequenceOperator()),
        new(OpTypes.TfIdfVectorizer, static _ => new Text.TfIdfVectorizerOperator()),
        new(OpTypes.Dft, static _ => new Signal.DftOperator()),
        new(OpTypes.Stft, static _ => new Signal.StftOperator()),
        new(OpTypes.MelWeightMatrix, static _ => new Signal.MelWeightMatrixOperator()),
        new(OpTypes.NonZero, static _ => new NonZeroOperator()),
        new(OpTypes.NonMaxSuppression, static _ => new NonMaxSuppressionOperator()),
        new(OpTypes.Unique, static _ => new UniqueOperator()),
        new(OpTypes.Compress, static _ => new CompressOperator()),
    ];
}
