using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Attention for one (batch, head) and a block of query rows per task: the scores of at most
/// <see cref="RowBlockProduct.MaxRows"/> rows against one block of keys go to a stack buffer (a few KB, in L1),
/// are scaled, masked and exponentiated against the running row maximum, and multiplied into the output rows at
/// once; the output rows hold the unnormalised sum and are divided by the exponentials' sum at the end. With more
/// than <see cref="SingleBlockKeys"/> keys the keys go in blocks and earlier blocks are rescaled when the maximum
/// grows (flash-style), so the score matrix is never written whatever the sequence length.
/// </summary>
[SkipLocalsInit]
internal sealed unsafe class AttentionKernel : IKernel
{
    /// <summary>Up to this many keys are one block (the plain softmax); longer sequences go in blocks of <see cref="KeyBlock"/>.</summary>
    public const int SingleBlockKeys = 512;
    public const int KeyBlock = 256;
    /// <summary>Query rows per task: several row blocks reuse the key block from L1/L2.</summary>
    private const int RowsPerTask = 16;

    private readonly AttentionShape _shape;
    private readonly AttentionMask _mask;
    private readonly float _scale, _fill;
    private readonly Isa _isa;
    private readonly long[] _q, _k, _v, _m;     // per batch entry: element offset of its matrix (mask: of its first element)
    private readonly long _maskRowStride, _maskColumnStride;
    private readonly int _keyBlock, _rowTasks;

    public AttentionKernel(AttentionShape shape, OpContext context, AttentionMask mask, float scale, float fill, Isa isa)
    {
        _shape = shape;
        _mask = mask;
        _scale = scale;
        _fill = fill;
        _isa = isa;
        int rank = shape.BatchDims.Length;
        _q = MatrixOffsets(shape, context.Input(0).Dims, rank);
        _k = MatrixOffsets(shape, context.Input(1).Dims, rank);
        _v = MatrixOffsets(shape, context.Input(2).Dims, rank);
        if (mask != AttentionMask.None)
        {
            var dims = context.Input(3).Dims;
            int[] padded = [.. Enumerable.Repeat(1, rank + 2 - dims.Length), .. dims];
            _maskColumnStride = padded[^1] == 1 ? 0 : 1;
            _maskRowStride = padded[^2] == 1 ? 0 : padded[^1];
            _m = BroadcastOffsets(shape, padded[..^2], (long)padded[^2] * padded[^1]);
        }
        else
        {
            _m = [];
        }
        _keyBlock = shape.Keys <= SingleBlockKeys ? Math.Max(1, shape.Keys) : KeyBlock;
        _rowTasks = (shape.Queries + RowsPerTask - 1) / RowsPerTask;
    }

    public long ScratchBytes => 0;

    private static long[] MatrixOffsets(AttentionShape shape, int[] dims, int rank)
        => BroadcastOffsets(shape, [.. Enumerable.Repeat(1, rank + 2 - dims.Length), .. dims[..^2]], (long)dims[^2] * dims[^1]);

    /// <summary>For each output batch entry, the element offset of the input's matrix (0 steps along broadcast dims).</summary>
    private static long[] BroadcastOffsets(AttentionShape shape, int[] inputBatch, long matrix)
    {
        int rank = shape.BatchDims.Length;
        int[] dims = [.. Enumerable.Repeat(1, rank - inputBatch.Length), .. inputBatch[Math.Max(0, inputBatch.Length - rank)..]];
        long count = shape.BatchCount;
        var offsets = new long[count];
        var index = new int[rank];
        for (long i = 0; i < count; i++)
        {
            long linear = 0;
            for (int d = 0; d < rank; d++) linear = linear * dims[d] + (dims[d] == 1 ? 0 : index[d]);
            offsets[i] = linear * matrix;
            for (int d = rank - 1; d >= 0 && ++index[d] == shape.BatchDims[d]; d--) index[d] = 0;
        }
        return offsets;
    }

    public void Run(in KernelArgs args)
    {
        if (_shape.Queries == 0 || _shape.ValueDepth == 0 || _shape.BatchCount == 0) return;
        if (_shape.Keys == 0)
        {
            // No keys: the weighted sum over nothing is 0 (an empty MatMul), not the NaN an empty softmax sum gives.
            new Span<float>((void*)args.Outputs[0], checked((int)(_shape.BatchCount * _shape.Queries * _shape.ValueDepth))).Clear();
            return;
        }
        var body = new Body
        {
            Kernel = this,
            Q = (float*)args.Inputs[0],
            K = (float*)args.Inputs[1],
            V = (float*)args.Inputs[2],
            Mask = _mask == AttentionMask.None ? null : (byte*)args.Inputs[3],
            Y = (float*)args.Outputs[0],
        };
        args.Workers.For(checked((int)(_shape.BatchCount * _rowTasks)), ref body);
    }

    private struct Body : IParallelBody
    {
        public AttentionKernel Kernel;
        public float* Q, K, V, Y;
        public byte* Mask;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            int batch = index / k._rowTasks, first = index % k._rowTasks * RowsPerTask;
            int last = Math.Min(k._shape.Queries, first + RowsPerTask);
            float* scores = stackalloc float[RowBlockProduct.MaxRows * k._keyBlock];
            float* max = stackalloc float[RowBlockProduct.MaxRows];
            float* sum = stackalloc float[RowBlockProduct.MaxRows];
            for (int row = first; row < last; row += RowBlockProduct.MaxRows)
                k.RowBlock(this, batch, row, Math.Min(RowBlockProduct.MaxRows, last - row), scores, max, sum);
        }
    }

    private void RowBlock(in Body io, int batch, int row, int rows, float* scores, float* max, float* sum)
    {
        int d = _shape.Depth, sk = _shape.Keys, dv = _shape.ValueDepth;
        float* q = io.Q + _q[batch] + (long)row * d;
        float* kt = io.K + _k[batch];
        float* v = io.V + _v[batch];
        float* y = io.Y + ((long)batch * _shape.Queries + row) * dv;
        for (int r = 0; r < rows; r++)
        {
            max[r] = float.NegativeInfinity;
            sum[r] = 0f;
        }
        new Span<float>(y, rows * dv).Clear();
        for (int key = 0; key < sk; key += _keyBlock)
        {
            int keys = Math.Min(_keyBlock, sk - key);
            RowBlockProduct.Run(_isa, q, d, kt + key, sk, scores, _keyBlock, rows, d, keys, accumulate: false);
            for (int r = 0; r < rows; r++)
            {
                var s = new Span<float>(scores + (long)r * _keyBlock, keys);
                TensorPrimitives.Multiply(s, _scale, s);
                if (io.Mask != null) ApplyMask(io.Mask, batch, row + r, key, s);
                float blockMax = TensorPrimitives.Max(s);
                float newMax = MathF.Max(max[r], blockMax);
                if (float.IsNegativeInfinity(newMax))
                {
                    s.Clear();   // every key so far is masked out: this block adds nothing yet
                    continue;
                }
                if (newMax != max[r] && key > 0)
                {
                    // Earlier blocks were exponentiated against a smaller maximum: rescale what they added.
                    float factor = MathF.Exp(max[r] - newMax);
                    var yr = new Span<float>(y + (long)r * dv, dv);
                    TensorPrimitives.Multiply(yr, factor, yr);
                    sum[r] *= factor;
                }
                max[r] = newMax;
                TensorPrimitives.Subtract(s, newMax, s);
                TensorPrimitives.Exp(s, s);
                sum[r] += TensorPrimitives.Sum<float>(s);
            }
            RowBlockProduct.Run(_isa, scores, _keyBlock, v + (long)key * dv, dv, y, dv, rows, keys, dv, accumulate: true);
        }
        for (int r = 0; r < rows; r++)
        {
            // A row whose every key is masked out has sum 0: 0/0 gives NaN, as Softmax over -inf does.
            var yr = new Span<float>(y + (long)r * dv, dv);
            if (sum[r] == 0f) yr.Fill(float.NaN);
            else TensorPrimitives.Multiply(yr, 1f / sum[r], yr);
        }
    }

    private void ApplyMask(byte* mask, int batch, int query, int key, Span<float> scores)
    {
        long start = _m[batch] + query * _maskRowStride + key * _maskColumnStride;
        if (_mask == AttentionMask.Add)
        {
            float* m = (float*)mask + start;
            if (_maskColumnStride == 1) TensorPrimitives.Add(scores, new ReadOnlySpan<float>(m, scores.Length), scores);
            else TensorPrimitives.Add(scores, *m, scores);
            return;
        }
        byte* b = mask + start;
        byte fillWhen = _mask == AttentionMask.Keep ? (byte)0 : (byte)1;
        for (int j = 0; j < scores.Length; j++)
            if ((b[j * _maskColumnStride] != 0 ? 1 : 0) == fillWhen) scores[j] = _fill;
    }
}
