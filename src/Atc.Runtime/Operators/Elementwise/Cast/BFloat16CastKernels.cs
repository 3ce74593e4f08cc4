using System.Numerics;
using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.Elementwise.Cast;

/// <summary>bfloat16 (as bits) to any Cast type: widen a block to float32 exactly, then convert it as float32 would.</summary>
internal sealed unsafe class FromBFloat16Kernel<TTo>(long count) : IKernel where TTo : unmanaged, INumber<TTo>
{
    private const int Block = 256;

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (ushort*)args.Inputs[0];
        var y = (TTo*)args.Outputs[0];
        Span<float> widened = stackalloc float[Block];
        for (long start = 0; start < count; start += Block)
        {
            int n = (int)Math.Min(Block, count - start);
            for (int i = 0; i < n; i++) widened[i] = BFloat16Bits.ToSingle(x[start + i]);
            CastElements.Convert<float, TTo>(widened[..n], new Span<TTo>(y + start, n));
        }
    }
}

/// <summary>Any Cast type to bfloat16: convert a block to float32, then round each value to nearest even.</summary>
internal sealed unsafe class ToBFloat16Kernel<TFrom>(long count) : IKernel where TFrom : unmanaged, INumber<TFrom>
{
    private const int Block = 256;

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (TFrom*)args.Inputs[0];
        var y = (ushort*)args.Outputs[0];
        Span<float> singles = stackalloc float[Block];
        for (long start = 0; start < count; start += Block)
        {
            int n = (int)Math.Min(Block, count - start);
            CastElements.Convert(new ReadOnlySpan<TFrom>(x + start, n), singles[..n]);
            for (int i = 0; i < n; i++) y[start + i] = BFloat16Bits.FromSingle(singles[i]);
        }
    }
}

/// <summary>bfloat16 to bool: true unless the value is +0 or -0 (NaN is true, as for float32).</summary>
internal sealed unsafe class BFloat16ToBoolKernel(long count) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (ushort*)args.Inputs[0];
        var y = (byte*)args.Outputs[0];
        for (long i = 0; i < count; i++) y[i] = (x[i] & 0x7FFF) == 0 ? (byte)0 : (byte)1;
    }
}
