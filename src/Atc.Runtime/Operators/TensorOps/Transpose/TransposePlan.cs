using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Transpose;

/// <summary>
/// A permutation of a tensor's axes, collapsed for copying: size-1 axes are dropped and axes that stay neighbours
/// in the same order are merged. NCHW↔NHWC becomes a batched 2-D transpose [N, C, HW] ↔ [N, HW, C]. When the
/// innermost input axis stays innermost, rows are copied whole; otherwise the copy goes through square tiles so
/// both the reads and the writes stay within a few cache lines.
/// </summary>
internal sealed class TransposePlan
{
    private const int Tile = 16;

    /// <summary>Values of the input's innermost axis one work item covers: [16, 16384] → [16384, 16] (a decoder's
    /// NCHW → NHWC) is one strip of Y, so X is split too, or it would be one task.</summary>
    private const int XBlock = 64 * Tile;

    private static int BlocksOf(int dx) => (dx + XBlock - 1) / XBlock;

    private readonly int[] _dims;     // collapsed input dims
    private readonly int[] _perm;     // collapsed permutation: output axis i is input axis _perm[i]
    private readonly long[] _inStrides;
    private readonly long[] _outStrides;

    public long Count { get; }
    /// <summary>The permutation does not move any element: a plain copy.</summary>
    public bool IsCopy => _dims.Length <= 1;

    private TransposePlan(int[] dims, int[] perm, long count)
    {
        _dims = dims;
        _perm = perm;
        Count = count;
        int rank = dims.Length;
        _inStrides = new long[rank];
        _outStrides = new long[rank];
        long acc = 1;
        for (int d = rank - 1; d >= 0; d--) { _inStrides[d] = acc; acc *= dims[d]; }
        acc = 1;
        for (int i = rank - 1; i >= 0; i--) { _outStrides[i] = acc; acc *= dims[perm[i]]; }
    }

    /// <summary>Plans output = transpose(input, perm); perm must be a valid permutation of the input's axes.</summary>
    public static TransposePlan Create(int[] inputDims, ReadOnlySpan<int> perm)
    {
        long count = Shape.ElementCount(inputDims);
        // Groups of input axes in output order; a group is a run of consecutive input axes (size-1 axes skipped).
        var groups = new List<List<int>>();
        foreach (int axis in perm)
        {
            if (inputDims[axis] == 1) continue;
            if (groups.Count > 0 && IsOnlyOnesBetween(inputDims, groups[^1][^1], axis)) groups[^1].Add(axis);
            else groups.Add([axis]);
        }
        var byInputOrder = groups.OrderBy(g => g[0]).ToList();
        var dims = byInputOrder.Select(g => g.Aggregate(1, (p, a) => p * inputDims[a])).ToArray();
        var collapsedPerm = groups.Select(g => byInputOrder.IndexOf(g)).ToArray();
        bool identity = collapsedPerm.Select((p, i) => p == i).All(x => x);
        if (identity || count == 0) return new TransposePlan([(int)Math.Min(count, int.MaxValue)], [0], count);
        return new TransposePlan(dims, collapsedPerm, count);
    }

    /// <summary>Axes a and b (a &lt; b) are adjacent once size-1 axes are ignored.</summary>
    private static bool IsOnlyOnesBetween(ReadOnlySpan<int> dims, int a, int b)
    {
        if (b <= a) return false;
        for (int i = a + 1; i < b; i++) if (dims[i] != 1) return false;
        return true;
    }

    public unsafe void Execute<T>(T* source, T* destination, IWorkerPool workers) where T : unmanaged
    {
        if (Count == 0) return;
        if (IsCopy)
        {
            long bytes = Count * sizeof(T);
            if (source != destination) Buffer.MemoryCopy(source, destination, bytes, bytes);
            return;
        }
        int rank = _dims.Length;
        if (sizeof(T) == sizeof(float) && IsFewPlanesToInterleaved)
        {
            var planes = new InterleaveBody(_dims[rank - 2], _dims[rank - 1], (float*)source, (float*)destination);
            ParallelRange.For(workers, Count / _dims[rank - 2], _dims[rank - 2], ref planes);
            return;
        }
        if (_perm[rank - 1] == rank - 1)
        {
            var rows = new RowBody<T>(this, source, destination);
            ParallelRange.For(workers, Count / _dims[rank - 1], _dims[rank - 1], ref rows);
        }
        else
        {
            int y = _perm[rank - 1], dx = _dims[rank - 1];
            long strips = (Count / ((long)_dims[y] * dx)) * ((_dims[y] + Tile - 1) / Tile) * BlocksOf(dx);
            var tiles = new TileBody<T>(this, source, destination);
            ParallelRange.For(workers, strips, (long)Tile * Math.Min(dx, XBlock), ref tiles);
        }
    }

    /// <summary>[N, C, P] → [N, P, C] (or without N) with C ≤ <see cref="InterleavePlanes.MaxPlanes"/>: an RGB image to channels-last.</summary>
    private bool IsFewPlanesToInterleaved
    {
        get
        {
            int rank = _dims.Length;
            return rank is 2 or 3 && _perm[rank - 1] == rank - 2 && _perm[rank - 2] == rank - 1
                && _dims[rank - 2] <= InterleavePlanes.MaxPlanes;
        }
    }

    /// <summary>Work item = one output pixel (C values) of one image.</summary>
    private readonly unsafe struct InterleaveBody(int planes, int pixels, float* source, float* destination) : IRangeBody
    {
        public void Run(long start, long end)
        {
            long imageFloats = (long)planes * pixels;
            while (start < end)
            {
                long image = start / pixels, p0 = start % pixels, p1 = Math.Min(pixels, p0 + (end - start));
                float* src = source + image * imageFloats, dst = destination + image * imageFloats;
                InterleavePlanes.Run(src, pixels, dst, planes, p0, p1);
                start += p1 - p0;
            }
        }
    }

    /// <summary>The innermost input axis stays innermost: copy whole rows.</summary>
    private readonly unsafe struct RowBody<T>(TransposePlan plan, T* source, T* destination) : IRangeBody where T : unmanaged
    {
        public void Run(long start, long end)
        {
            int rank = plan._dims.Length, inner = plan._dims[rank - 1];
            Span<int> index = stackalloc int[rank - 1];
            long offset = 0;
            long row = start;
            for (int i = rank - 2; i >= 0; i--)
            {
                int extent = plan._dims[plan._perm[i]];
                index[i] = (int)(row % extent);
                row /= extent;
                offset += index[i] * plan._inStrides[plan._perm[i]];
            }
            for (long r = start; r < end; r++)
            {
                new ReadOnlySpan<T>(source + offset, inner).CopyTo(new Span<T>(destination + r * inner, inner));
                for (int i = rank - 2; i >= 0; i--)
                {
                    int axis = plan._perm[i];
                    offset += plan._inStrides[axis];
                    if (++index[i] < plan._dims[axis]) break;
                    index[i] = 0;
                    offset -= plan._inStrides[axis] * plan._dims[axis];
                }
            }
        }
    }

    /// <summary>
    /// X = the innermost input axis (at output position k), Y = the input axis that becomes innermost in the output.
    /// Work item = one strip of up to Tile values of Y for one position of the other axes, across one block of up to
    /// <see cref="XBlock"/> values of X.
    /// </summary>
    private readonly unsafe struct TileBody<T>(TransposePlan plan, T* source, T* destination) : IRangeBody where T : unmanaged
    {
        public void Run(long start, long end)
        {
            int rank = plan._dims.Length;
            int xAxis = rank - 1, yAxis = plan._perm[rank - 1];
            int k = Array.IndexOf(plan._perm, xAxis);
            int dx = plan._dims[xAxis], dy = plan._dims[yAxis];
            long sy = plan._inStrides[yAxis], osk = plan._outStrides[k];
            int stripsPerPosition = (dy + Tile - 1) / Tile, xBlocks = BlocksOf(dx);
            for (long item = start; item < end; item++)
            {
                long strip = item / xBlocks;
                int xBegin = (int)(item % xBlocks) * XBlock, xEnd = Math.Min(dx, xBegin + XBlock);
                long position = strip / stripsPerPosition;
                int y0 = (int)(strip % stripsPerPosition) * Tile, y1 = Math.Min(dy, y0 + Tile);
                // Offsets of this position of the other axes (output positions other than k and rank-1).
                long ib = 0, ob = 0, rest = position;
                for (int i = rank - 2; i >= 0; i--)
                {
                    if (i == k) continue;
                    int axis = plan._perm[i];
                    int idx = (int)(rest % plan._dims[axis]);
                    rest /= plan._dims[axis];
                    ib += idx * plan._inStrides[axis];
                    ob += idx * plan._outStrides[i];
                }
                for (int x0 = xBegin; x0 < xEnd; x0 += Tile)
                {
                    int x1 = Math.Min(xEnd, x0 + Tile);
                    int x = x0;
                    if (sizeof(T) == 4 && Transpose8x8.IsSupported)
                    {
                        // Full 8×8 blocks through AVX; the ragged edges of the tile element by element.
                        for (; x + 8 <= x1; x += 8)
                        {
                            int y = y0;
                            for (; y + 8 <= y1; y += 8)
                                Transpose8x8.Run((float*)(source + ib + y * sy + x), sy, (float*)(destination + ob + x * osk + y), osk);
                            Copy(ib, ob, x, x + 8, y, y1, sy, osk);
                        }
                    }
                    Copy(ib, ob, x, x1, y0, y1, sy, osk);
                }
            }
        }

        private void Copy(long ib, long ob, int x0, int x1, int y0, int y1, long sy, long osk)
        {
            for (int x = x0; x < x1; x++)
            {
                T* src = source + ib + x;
                T* dst = destination + ob + x * osk;
                for (int y = y0; y < y1; y++) dst[y] = src[y * sy];
            }
        }
    }
}
