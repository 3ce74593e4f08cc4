using System.Numerics;
using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.Common;

/// <summary>Builds a kernel for one numeric element type (float, double, int, long, byte, sbyte).</summary>
internal interface INumberKernelFactory
{
    IKernel Create<T>() where T : unmanaged, INumber<T>;
}

/// <summary>Builds a kernel for one IEEE floating-point element type (float, double).</summary>
internal interface IFloatKernelFactory
{
    IKernel Create<T>() where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Builds a kernel that only moves elements: T is an unsigned integer of the element's size.</summary>
internal interface IMoveKernelFactory
{
    IKernel Create<T>() where T : unmanaged;
}

/// <summary>Maps a <see cref="DataType"/> to a closed generic kernel. Setup-time only, never per inference.</summary>
internal static class TypeDispatch
{
    public static IKernel Number<TFactory>(DataType type, TFactory factory) where TFactory : INumberKernelFactory => type switch
    {
        DataType.Float32 => factory.Create<float>(),
        DataType.Float64 => factory.Create<double>(),
        DataType.Int32 => factory.Create<int>(),
        DataType.Int64 => factory.Create<long>(),
        DataType.UInt8 => factory.Create<byte>(),
        DataType.Int8 => factory.Create<sbyte>(),
        _ => throw new ShapeException($"element type {type.Name()} has no arithmetic"),
    };

    public static IKernel Float<TFactory>(DataType type, TFactory factory) where TFactory : IFloatKernelFactory => type switch
    {
        DataType.Float32 => factory.Create<float>(),
        DataType.Float64 => factory.Create<double>(),
        _ => throw new ShapeException($"element type {type.Name()} is not a floating-point type"),
    };

    public static IKernel Move<TFactory>(int elementSize, TFactory factory) where TFactory : IMoveKernelFactory => elementSize switch
    {
        1 => factory.Create<byte>(),
        2 => factory.Create<ushort>(),
        4 => factory.Create<uint>(),
        8 => factory.Create<ulong>(),
        _ => throw new ShapeException($"element size {elementSize} is not supported"),
    };

    public static bool IsFloat<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);
}
