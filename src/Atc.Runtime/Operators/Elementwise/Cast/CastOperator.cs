using System.Numerics;
using System.Numerics.Tensors;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Cast;

/// <summary>
/// Cast: attr "to" (a <see cref="DataType"/> code). Float to integer truncates toward zero and saturates; integer
/// narrowing wraps; anything to bool is "!= 0"; bool to numbers is 0/1. Float16 is a storage type that only Cast
/// computes with: float32 to float16 rounds to nearest even (overflow becomes infinity), float16 widens exactly.
/// The other storage types (uint16, int16, uint32, uint64, bfloat16) are Cast's too: integers convert like C casts,
/// bfloat16 goes through float32 (<see cref="Core.BFloat16Bits"/>).
/// </summary>
internal sealed class CastOperator() : Operator(OpTypes.Cast)
{
    private static readonly DataType[] CastSources =
        [.. Numeric.Any, DataType.Float16, DataType.UInt16, DataType.Int16, DataType.UInt32, DataType.UInt64, DataType.BFloat16];

    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, CastSources);
        if (!context.Attributes.Has("to")) throw Error("attribute 'to' is required");
        long to = context.Attributes.GetInt("to", 0);
        if (to > int.MaxValue || to < 0 || !DataTypes.IsDefined((DataType)to))
            throw Error($"attribute 'to' = {to} is not a supported data type (float32=1, uint8=2, int8=3, uint16=4, int16=5, int32=6, int64=7, bool=9, float16=10, float64=11, uint32=12, uint64=13, bfloat16=16)");
        return One((DataType)to, x.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var from = context.Input(0).Type;
        var to = outputs[0].Type;
        long count = outputs[0].ElementCount;
        if (from == to) return new CopyKernel(outputs[0].ByteCount);
        if (from == DataType.BFloat16)
            return to == DataType.Bool ? new BFloat16ToBoolKernel(count) : Dispatch(to, new FromBFloat16Factory(count));
        if (to == DataType.BFloat16) return Dispatch(from == DataType.Bool ? DataType.UInt8 : from, new ToBFloat16Factory(count));
        if (to == DataType.Bool) return Dispatch(from == DataType.Bool ? DataType.UInt8 : from, new ToBoolFactory(count));
        // Bools are bytes 0/1, so reading them as uint8 converts them exactly.
        return Dispatch(from == DataType.Bool ? DataType.UInt8 : from, new FromFactory(to, count));
    }

    // The arithmetic types plus the storage types, which no other operator computes with.
    private static IKernel Dispatch<TFactory>(DataType type, TFactory factory) where TFactory : INumberKernelFactory => type switch
    {
        DataType.Float16 => factory.Create<Half>(),
        DataType.UInt16 => factory.Create<ushort>(),
        DataType.Int16 => factory.Create<short>(),
        DataType.UInt32 => factory.Create<uint>(),
        DataType.UInt64 => factory.Create<ulong>(),
        _ => TypeDispatch.Number(type, factory),
    };

    private readonly struct FromBFloat16Factory(long count) : INumberKernelFactory
    {
        public IKernel Create<TTo>() where TTo : unmanaged, INumber<TTo> => new FromBFloat16Kernel<TTo>(count);
    }

    private readonly struct ToBFloat16Factory(long count) : INumberKernelFactory
    {
        public IKernel Create<TFrom>() where TFrom : unmanaged, INumber<TFrom> => new ToBFloat16Kernel<TFrom>(count);
    }

    private readonly struct FromFactory(DataType to, long count) : INumberKernelFactory
    {
        public IKernel Create<TFrom>() where TFrom : unmanaged, INumber<TFrom> => Dispatch(to, new ToFactory<TFrom>(count));
    }

    private readonly struct ToFactory<TFrom>(long count) : INumberKernelFactory where TFrom : unmanaged, INumber<TFrom>
    {
        public IKernel Create<TTo>() where TTo : unmanaged, INumber<TTo> => new CastKernel<TFrom, TTo>(count);
    }

    private readonly struct ToBoolFactory(long count) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new ToBoolKernel<T>(count);
    }
}

internal sealed unsafe class CastKernel<TFrom, TTo>(long count) : IKernel
    where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body((TFrom*)args.Inputs[0], (TTo*)args.Outputs[0]);
        ParallelRange.For(args.Workers, count, 1, ref body);
    }

    private readonly struct Body(TFrom* x, TTo* y) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int n = (int)(end - start);
            CastElements.Convert(new ReadOnlySpan<TFrom>(x + start, n), new Span<TTo>(y + start, n));
        }
    }
}

/// <summary>The element conversion every Cast kernel uses.</summary>
internal static class CastElements
{
    public static void Convert<TFrom, TTo>(ReadOnlySpan<TFrom> source, Span<TTo> destination)
        where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
    {
        // Float to integer saturates (NaN becomes 0); other conversions wrap like a C cast.
        if (IsFloat<TFrom>() && !IsFloat<TTo>()) TensorPrimitives.ConvertSaturating(source, destination);
        else TensorPrimitives.ConvertTruncating(source, destination);
    }

    private static bool IsFloat<T>() => TypeDispatch.IsFloat<T>() || typeof(T) == typeof(Half);
}

internal sealed unsafe class ToBoolKernel<T>(long count) : IKernel where T : unmanaged, INumber<T>
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (byte*)args.Outputs[0];
        for (long i = 0; i < count; i++) y[i] = T.IsZero(x[i]) ? (byte)0 : (byte)1;
    }
}
