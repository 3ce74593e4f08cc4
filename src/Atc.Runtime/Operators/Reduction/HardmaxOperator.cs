using System.Numerics;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Reduction;

/// <summary>
/// Hardmax: attr axis (-1): 1 at the first maximum along the axis, 0 elsewhere. With attr legacy=1 (ONNX opset
/// &lt; 13) the input is viewed as 2-D [prod(dims[:axis]), prod(dims[axis:])] as for Softmax.
/// </summary>
internal sealed class HardmaxOperator() : Operator(OpTypes.Hardmax)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Floats);
        _ = Layout(context, x);
        return One(x.Type, x.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        return TypeDispatch.Float(x.Type, new Factory(Layout(context, x)));
    }

    private AxisLayout Layout(OpContext context, TensorType x)
    {
        bool legacy = context.Attributes.GetInt("legacy", 0) != 0;
        long axis = context.Attributes.GetInt("axis", legacy ? 1 : -1);
        if (x.Rank == 0) throw Error("input must have rank ≥ 1");
        int a = AxisLayout.Resolve(axis, x.Rank) ?? throw Error($"axis {axis} is out of range for rank {x.Rank}");
        return legacy ? AxisLayout.Flattened(x.Dims, a) : AxisLayout.Around(x.Dims, a);
    }

    private readonly struct Factory(AxisLayout layout) : IFloatKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, IFloatingPointIeee754<T> => new HardmaxKernel<T>(layout);
    }
}

internal sealed unsafe class HardmaxKernel<T>(AxisLayout layout) : IKernel where T : unmanaged, IFloatingPointIeee754<T>
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        long inner = layout.Inner;
        for (long o = 0; o < layout.Outer; o++)
        {
            for (long i = 0; i < inner; i++)
            {
                long start = o * layout.Length * inner + i;
                int best = 0;
                T bestValue = x[start];
                for (int r = 1; r < layout.Length; r++)
                {
                    T v = x[start + r * inner];
                    if (v > bestValue) { best = r; bestValue = v; }
                }
                // Written after the scan so y may alias x.
                for (int r = 0; r < layout.Length; r++) y[start + r * inner] = r == best ? T.One : T.Zero;
            }
        }
    }
}
