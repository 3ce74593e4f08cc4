using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Atc.Fuzz.Mutation;

/// <summary>
/// Just enough of the .om container (docs/om-format.md) to mutate inside it: split a valid file into its header and
/// partitions, put them back together, and re-seal the header's length and SHA-256 so a mutation reaches the
/// readers behind the checksum instead of always stopping at "checksum mismatch". Written here, not borrowed from
/// the runtime, so the fuzzer does not trust the code it tests.
/// </summary>
public static class OmContainerCodec
{
    public const int HeaderSize = 256;
    private const int ChecksumOffset = 12, LengthOffset = 76, TableEntrySize = 24, Alignment = 64;

    public sealed record Parts(byte[] Header, byte[] ModelDef, byte[] Weights, byte[] TaskInfo);

    /// <summary>Writes the content length and checksum a valid file would have; shorter inputs are returned as they are.</summary>
    public static byte[] Reseal(byte[] file)
    {
        if (file.Length < HeaderSize) return file;
        var sealedFile = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(sealedFile.AsSpan(LengthOffset), (uint)(file.Length - HeaderSize));
        SHA256.HashData(sealedFile.AsSpan(HeaderSize)).CopyTo(sealedFile.AsSpan(ChecksumOffset));
        return sealedFile;
    }

    /// <summary>The partitions of a file this project wrote (types 0 ModelDef, 1 weights, 2 TaskInfo).</summary>
    public static Parts Split(byte[] file)
    {
        var span = file.AsSpan();
        int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[HeaderSize..]);
        var parts = new byte[3][];
        for (int i = 0; i < count; i++)
        {
            var entry = span.Slice(HeaderSize + 4 + i * TableEntrySize, TableEntrySize);
            int type = (int)BinaryPrimitives.ReadUInt32LittleEndian(entry);
            int offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]);
            int size = (int)BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]);
            parts[type] = span.Slice(offset, size).ToArray();
        }
        return new Parts(span[..HeaderSize].ToArray(), parts[0], parts[1], parts[2]);
    }

    public static byte[] Join(Parts parts)
    {
        byte[][] content = [parts.ModelDef, parts.Weights, parts.TaskInfo];
        long position = HeaderSize + 4 + content.Length * TableEntrySize;
        var offsets = new long[content.Length];
        for (int i = 0; i < content.Length; i++)
        {
            position = (position + Alignment - 1) / Alignment * Alignment;
            offsets[i] = position;
            position += content[i].Length;
        }
        var file = new byte[position];
        parts.Header.AsSpan(0, HeaderSize).CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(HeaderSize), (uint)content.Length);
        for (int i = 0; i < content.Length; i++)
        {
            var entry = file.AsSpan(HeaderSize + 4 + i * TableEntrySize);
            BinaryPrimitives.WriteUInt32LittleEndian(entry, (uint)i);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], (ulong)offsets[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[16..], (ulong)content[i].Length);
            content[i].CopyTo(file.AsSpan((int)offsets[i]));
        }
        return Reseal(file);
    }
}
