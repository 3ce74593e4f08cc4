using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Pad;

/// <summary>
/// Pad: data, pads (constant int64: all begins then all ends; negative values crop), optional constant_value
/// (scalar, may be a run-time value), optional axes (constant, ONNX-18). Attr mode: "constant" (default), "reflect"
/// (mirror without repeating the edge), "edge" (repeat the edge), "wrap". Opset-2 attrs "pads"/"value" are
/// accepted when input 1 is absent.
/// </summary>
internal sealed class PadOperator() : Operator(OpTypes.Pad)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        if (context.HasInput(2))
        {
            var value = context.Input(2);
            if (value.Type != x.Type) throw Error($"constant_value has type {value.Type.Name()}, data has {x.Type.Name()}");
            if (value.ElementCount != 1) throw Error($"constant_value must be a scalar, got {Shape.Format(value.Dims)}");
        }
        return One(x.Type, Plan(context, x).Output);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        var plan = Plan(context, x);
        var maps = new int[x.Rank][];
        for (int d = 0; d < x.Rank; d++) maps[d] = IndexMap(plan.Mode, x.Dims[d], plan.Begin[d], plan.Output[d]);
        double fill = context.Attributes.GetFloat("value", 0f);
        bool runtimeValue = context.HasInput(2) && context.Constant(2) is null;
        if (context.Constant(2) is { } constant) fill = constant.ToDoubleArray()[0];
        var fillBytes = ScalarBytes(x.Type, fill);
        return TypeDispatch.Move(x.Type.SizeOf(), new Factory(x.Dims, plan.Output, maps, fillBytes, runtimeValue));
    }

    private sealed record PadPlan(string Mode, long[] Begin, int[] Output);

    private PadPlan Plan(OpContext context, TensorType x)
    {
        string mode = context.Attributes.GetString("mode", "constant");
        if (mode is not ("constant" or "reflect" or "edge" or "wrap"))
            throw Error($"mode '{mode}' must be constant, reflect, edge or wrap");
        long[] pads = context.HasInput(1) ? ConstantInts(context, 1, "pads") : context.Attributes.GetInts("pads", []);
        int rank = x.Rank;
        int[] axes;
        if (context.HasInput(3))
        {
            axes = [.. ConstantInts(context, 3, "axes").Select(a =>
            {
                long n = a < 0 ? a + rank : a;
                if (n < 0 || n >= rank) throw Error($"axis {a} is out of range for rank {rank}");
                return (int)n;
            })];
            if (axes.Distinct().Count() != axes.Length) throw Error("axes lists an axis twice");
        }
        else
        {
            axes = [.. Enumerable.Range(0, rank)];
        }
        if (pads.Length != 2 * axes.Length)
            throw Error($"pads {Shape.Format(pads)} must have {2 * axes.Length} values (begins then ends) for {axes.Length} axes of {Shape.Format(x.Dims)}");

        var begin = new long[rank];
        var output = (int[])x.Dims.Clone();
        for (int i = 0; i < axes.Length; i++)
        {
            int d = axes[i];
            long b = pads[i], e = pads[i + axes.Length];
            long size = x.Dims[d] + b + e;
            if (size < 0) throw Error($"pads {b} and {e} crop axis {d} of size {x.Dims[d]} below zero");
            if (mode != "constant" && x.Dims[d] == 0 && size > 0)
                throw Error($"cannot pad axis {d} of size 0 in mode '{mode}'");
            begin[d] = b;
            output[d] = checked((int)size);
        }
        return new PadPlan(mode, begin, output);
    }

    /// <summary>For each output index along one axis, the input index it copies, or -1 for the constant.</summary>
    private static int[] IndexMap(string mode, int dim, long begin, int size)
    {
        var map = new int[size];
        for (int o = 0; o < size; o++)
        {
            long i = o - begin;
            if (i >= 0 && i < dim) { map[o] = (int)i; continue; }
            map[o] = mode switch
            {
                "edge" => i < 0 ? 0 : dim - 1,
                "wrap" => (int)(((i % dim) + dim) % dim),
                "reflect" => Reflect(i, dim),
                _ => -1,
            };
        }
        return map;
    }

    /// <summary>Mirror index without repeating the edge (numpy "reflect"), folding as many times as needed.</summary>
    private static int Reflect(long i, int dim)
    {
        if (dim == 1) return 0;
        long period = 2L * (dim - 1);
        long m = ((i % period) + period) % period;
        return (int)(m < dim ? m : period - m);
    }

    private static byte[] ScalarBytes(DataType type, double value) => type switch
    {
        DataType.Float32 => BitConverter.GetBytes((float)value),
        DataType.Float64 => BitConverter.GetBytes(value),
        DataType.Int32 => BitConverter.GetBytes((int)value),
        DataType.Int64 => BitConverter.GetBytes((long)value),
        DataType.UInt8 => [(byte)value],
        DataType.Int8 => [(byte)(sbyte)value],
        DataType.Bool => [value != 0 ? (byte)1 : (byte)0],
        _ => throw new ShapeException($"Pad: unsupported type {type.Name()}"),
    };

    private readonly struct Factory(int[] inputDims, int[] outputDims, int[][] maps, byte[] fill, bool runtimeValue) : IMoveKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged => new PadKernel<T>(inputDims, outputDims, maps, fill, runtimeValue);
    }
}

/// <summary>
/// Pads by index maps. The axes after the last padded one (the row axis) are copied as blocks: for channels-last data
/// padded along H and W a pixel's channels are one block, and the stretch of the row axis that maps straight onto the
/// input is one copy. Every output row (all axes before the row axis) is either entirely constant or reads one input row.
/// </summary>
internal sealed unsafe class PadKernel<T> : IKernel where T : unmanaged
{
    private readonly int[][] _maps;
    private readonly long[] _inStrides;
    private readonly int[] _outDims;
    private readonly T _fill;
    private readonly bool _runtimeValue;
    /// <summary>The last axis whose map is not the identity; -1 when nothing is padded.</summary>
    private readonly int _rowAxis;
    /// <summary>Elements after the row axis (the same in input and output).</summary>
    private readonly long _block;
    private readonly int _runStart, _runLength, _runSource; // row-axis stretch copied as one block

    public PadKernel(int[] inputDims, int[] outputDims, int[][] maps, byte[] fill, bool runtimeValue)
    {
        _maps = maps;
        _outDims = outputDims.Length == 0 ? [1] : outputDims;
        if (maps.Length == 0) _maps = [[0]];
        int rank = _maps.Length;
        _inStrides = new long[rank];
        long s = 1;
        for (int d = inputDims.Length - 1; d >= 0; d--) { _inStrides[d] = s; s *= inputDims[d]; }
        if (inputDims.Length == 0) _inStrides[0] = 1;
        _fill = System.Runtime.InteropServices.MemoryMarshal.Read<T>(fill);
        _runtimeValue = runtimeValue;
        _rowAxis = -1;
        for (int d = rank - 1; d >= 0 && _rowAxis < 0; d--)
        {
            var map = _maps[d];
            int inputDim = inputDims.Length == 0 ? 1 : inputDims[d];
            if (map.Length != inputDim || map.Where((source, o) => source != o).Any()) _rowAxis = d;
        }
        _block = 1;
        for (int d = _rowAxis + 1; d < rank; d++) _block *= _outDims[d];
        if (_rowAxis < 0) return;
        var row = _maps[_rowAxis];
        // Longest stretch where consecutive outputs read consecutive inputs.
        for (int o = 0; o < row.Length;)
        {
            int e = o;
            while (row[o] >= 0 && e + 1 < row.Length && row[e + 1] == row[e] + 1) e++;
            if (row[o] >= 0 && e - o + 1 > _runLength) { _runStart = o; _runLength = e - o + 1; _runSource = row[o]; }
            o = e + 1;
        }
    }

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        T fill = _runtimeValue ? *(T*)args.Inputs[2] : _fill;
        long count = Shape.ElementCount(_outDims);
        if (count == 0) return;
        if (_rowAxis < 0)
        {
            Buffer.MemoryCopy(x, y, count * sizeof(T), count * sizeof(T));
            return;
        }
        long rowLength = _outDims[_rowAxis] * _block;
        var body = new Rows(this, x, y, fill, rowLength);
        ParallelRange.For(args.Workers, count / rowLength, rowLength, ref body);
    }

    private readonly struct Rows(PadKernel<T> k, T* x, T* y, T fill, long rowLength) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int axis = k._rowAxis;
            long block = k._block;
            var map = k._maps[axis];
            for (long r = start; r < end; r++)
            {
                var destination = y + r * rowLength;
                long offset = 0, rest = r;
                bool constantRow = false;
                for (int d = axis - 1; d >= 0; d--)
                {
                    int index = (int)(rest % k._outDims[d]);
                    rest /= k._outDims[d];
                    int source = k._maps[d][index];
                    if (source < 0) constantRow = true;
                    else offset += source * k._inStrides[d];
                }
                if (constantRow)
                {
                    new Span<T>(destination, checked((int)rowLength)).Fill(fill);
                    continue;
                }
                T* row = x + offset;
                Stretch(row, destination, map, 0, k._runStart, block);
                long runBytes = k._runLength * block * sizeof(T);
                Buffer.MemoryCopy(row + k._runSource * block, destination + k._runStart * block, runBytes, runBytes);
                Stretch(row, destination, map, k._runStart + k._runLength, map.Length, block);
            }
        }

        /// <summary>Row-axis outputs [from, to): each one block copied from its source, or the constant.</summary>
        private void Stretch(T* row, T* destination, int[] map, int from, int to, long block)
        {
            long bytes = block * sizeof(T);
            for (int o = from; o < to; o++)
            {
                T* target = destination + o * block;
                if (map[o] < 0) new Span<T>(target, checked((int)block)).Fill(fill);
                else if (block == 1) *target = row[map[o]];
                else Buffer.MemoryCopy(row + map[o] * block, target, bytes, bytes);
            }
        }
    }
}
