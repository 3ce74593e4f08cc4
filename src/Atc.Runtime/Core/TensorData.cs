using System.Runtime.InteropServices;

namespace Atc.Runtime;

/// <summary>An immutable dense tensor value (constants, folded values, test data). Little-endian, row-major.</summary>
public sealed class TensorData
{
    public DataType Type { get; }
    public int[] Dims { get; }
    /// <summary>Raw little-endian bytes; length is ElementCount * SizeOf(Type).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public TensorData(DataType type, int[] dims, ReadOnlyMemory<byte> bytes)
    {
        long expected = Shape.ElementCount(dims) * type.SizeOf();
        if (bytes.Length != expected)
            throw new ArgumentException($"tensor of {type.Name()} {Shape.Format(dims)} needs {expected} bytes, got {bytes.Length}");
        Type = type;
        Dims = dims;
        Bytes = bytes;
    }

    public long ElementCount => Shape.ElementCount(Dims);
    public int Rank => Dims.Length;

    public static TensorData FromArray<T>(DataType type, int[] dims, T[] values) where T : unmanaged
        => new(type, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static TensorData Float(int[] dims, params float[] values) => FromArray(DataType.Float32, dims, values);
    public static TensorData Int64(int[] dims, params long[] values) => FromArray(DataType.Int64, dims, values);
    public static TensorData Scalar(float value) => Float([], value);

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
        _ => throw new InvalidOperationException($"cannot read {Type.Name()} as integers"),
    };

    public float[] ToFloatArray() => Type switch
    {
        DataType.Float32 => AsSpan<float>().ToArray(),
        DataType.Float64 => Array.ConvertAll(AsSpan<double>().ToArray(), v => (float)v),
        _ => Array.ConvertAll(ToInt64Array(), v => (float)v),
    };
}
