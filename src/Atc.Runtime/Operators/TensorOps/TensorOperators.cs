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
    public static IEnumerable<IOperator> All() =>
    [
        new ReshapeOperator(),
        new FlattenOperator(),
        new SqueezeOperator(),
        new UnsqueezeOperator(),
        new TransposeOperator(),
        new ConcatOperator(),
        new SplitOperator(),
        new SliceOperator(),
        new StridedSliceOperator(),
        new PadOperator(),
        new GatherOperator(),
        new GatherElementsOperator(),
        new ScatterElementsOperator(),
        new GatherNDOperator(),
        new ScatterNDOperator(),
        new TriluOperator(),
        new EyeLikeOperator(),
        new OneHotOperator(),
        new WindowOperator(OpTypes.HannWindow),
        new WindowOperator(OpTypes.HammingWindow),
        new WindowOperator(OpTypes.BlackmanWindow),
        new ExpandOperator(),
        new TileOperator(),
        new DepthToSpaceOperator(OpTypes.DepthToSpace),
        new DepthToSpaceOperator(OpTypes.SpaceToDepth),
        new ResizeOperator(),
        new ShapeOperator(),
        new SizeOperator(),
        new ConstantOfShapeOperator(),
        new RangeOperator(),
        new GridSampleOperator(),
        new ReverseSequenceOperator(),
        new Text.TfIdfVectorizerOperator(),
        new Signal.DftOperator(),
        new Signal.StftOperator(),
        new Signal.MelWeightMatrixOperator(),
        new NonZeroOperator(),
        new NonMaxSuppressionOperator(),
        new UniqueOperator(),
        new CompressOperator(),
    ];
}
