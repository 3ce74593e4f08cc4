using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Atc.Runtime.Format;

/// <summary>Partition types of the .om partition table (ATC's ModelPartitionType values).</summary>
internal enum OmPartitionType : uint
{
    ModelDef = 0,
    WeightsData = 1,
    TaskInfo = 2,
}

/// <summary>The partitions of a checked container; the memories are slices of the file.</summary>
internal sealed record OmPartitions(OmFileHeader Header, IReadOnlyList<OmPartitionEntry> Table,
    ReadOnlyMemory<byte> ModelDef, ReadOnlyMemory<byte> Weights, ReadOnlyMemory<byte> TaskInfo);

/// <summary>One entry of the partition table (offsets from the start of the file).</summary>
internal sealed record OmPartitionEntry(OmPartitionType Type, long Offset, long Size);

/// <summary>
/// The container: 256-byte header, partition table (uint32 count + 24-byte entries {uint32 type, uint32 zero,
/// uint64 offset, uint64 size}, offsets from the start of the file) and the partitions, each starting on a 64-byte
/// boundary. The checksum is SHA-256 over every byte after the header.
/// </summary>
internal static class OmContainer
{
    public const int TableOffset = OmFileHeader.Size;
    public const int TableEntrySize = 24;
    public const int MaxPartitions = 16;
    public const int PartitionAlignment = 64;

    public static byte[] Write(string name, uint ops, string platformVersion,
        ReadOnlySpan<byte> modelDef, ReadOnlySpan<byte> weights, ReadOnlySpan<byte> taskInfo)
    {
        var parts = new (OmPartitionType Type, long Offset, long Size)[3];
        long position = TableOffset + 4 + parts.Length * TableEntrySize;
        int[] sizes = [modelDef.Length, weights.Length, taskInfo.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            position = Align(position);
            parts[i] = ((OmPartitionType)i, position, sizes[i]);
            position += sizes[i];
        }
        if (position - OmFileHeader.Size > uint.MaxValue || position > Array.MaxLength)
            throw new InvalidOperationException($"the model needs {position} bytes, more than the .om format's 4 GiB limit");

        var file = new byte[position];
        var span = file.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span[TableOffset..], (uint)parts.Length);
        for (int i = 0; i < parts.Length; i++)
        {
            var entry = span.Slice(TableOffset + 4 + i * TableEntrySize, TableEntrySize);
            BinaryPrimitives.WriteUInt32LittleEndian(entry, (uint)parts[i].Type);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], (ulong)parts[i].Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[16..], (ulong)parts[i].Size);
        }
        modelDef.CopyTo(span[(int)parts[0].Offset..]);
        weights.CopyTo(span[(int)parts[1].Offset..]);
        taskInfo.CopyTo(span[(int)parts[2].Offset..]);

        new OmFileHeader
        {
            Checksum = new byte[OmFileHeader.ChecksumLength],
            Length = (uint)(position - OmFileHeader.Size),
            Name = name,
            Ops = ops,
            PlatformVersion = platformVersion,
        }.WriteTo(span);
        Seal(span);
        return file;
    }

    /// <summary>Writes the content checksum into the header.</summary>
    internal static void Seal(Span<byte> file)
    {
        var digest = SHA256.HashData(file[OmFileHeader.Size..]);
        digest.CopyTo(file.Slice(OmFileHeader.ChecksumOffset, 32));
    }

    public static OmPartitions Read(ReadOnlyMemory<byte> file, bool verifyChecksum = true)
    {
        var span = file.Span;
        var header = OmFileHeader.Read(span);
        long content = span.Length - (long)OmFileHeader.Size;
        if (header.Length != content)
            throw new OmFormatException($"the header announces {header.Length} bytes after the header but the file has {content}"
                + (content < header.Length ? " (truncated file)" : " (trailing bytes)"));
        if (verifyChecksum && !SHA256.HashData(span[OmFileHeader.Size..]).AsSpan().SequenceEqual(header.Checksum.AsSpan(0, 32)))
            throw new OmFormatException("checksum mismatch: the file is corrupt");

        if (span.Length < TableOffset + 4)
            throw new OmFormatException("the file ends before the partition table");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(span[TableOffset..]);
        if (count == 0 || count > MaxPartitions)
            throw new OmFormatException($"partition count {count} is out of range (1..{MaxPartitions})");
        long tableEnd = TableOffset + 4 + (long)count * TableEntrySize;
        if (tableEnd > span.Length)
            throw new OmFormatException($"the partition table of {count} entries ends at byte {tableEnd}, past the end of the file ({span.Length})");

        var found = new Dictionary<OmPartitionType, (long Offset, long Size)>();
        var table = new List<OmPartitionEntry>();
        for (int i = 0; i < count; i++)
        {
            var entry = span.Slice(TableOffset + 4 + i * TableEntrySize, TableEntrySize);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(entry);
            uint pad = BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]);
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]);
            if (type > (uint)OmPartitionType.TaskInfo)
                throw new OmFormatException($"partition {i} has unknown type {type}");
            if (pad != 0)
                throw new OmFormatException($"partition {i}: the reserved field is {pad}, expected 0");
            if (offset < (ulong)tableEnd || offset > (ulong)span.Length || size > (ulong)span.Length - offset)
                throw new OmFormatException($"partition {i} ({(OmPartitionType)type}) at offset {offset} with size {size} is outside the file's {span.Length} bytes");
            if (offset % PartitionAlignment != 0)
                throw new OmFormatException($"partition {i} ({(OmPartitionType)type}) starts at offset {offset}, not on a {PartitionAlignment}-byte boundary");
            if (!found.TryAdd((OmPartitionType)type, ((long)offset, (long)size)))
                throw new OmFormatException($"partition type {(OmPartitionType)type} appears twice");
            table.Add(new OmPartitionEntry((OmPartitionType)type, (long)offset, (long)size));
        }
        var ordered = found.OrderBy(p => p.Value.Offset).ToList();
        for (int i = 1; i < ordered.Count; i++)
            if (ordered[i].Value.Offset < ordered[i - 1].Value.Offset + ordered[i - 1].Value.Size)
                throw new OmFormatException($"partitions {ordered[i - 1].Key} and {ordered[i].Key} overlap");
        foreach (var required in new[] { OmPartitionType.ModelDef, OmPartitionType.WeightsData, OmPartitionType.TaskInfo })
            if (!found.ContainsKey(required))
                throw new OmFormatException($"the {required} partition is missing");

        ReadOnlyMemory<byte> Slice(OmPartitionType t) => file.Slice((int)found[t].Offset, (int)found[t].Size);
        return new OmPartitions(header, table, Slice(OmPartitionType.ModelDef), Slice(OmPartitionType.WeightsData), Slice(OmPartitionType.TaskInfo));
    }

    private static long Align(long position) => (position + PartitionAlignment - 1) / PartitionAlignment * PartitionAlignment;
}
