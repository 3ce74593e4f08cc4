using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.Reduction;

/// <summary>A tensor viewed as [outer, length, inner] around one axis, for ops that scan along an axis.</summary>
internal readonly record struct AxisLayout(long Outer, int Length, long Inner)
{
    public static AxisLayout Around(int[] dims, int axis) =>
        new(Shape.ElementCount(dims.AsSpan(0, axis)), dims[axis], Shape.ElementCount(dims.AsSpan(axis + 1)));

    /// <summary>ONNX's pre-13 coercion to 2-D: [prod(dims[:axis]), prod(dims[axis:])], scanned along the second.</summary>
    public static AxisLayout Flattened(int[] dims, int axis) =>
        new(Shape.ElementCount(dims.AsSpan(0, axis)), checked((int)Shape.ElementCount(dims.AsSpan(axis))), 1);

    /// <summary>Resolves a possibly negative axis; null when it is out of range.</summary>
    public static int? Resolve(long axis, int rank) => axis >= -rank && axis < rank ? (int)(axis < 0 ? axis + rank : axis) : null;
}
