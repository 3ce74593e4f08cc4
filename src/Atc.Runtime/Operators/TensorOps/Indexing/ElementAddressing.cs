using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.TensorOps.Indexing;

/// <summary>
/// Addressing for GatherElements and ScatterElements: element i of the indices tensor (same rank as data) names
/// the data element with i's coordinates on every axis but <see cref="Axis"/>, where the index value is used.
/// </summary>
internal sealed class ElementAddressing
{
    private readonly int[] _indexDims;
    private readonly long[] _dataStrides;

    public ElementAddressing(int[] dataDims, int[] indexDims, int axis)
    {
        _indexDims = indexDims;
        Axis = axis;
        AxisSize = dataDims[axis];
        AxisStride = Shape.ElementCount(dataDims.AsSpan(axis + 1));
        _dataStrides = [.. Shape.Strides(dataDims).Select(s => (long)s)];
    }

    public int Axis { get; }
    public int AxisSize { get; }
    public long AxisStride { get; }

    /// <summary>The data offset of index element <paramref name="i"/> with its axis coordinate set to 0.</summary>
    public long BaseOffset(long i)
    {
        long offset = 0;
        for (int d = _indexDims.Length - 1; d >= 0; d--)
        {
            long coordinate = i % _indexDims[d];
            i /= _indexDims[d];
            if (d != Axis) offset += coordinate * _dataStrides[d];
        }
        return offset;
    }

    /// <summary>Checks the shapes GatherElements and ScatterElements share: same rank, and the indices no larger than
    /// data on the axes that are not indexed.</summary>
    public static void CheckShapes(string opType, int[] dataDims, int[] indexDims, int axis)
    {
        if (indexDims.Length != dataDims.Length)
            throw new ShapeException($"{opType}: indices {Shape.Format(indexDims)} must have the rank of data {Shape.Format(dataDims)}");
        for (int d = 0; d < dataDims.Length; d++)
            if (d != axis && indexDims[d] > dataDims[d])
                throw new ShapeException($"{opType}: indices {Shape.Format(indexDims)} exceed data {Shape.Format(dataDims)} on axis {d}");
    }
}
