using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Atc.Runtime.Execution;

namespace Atc.Runtime.Format;

/// <summary>
/// Narrowing (compiler) and widening (reader) of float32 weights. The compiler rounds the weights of lowered nodes
/// first (<see cref="RoundToBFloat16"/>, <see cref="RoundToFloat16"/>), so narrowing them loses nothing; a blob with
/// one value that is not exact stays float32. Widened bytes live in a pinned, 64-byte aligned array, because
/// kernels read weights through pointers as they read the file's own bytes.
/// </summary>
internal static class WeightNarrowing
{
    /// <summary>bfloat16 nearest-even rounding of a float32, returned as float32 (NaN stays NaN, infinities stay).</summary>
    public static float RoundToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return BitConverter.UInt32BitsToSingle((bits | 0x0040_0000u) & 0xFFFF_0000u);
        uint rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return BitConverter.UInt32BitsToSingle((bits + rounding) & 0xFFFF_0000u);
    }

    /// <summary>float16 nearest-even rounding, saturated to ±65504 (a weight beyond float16's range keeps its sign
    /// and the largest finite magnitude rather than turning into an infinity that poisons every sum).</summary>
    public static float RoundToFloat16(float value)
    {
        if (float.IsNaN(value)) return value;
        float clamped = Math.Clamp(value, -65504f, 65504f);
        return (float)(Half)clamped;
    }

    /// <summary>The 16-bit form of float32 <paramref name="float32Bytes"/>, or null when a value is not exact in it.</summary>
    public static byte[]? TryNarrow(ReadOnlySpan<byte> float32Bytes, WeightStorageType storage)
    {
        if (storage == WeightStorageType.Float32 || float32Bytes.Length % 4 != 0) return null;
        var values = MemoryMarshal.Cast<byte, float>(float32Bytes);
        var narrow = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            ushort bits;
            if (storage == WeightStorageType.BFloat16)
            {
                uint b = BitConverter.SingleToUInt32Bits(v);
                if ((b & 0xFFFFu) != 0) return null;
                bits = (ushort)(b >> 16);
            }
            else
            {
                var h = (Half)v;
                if (BitConverter.SingleToUInt32Bits((float)h) != BitConverter.SingleToUInt32Bits(v)) return null;
                bits = BitConverter.HalfToUInt16Bits(h);
            }
            BinaryPrimitives.WriteUInt16LittleEndian(narrow.AsSpan(i * 2), bits);
        }
        return narrow;
    }

    /// <summary>float32 bytes of 16-bit <paramref name="narrow"/> data, in a pinned 64-byte aligned array.</summary>
    public static ReadOnlyMemory<byte> Widen(ReadOnlySpan<byte> narrow, WeightStorageType storage)
    {
        if (narrow.Length % 2 != 0) throw new OmFormatException($"16-bit weights of {narrow.Length} bytes: not a whole number of values");
        int count = narrow.Length / 2;
        var array = GC.AllocateUninitializedArray<byte>(checked(count * 4 + ArenaAllocator.Alignment), pinned: true);
        int start = AlignedStart(array);
        var wide = MemoryMarshal.Cast<byte, float>(array.AsSpan(start, count * 4));
        for (int i = 0; i < count; i++)
        {
            ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(narrow[(i * 2)..]);
            wide[i] = storage == WeightStorageType.BFloat16
                ? BitConverter.UInt32BitsToSingle((uint)bits << 16)
                : (float)BitConverter.UInt16BitsToHalf(bits);
        }
        return new ReadOnlyMemory<byte>(array, start, count * 4);
    }

    /// <summary>Bytes of a value stored as <paramref name="storage"/>: 2 per float32 element when narrowed.</summary>
    public static long StoredLength(long float32Bytes, WeightStorageType storage) => storage == WeightStorageType.Float32 ? float32Bytes : float32Bytes / 2;

    private static unsafe int AlignedStart(byte[] pinned)
    {
        fixed (byte* p = pinned)
        {
            long address = (long)p;
            return (int)(ArenaAllocator.Align(address) - address);
        }
    }
}
