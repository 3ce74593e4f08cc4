using System.Runtime.InteropServices;
using Atc.Runtime.Core;

namespace Atc.Runtime;

/// <summary>An immutable dense tensor value (constants, folded values, test data). Little-endian, row-major.</summary>
public sealed class TensorData
{
    /// <summary>The element type.</summary>
    public DataType Type { get; }
    /// <summary>The shape (row-major; empty for a scalar).</summary>
    public int[] Dims { get; }
    /// <summary>Raw little-endian bytes; length is ElementCount * SizeOf(Type).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>A tensor over <paramref name="bytes"/> (not copied); throws <see cref="ArgumentException"/> when their length does not match the shape.</summary>
    public TensorData(DataType type, int[] dims, ReadOnlyMemory<byte> bytes)
    {
        long expected = Shape.ElementCount(dims) * type.SizeOf();
        if (bytes.Length != expected)
            throw new ArgumentException($"tensor of {type.Name()} {Shape.Format(dims)} needs {expected} bytes, got {bytes.Length}");
        Type = type;
        Dims = dims;
        Bytes = bytes;
    }

    /// <summary>Number of elements (the product of <see cref="Dims"/>).</summary>
    public long ElementCount => Shape.ElementCount(Dims);
    /// <summary>Number of axes.</summary>
    public int Rank => Dims.Length;

    /// <summary>A tensor holding a copy of <paramref name="values"/>.</summary>
    public static TensorData FromArray<T>(DataType type, int[] dims, T[] values) where T : unmanaged
        => new(type, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>A float32 tensor holding a copy of <paramref name="values"/>.</summary>
    public static TensorData Float(int[] dims, params float[] values) => FromArray(DataType.Float32, dims, values);
    /// <summary>An int64 tensor holding a copy of <paramref name="values"/>.</summary>
    public static TensorData Int64(int[] dims, params long[] values) => FromArray(DataType.Int64, dims, values);
    /// <summary>A float32 scalar (rank 0).</summary>
    public static TensorData Scalar(float value) => Float([], value);

    /// <summary>The elements as <typeparamref name="T"/>, without copying.</summary>
    public ReadOnlySpan<T> AsSpan<T>() where T : unmanaged => MemoryMarshal.Cast<byte, T>(Bytes.Span);

    /// <summary>Reads the tensor as int64 values whatever its integer type (for shape-like inputs).</summary>
    public long[] ToInt64Array() => Type switch
    {
        DataType.Int64 => AsSpan<long>().ToArray(),
        DataType.Int32 => Array.ConvertAll(AsSpan<int>().ToArray(), v => (long)v),
        DataType.UInt8 or DataType.Bool => Array.ConvertAll(Bytes.ToArray(), v => (long)v),
        DataType.Int8 => Array.ConvertAll(AsSpan<sbyte>().ToArray(), v => (long)v),
        DataType.Float32 => Array.ConvertAll(AsSpan<float>().ToArray(), v => (long)v),
        DataType.Float64 => Array.ConvertAll(AsSpan<double>().ToArray(), v => (long)v),
        DataType.Float16 => Array.ConvertAll(AsSpan<Half>().ToArray(), v => (long)v),
        DataType.UInt16 => Array.ConvertAll(AsSpan<ushort>().ToArray(), v => (long)v),
        DataType.Int16 => Array.ConvertAll(AsSpan<short>().ToArray(), v => (long)v),
        DataType.UInt32 => Array.ConvertAll(AsSpan<uint>().ToArray(), v => (long)v),
        DataType.UInt64 => Array.ConvertAll(AsSpan<ulong>().ToArray(), v => unchecked((long)v)),
        DataType.BFloat16 => Array.ConvertAll(AsSpan<ushort>().ToArray(), v => (long)Core.BFloat16Bits.ToSingle(v)),
        _ => throw new InvalidOperationException($"cannot read {Type.Name()} as integers"),
    };

    /// <summary>The elements converted to float (a copy).</summary>
    public float[] ToFloatArray() => Type switch
    {
        DataType.Float32 => AsSpan<float>().ToArray(),
        DataType.Float64 => Array.ConvertAll(AsSpan<double>().ToArray(), v => (float)v),
        DataType.Float16 => Array.ConvertAll(AsSpan<Half>().ToArray(), v => (float)v),
        DataType.BFloat16 => Array.ConvertAll(AsSpan<ushort>().ToArray(), Core.BFloat16Bits.ToSingle),
        DataType.UInt64 => Array.ConvertAll(AsSpan<ulong>().ToArray(), v => (float)v),
        _ => Array.ConvertAll(ToInt64Array(), v => (float)v),
    };
}
