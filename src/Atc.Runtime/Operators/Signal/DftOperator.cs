using System.Numerics;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Signal;

/// <summary>
/// DFT (ONNX 17/20): input [batch, d..., 1 or 2] (real, or complex as its last axis), optional dft_length (scalar,
/// constant: the signal is zero-padded or cut to it); attrs axis (a signal axis, not the last), inverse (0),
/// onesided (0: every frequency; 1: the first floor(n/2) + 1). Output [..., 2] complex; the inverse divides by n.
/// </summary>
internal sealed class DftOperator() : Operator(OpTypes.Dft)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Floats);
        var plan = Plan(context, x);
        return One(x.Type, plan.OutputDims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        return TypeDispatch.Float(x.Type, new Factory(Plan(context, x)));
    }

    private DftPlan Plan(OpContext context, TensorType x)
    {
        if (x.Rank < 3 || x.Dims[^1] is not (1 or 2)) throw Error($"input must be [batch, signal..., 1 or 2], got {x}");
        long axisAttr = context.Attributes.GetInt("axis", 1);
        long axis = axisAttr < 0 ? axisAttr + x.Rank : axisAttr;
        if (axis < 1 || axis >= x.Rank - 1) throw Error($"axis {axisAttr} must name a signal axis of {x} (not the batch or the last axis)");
        int n = x.Dims[axis];
        if (context.HasInput(1))
        {
            long[] length = ConstantInts(context, 1, "dft_length");
            if (length.Length != 1 || length[0] < 1 || length[0] > int.MaxValue) throw Error($"dft_length must be one positive value, got [{string.Join(", ", length)}]");
            n = (int)length[0];
        }
        bool inverse = context.Attributes.GetInt("inverse", 0) != 0, onesided = context.Attributes.GetInt("onesided", 0) != 0;
        if (inverse && onesided) throw Error("inverse and onesided cannot both be set");
        int outLength = onesided ? n / 2 + 1 : n;
        int[] dims = (int[])x.Dims.Clone();
        dims[axis] = outLength;
        dims[^1] = 2;
        var layout = new DftLayout(Shape.ElementCount(x.Dims.AsSpan(0, (int)axis)), x.Dims[axis],
            Shape.ElementCount(x.Dims.AsSpan((int)axis + 1, x.Rank - (int)axis - 2)), x.Dims[^1] == 2);
        return new DftPlan(layout, n, outLength, inverse, dims);
    }

    private readonly struct Factory(DftPlan plan) : IFloatKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, IFloatingPointIeee754<T> => new DftKernel<T>(plan);
    }
}

/// <summary>The input as [outer, axis length, inner, 1 or 2].</summary>
internal readonly record struct DftLayout(long Outer, int AxisLength, long Inner, bool Complex);

internal sealed record DftPlan(DftLayout Layout, int Length, int OutputLength, bool Inverse, int[] OutputDims);

/// <summary>A direct O(n²) transform per line in float64 with the twiddles precomputed once (suite-sized signals).</summary>
internal sealed unsafe class DftKernel<T> : IKernel where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DftPlan _plan;
    private readonly double[] _cos, _sin;

    public DftKernel(DftPlan plan)
    {
        _plan = plan;
        _cos = new double[plan.Length];
        _sin = new double[plan.Length];
        double sign = plan.Inverse ? 1 : -1;
        for (int k = 0; k < plan.Length; k++)
        {
            _cos[k] = Math.Cos(2 * Math.PI * k / plan.Length);
            _sin[k] = sign * Math.Sin(2 * Math.PI * k / plan.Length);
        }
    }

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        var l = _plan.Layout;
        int components = l.Complex ? 2 : 1, n = _plan.Length, used = Math.Min(n, l.AxisLength);
        double scale = _plan.Inverse ? 1.0 / n : 1;
        for (long o = 0; o < l.Outer; o++)
        {
            for (long i = 0; i < l.Inner; i++)
            {
                for (int f = 0; f < _plan.OutputLength; f++)
                {
                    double re = 0, im = 0;
                    for (int t = 0; t < used; t++)
                    {
                        long src = ((o * l.AxisLength + t) * l.Inner + i) * components;
                        double xr = double.CreateTruncating(x[src]), xi = l.Complex ? double.CreateTruncating(x[src + 1]) : 0;
                        int k = (int)((long)f * t % n);
                        re += xr * _cos[k] - xi * _sin[k];
                        im += xr * _sin[k] + xi * _cos[k];
                    }
                    long dst = ((o * _plan.OutputLength + f) * l.Inner + i) * 2;
                    y[dst] = T.CreateTruncating(re * scale);
                    y[dst + 1] = T.CreateTruncating(im * scale);
                }
            }
        }
    }
}
