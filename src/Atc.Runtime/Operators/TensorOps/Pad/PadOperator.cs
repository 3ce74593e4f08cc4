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
/// Pads by index maps: every output row (all axes but the last) is either entirely constant or reads one input row;
/// along the last axis the stretch that maps straight onto the input is one block copy.
/// </summary>
internal sealed unsafe class PadKernel<T> : IKernel where T : unmanaged
{
    private readonly int[][] _maps;
    private readonly long[] _inStrides;
    private readonly int[] _outDims;
    private readonly T _fill;
    private readonly bool _runtimeValue;
    private readonly int _runStart, _runLength, _runSource; // last-axis stretch copied as a block

    public PadKernel(int[] inputDims, int[] outputDims, int[][] maps, byte[] fill, bool runtimeValue)
    {
        _maps = maps;
        _outDims = outputDims.Length == 0 ? [1] : outputDims;
        if (maps.Length == 0) _maps = [[0]];
        _inStrides = new long[_maps.Length];
        long s = 1;
        for (int d = inputDims.Length - 1; d >= 0; d--) { _inStrides[d] = s; s *= inputDims[d]; }
        if (inputDims.Length == 0) _inStrides[0] = 1;
        _fill = System.Runtime.InteropServices.MemoryMarshal.Read<T>(fill);
        _runtimeValue = runtimeValue;
        var last = _maps[^1];
        // Longest stretch where consecutive outputs read consecutive inputs.
        for (int o = 0; o < last.Length;)
        {
            int e = o;
            while (last[o] >= 0 && e + 1 < last.Length && last[e + 1] == last[e] + 1) e++;
            if (last[o] >= 0 && e - o + 1 > _runLength) { _runStart = o; _runLength = e - o + 1; _runSource = last[o]; }
            o = e + 1;
        }
    }

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        T fill = _runtimeValue ? *(T*)args.Inputs[2] : _fill;
        int rank = _outDims.Length, inner = _outDims[^1];
        long rows = Shape.ElementCount(_outDims) / Math.Max(inner, 1);
        if (inner == 0) return;
        var last = _maps[^1];
        Span<int> index = stackalloc int[rank - 1];
        for (long r = 0; r < rows; r++)
        {
            var destination = new Span<T>(y + r * inner, inner);
            long offset = 0;
            bool constantRow = false;
            long rest = r;
            for (int d = rank - 2; d >= 0; d--)
            {
                index[d] = (int)(rest % _outDims[d]);
                rest /= _outDims[d];
                int source = _maps[d][index[d]];
                if (source < 0) constantRow = true;
                else offset += source * _inStrides[d];
            }
            if (constantRow)
            {
                destination.Fill(fill);
                continue;
            }
            T* row = x + offset;
            for (int o = 0; o < _runStart; o++) destination[o] = last[o] < 0 ? fill : row[last[o]];
            new ReadOnlySpan<T>(row + _runSource, _runLength).CopyTo(destination.Slice(_runStart, _runLength));
            for (int o = _runStart + _runLength; o < inner; o++) destination[o] = last[o] < 0 ? fill : row[last[o]];
        }
    }
}
