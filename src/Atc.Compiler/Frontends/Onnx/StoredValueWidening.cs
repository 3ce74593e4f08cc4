using System.Runtime.InteropServices;
using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>
/// Widens the bytes of a storage-only type to the type it computes with (<see cref="DataTypes.ComputeType"/>). Every
/// widening is exact but uint64's, which keeps its bits as int64.
/// </summary>
internal static class StoredValueWidening
{
    public static byte[] Widen(DataType stored, byte[] bytes) => stored switch
    {
        DataType.Float16 => Convert<Half, float>(bytes, v => (float)v),
        DataType.BFloat16 => Convert<ushort, float>(bytes, BFloat16Bits.ToSingle),
        DataType.UInt16 => Convert<ushort, int>(bytes, v => v),
        DataType.Int16 => Convert<short, int>(bytes, v => v),
        DataType.UInt32 => Convert<uint, long>(bytes, v => v),
        DataType.UInt64 => bytes,
        _ => throw new ArgumentOutOfRangeException(nameof(stored), stored, "not a storage-only type"),
    };

    private static byte[] Convert<TFrom, TTo>(byte[] bytes, Func<TFrom, TTo> widen) where TFrom : unmanaged where TTo : unmanaged
    {
        var source = MemoryMarshal.Cast<byte, TFrom>(bytes.AsSpan());
        var result = new byte[source.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<TTo>()];
        var destination = MemoryMarshal.Cast<byte, TTo>(result.AsSpan());
        for (int i = 0; i < source.Length; i++) destination[i] = widen(source[i]);
        return result;
    }
}
