using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.TensorOps.Indexing;

/// <summary>
/// Addressing for GatherND and ScatterND: the last axis of indices holds tuples of <see cref="TupleLength"/>
/// coordinates into the leading axes of data (after <see cref="BatchDims"/> shared batch axes); each tuple names a
/// slice of the remaining data axes, <see cref="SliceSize"/> elements long.
/// </summary>
internal sealed class TupleAddressing
{
    private readonly int[] _indexedDims;
    private readonly long[] _indexedStrides;

    public TupleAddressing(string opType, int[] dataDims, int[] indexDims, int batchDims)
    {
        OpType = opType;
        if (indexDims.Length < 1) throw new ShapeException($"{opType}: indices must have rank ≥ 1, got a scalar");
        if (batchDims < 0 || batchDims >= Math.Min(dataDims.Length, indexDims.Length))
            throw new ShapeException($"{opType}: batch_dims {batchDims} must be below the ranks of data {Shape.Format(dataDims)} and indices {Shape.Format(indexDims)}");
        for (int d = 0; d < batchDims; d++)
            if (dataDims[d] != indexDims[d])
                throw new ShapeException($"{opType}: batch axis {d} differs: data {Shape.Format(dataDims)}, indices {Shape.Format(indexDims)}");
        TupleLength = indexDims[^1];
        if (TupleLength < 1 || TupleLength > dataDims.Length - batchDims)
            throw new ShapeException($"{opType}: the last axis of indices {Shape.Format(indexDims)} must be 1 to {dataDims.Length - batchDims} (data {Shape.Format(dataDims)}, batch_dims {batchDims})");
        BatchDims = batchDims;
        Batches = Shape.ElementCount(dataDims.AsSpan(0, batchDims));
        TuplesPerBatch = Shape.ElementCount(indexDims.AsSpan(batchDims, indexDims.Length - 1 - batchDims));
        SliceSize = Shape.ElementCount(dataDims.AsSpan(batchDims + TupleLength));
        BatchSize = Shape.ElementCount(dataDims.AsSpan(batchDims));
        _indexedDims = dataDims[batchDims..(batchDims + TupleLength)];
        _indexedStrides = [.. Enumerable.Range(0, TupleLength).Select(k => Shape.ElementCount(dataDims.AsSpan(batchDims + k + 1)))];
        SliceDims = dataDims[(batchDims + TupleLength)..];
        TupleDims = indexDims[..^1];
    }

    public string OpType { get; }
    public int BatchDims { get; }
    public int TupleLength { get; }
    public long Batches { get; }
    public long TuplesPerBatch { get; }
    public long SliceSize { get; }
    /// <summary>Elements of data per batch.</summary>
    public long BatchSize { get; }
    /// <summary>Dims of the slice one tuple names (data's trailing axes).</summary>
    public int[] SliceDims { get; }
    /// <summary>Dims of indices without its tuple axis.</summary>
    public int[] TupleDims { get; }

    /// <summary>The data offset (within its batch) of the slice named by tuple <paramref name="t"/> of the indices.</summary>
    public unsafe long SliceOffset(void* indices, bool int64, long t)
    {
        long offset = 0;
        for (int k = 0; k < TupleLength; k++)
        {
            long index = IndexValues.Resolve(OpType, IndexValues.Read(indices, int64, t * TupleLength + k), _indexedDims[k]);
            offset += index * _indexedStrides[k];
        }
        return offset;
    }
}
