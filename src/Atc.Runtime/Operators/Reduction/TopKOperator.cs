using System.Numerics;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Reduction;

/// <summary>
/// TopK: X, K (int64 [1] or scalar, constant); attrs axis (-1), largest (1), sorted (1). Outputs the K largest
/// (or smallest) values along the axis, in order, and their int64 indices; equal values keep the lower index first.
/// The output is always sorted (ONNX leaves the order free when sorted=0).
/// </summary>
internal sealed class TopKOperator() : Operator(OpTypes.TopK)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Numbers);
        var (axis, k) = Resolve(context, x);
        int[] dims = [.. x.Dims];
        dims[axis] = k;
        return [new TensorType(x.Type, dims), new TensorType(DataType.Int64, [.. dims])];
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        var (axis, k) = Resolve(context, x);
        bool largest = context.Attributes.GetInt("largest", 1) != 0;
        return TypeDispatch.Number(x.Type, new Factory(AxisLayout.Around(x.Dims, axis), k, largest));
    }

    private (int Axis, int K) Resolve(OpContext context, TensorType x)
    {
        if (x.Rank == 0) throw Error("X must have rank ≥ 1");
        long axisValue = context.Attributes.GetInt("axis", -1);
        int axis = AxisLayout.Resolve(axisValue, x.Rank) ?? throw Error($"axis {axisValue} is out of range for rank {x.Rank}");
        long[] k = ConstantInts(context, 1, "K");
        if (k.Length != 1) throw Error($"K must hold one value, got {k.Length}");
        if (k[0] < 0 || k[0] > x.Dims[axis])
            throw Error($"K {k[0]} must be between 0 and the size {x.Dims[axis]} of axis {axis} of {Shape.Format(x.Dims)}");
        return (axis, (int)k[0]);
    }

    private readonly struct Factory(AxisLayout layout, int k, bool largest) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new TopKKernel<T>(layout, k, largest);
    }
}

/// <summary>Per line along the axis: sorts the positions in scratch by (value, position) and writes the first K.</summary>
internal sealed unsafe class TopKKernel<T>(AxisLayout layout, int k, bool largest) : IKernel where T : unmanaged, INumber<T>
{
    public long ScratchBytes => (long)layout.Length * sizeof(int);

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var values = (T*)args.Outputs[0];
        var indices = (long*)args.Outputs[1];
        var order = new Span<int>((void*)args.Scratch, layout.Length);
        long inner = layout.Inner;
        for (long o = 0; o < layout.Outer; o++)
        {
            for (long i = 0; i < inner; i++)
            {
                T* line = x + o * layout.Length * inner + i;
                for (int r = 0; r < order.Length; r++) order[r] = r;
                order.Sort(new Order(line, inner, largest));
                long output = o * k * inner + i;
                for (int r = 0; r < k; r++)
                {
                    values[output + r * inner] = line[order[r] * inner];
                    indices[output + r * inner] = order[r];
                }
            }
        }
    }

    /// <summary>Best value first; ties by lower position, so the sort order is total and deterministic.</summary>
    private readonly struct Order(T* line, long stride, bool largest) : IComparer<int>
    {
        public int Compare(int a, int b)
        {
            T va = line[a * stride], vb = line[b * stride];
            int c = va.CompareTo(vb);
            if (c != 0) return largest ? -c : c;
            return a.CompareTo(b);
        }
    }
}
