using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Concat;

/// <summary>Concat: one or more inputs of the same type and rank, equal except along attr "axis".</summary>
internal sealed class ConcatOperator() : Operator(OpTypes.Concat)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        if (context.InputCount == 0) throw Error("needs at least one input");
        var first = RequireType(context, 0, Numeric.Any);
        RequireSameType(context, 0, context.InputCount);
        int axis = Axis(context, first.Rank);
        var dims = (int[])first.Dims.Clone();
        long total = first.Dims[axis];
        for (int i = 1; i < context.InputCount; i++)
        {
            var input = context.Input(i);
            if (input.Rank != first.Rank)
                throw Error($"input {i} {Shape.Format(input.Dims)} has rank {input.Rank}, input 0 {Shape.Format(first.Dims)} has rank {first.Rank}");
            for (int d = 0; d < dims.Length; d++)
            {
                if (d != axis && input.Dims[d] != first.Dims[d])
                    throw Error($"input {i} {Shape.Format(input.Dims)} differs from input 0 {Shape.Format(first.Dims)} in dim {d}, not the concat axis {axis}");
            }
            total += input.Dims[axis];
        }
        dims[axis] = checked((int)total);
        return One(first.Type, dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var output = outputs[0];
        int axis = Axis(context, output.Rank);
        long outer = Shape.ElementCount(output.Dims.AsSpan(0, axis));
        long innerBytes = Shape.ElementCount(output.Dims.AsSpan(axis + 1)) * output.Type.SizeOf();
        var chunks = Enumerable.Range(0, context.InputCount).Select(i => context.Input(i).Dims[axis] * innerBytes).ToArray();
        return new ConcatKernel(outer, chunks);
    }

    private int Axis(OpContext context, int rank)
    {
        if (rank == 0) throw Error("cannot concatenate scalars");
        long axis = context.Attributes.GetInt("axis", 0);
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw Error($"axis {axis} is out of range for rank {rank}");
        return (int)a;
    }
}

/// <summary>
/// For each outer index, copies each input's chunk in turn. The output is split into runs of whole cache lines for
/// the worker pool: a channels-last Concat has many short rows (one per pixel), an axis-0 Concat one long row, and
/// both split evenly this way with no two threads writing one line.
/// </summary>
internal sealed unsafe class ConcatKernel : IKernel
{
    private const int LineBytes = 64;

    private readonly long _outer;
    private readonly long[] _chunkBytes;
    private readonly long[] _chunkOffsets;   // where each input's chunk starts in an output row
    private readonly long _rowBytes;

    public ConcatKernel(long outer, long[] chunkBytes)
    {
        _outer = outer;
        _chunkBytes = chunkBytes;
        _chunkOffsets = new long[chunkBytes.Length];
        for (int i = 1; i < chunkBytes.Length; i++) _chunkOffsets[i] = _chunkOffsets[i - 1] + chunkBytes[i - 1];
        _rowBytes = chunkBytes.Sum();
    }

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        long total = _outer * _rowBytes;
        if (total == 0) return;
        fixed (nint* inputs = args.Inputs)
        {
            var body = new Body(this, inputs, (byte*)args.Outputs[0], total);
            // One element-equivalent of work per 4 bytes copied, the unit of ParallelRange's floor.
            ParallelRange.For(args.Workers, (total + LineBytes - 1) / LineBytes, LineBytes / sizeof(float), ref body);
        }
    }

    /// <summary>Copies output bytes [begin, end): the parts of each row's chunks that fall inside.</summary>
    private void CopyRange(nint* inputs, byte* output, long begin, long end)
    {
        long row = begin / _rowBytes, within = begin % _rowBytes;
        int chunk = 0;
        while (chunk < _chunkBytes.Length - 1 && within >= _chunkOffsets[chunk] + _chunkBytes[chunk]) chunk++;
        for (long position = begin; position < end;)
        {
            long size = _chunkBytes[chunk];
            long from = within - _chunkOffsets[chunk];
            long bytes = Math.Min(size - from, end - position);
            if (bytes > 0)
                Buffer.MemoryCopy((byte*)inputs[chunk] + row * size + from, output + position, bytes, bytes);
            position += bytes;
            within += bytes;
            if (++chunk == _chunkBytes.Length || within == _rowBytes)
            {
                chunk = 0;
                within = 0;
                row++;
            }
        }
    }

    private readonly struct Body(ConcatKernel kernel, nint* inputs, byte* output, long total) : IRangeBody
    {
        public void Run(long start, long end)
            => kernel.CopyRange(inputs, output, start * LineBytes, Math.Min(total, end * LineBytes));
    }
}
