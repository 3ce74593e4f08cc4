using System.Numerics;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Signal;

/// <summary>
/// STFT (ONNX 17): signal [batch, length, 1 or 2] (real, or complex as its last axis), frame_step (scalar, constant),
/// optional window [frame_length], optional frame_length (scalar, constant; required without a window); attr
/// onesided (1 by default: the first floor(frame_length / 2) + 1 frequencies, real signals only). Output
/// [batch, frames, bins, 2] with frames = floor((length - frame_length) / frame_step) + 1: the DFT of each frame
/// times the window.
/// </summary>
internal sealed class StftOperator() : Operator(OpTypes.Stft)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Floats);
        var plan = Plan(context, x);
        return One(x.Type, [plan.Batch, plan.Frames, plan.Bins, 2]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        return TypeDispatch.Float(x.Type, new Factory(Plan(context, x)));
    }

    private StftPlan Plan(OpContext context, TensorType x)
    {
        if (x.Rank != 3 || x.Dims[2] is not (1 or 2)) throw Error($"signal must be [batch, length, 1 or 2], got {x}");
        long[] step = ConstantInts(context, 1, "frame_step");
        if (step.Length != 1 || step[0] < 1 || step[0] > int.MaxValue) throw Error($"frame_step must be one positive value, got [{string.Join(", ", step)}]");
        int? windowLength = null;
        if (context.HasInput(2))
        {
            var window = context.Input(2);
            if (window.Rank != 1 || window.Type != x.Type) throw Error($"window must be a 1-D {x.Type.Name()} tensor, got {window}");
            windowLength = window.Dims[0];
        }
        int frameLength;
        if (context.HasInput(3))
        {
            long[] length = ConstantInts(context, 3, "frame_length");
            if (length.Length != 1 || length[0] < 1 || length[0] > int.MaxValue) throw Error($"frame_length must be one positive value, got [{string.Join(", ", length)}]");
            frameLength = (int)length[0];
            if (windowLength is { } w && w != frameLength) throw Error($"the window has {w} values but frame_length is {frameLength}");
        }
        else
            frameLength = windowLength ?? throw Error("give a window or frame_length");
        if (frameLength > x.Dims[1]) throw Error($"frame_length {frameLength} is longer than the signal ({x.Dims[1]})");
        bool complex = x.Dims[2] == 2;
        bool onesided = context.Attributes.GetInt("onesided", 1) != 0;
        if (onesided && complex) throw Error("onesided needs a real signal (last axis 1); set onesided=0 for a complex one");
        int frames = (x.Dims[1] - frameLength) / (int)step[0] + 1;
        return new StftPlan(x.Dims[0], x.Dims[1], complex, (int)step[0], frameLength, frames, onesided ? frameLength / 2 + 1 : frameLength,
            windowLength is not null);
    }

    private readonly struct Factory(StftPlan plan) : IFloatKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, IFloatingPointIeee754<T> => new StftKernel<T>(plan);
    }
}

internal sealed record StftPlan(int Batch, int Length, bool Complex, int Step, int FrameLength, int Frames, int Bins, bool Windowed);

/// <summary>A direct DFT per frame in float64 with the twiddles precomputed once.</summary>
internal sealed unsafe class StftKernel<T> : IKernel where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly StftPlan _plan;
    private readonly double[] _cos, _sin;

    public StftKernel(StftPlan plan)
    {
        _plan = plan;
        int n = plan.FrameLength;
        _cos = new double[n];
        _sin = new double[n];
        for (int k = 0; k < n; k++)
        {
            _cos[k] = Math.Cos(2 * Math.PI * k / n);
            _sin[k] = -Math.Sin(2 * Math.PI * k / n);
        }
    }

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var window = _plan.Windowed ? (T*)args.Inputs[2] : null;
        var y = (T*)args.Outputs[0];
        int n = _plan.FrameLength, components = _plan.Complex ? 2 : 1;
        var frame = new double[2 * n];
        for (int b = 0; b < _plan.Batch; b++)
        {
            for (int f = 0; f < _plan.Frames; f++)
            {
                long start = ((long)b * _plan.Length + (long)f * _plan.Step) * components;
                for (int t = 0; t < n; t++)
                {
                    double w = window is null ? 1 : double.CreateTruncating(window[t]);
                    frame[2 * t] = double.CreateTruncating(x[start + (long)t * components]) * w;
                    frame[2 * t + 1] = _plan.Complex ? double.CreateTruncating(x[start + (long)t * components + 1]) * w : 0;
                }
                long dst = ((long)b * _plan.Frames + f) * _plan.Bins * 2;
                for (int k = 0; k < _plan.Bins; k++)
                {
                    double re = 0, im = 0;
                    for (int t = 0; t < n; t++)
                    {
                        int twiddle = (int)((long)k * t % n);
                        re += frame[2 * t] * _cos[twiddle] - frame[2 * t + 1] * _sin[twiddle];
                        im += frame[2 * t] * _sin[twiddle] + frame[2 * t + 1] * _cos[twiddle];
                    }
                    y[dst + 2 * k] = T.CreateTruncating(re);
                    y[dst + 2 * k + 1] = T.CreateTruncating(im);
                }
            }
        }
    }
}
