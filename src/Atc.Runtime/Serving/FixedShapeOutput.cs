using System.Buffers;
using Atc.Runtime.Core;

namespace Atc.Runtime.Serving;

/// <summary>
/// The shape check of a destination the caller pinned itself (a <c>TensorSpan</c>): only its lengths take part;
/// the pinned address travels in the <see cref="PinnedBinding"/>.
/// </summary>
internal sealed class FixedShapeOutput(int[] dims) : OutputBinding(0)
{
    internal override DataType? ElementType => null;
    internal override string ClrTypeName => "";
    internal override MemoryHandle Pin() => default;

    internal override string? ShapeMismatch(int[] outputShape)
        => dims.AsSpan().SequenceEqual(outputShape) ? null
            : $"the destination tensor span has lengths {Atc.Runtime.Core.Shape.Format(dims)}; give it the output's shape {Atc.Runtime.Core.Shape.Format(outputShape)}";
}
