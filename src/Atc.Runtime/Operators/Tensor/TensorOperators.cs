using Atc.Runtime.Operators.DataDependent;
using Atc.Runtime.Operators.TensorOps;

namespace Atc.Runtime.Operators;

internal static partial class OperatorCatalog
{
    private static partial IEnumerable<IOperator> TensorOperators() =>
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
        new NonZeroOperator(),
        new NonMaxSuppressionOperator(),
        new UniqueOperator(),
        new CompressOperator(),
    ];
}
