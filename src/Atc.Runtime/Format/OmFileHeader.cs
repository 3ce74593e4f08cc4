using System.Buffers.Binary;
using System.Text;

namespace Atc.Runtime.Format;

/// <summary>
/// The fixed 256-byte header at the start of every .om file (ATC's ModelFileHeader shape; all integers
/// little-endian). Byte offsets are documented in docs/om-format.md.
/// </summary>
internal sealed record OmFileHeader
{
    public const int Size = 256;
    public const uint Magic = 0x444F4D49;          // bytes "IMOD"
    public const uint FormatVersion = 0x10000000;  // model format 1.0
    /// <summary>Version of this project's ModelDef/TaskInfo schemas: 2 added prepacked weights (files of version 1 still load).</summary>
    public const uint OmIrVersion = 3;
    public const uint OldestOmIrVersion = 1;
    public const int NameLength = 32;
    public const int PlatformVersionLength = 20;

    public const int MagicOffset = 0, HeadSizeOffset = 4, VersionOffset = 8, ChecksumOffset = 12, ChecksumLength = 64,
        LengthOffset = 76, IsEncryptOffset = 80, IsChecksumOffset = 81, ModelTypeOffset = 82, GenModeOffset = 83,
        NameOffset = 84, OpsOffset = 116, UserDefineInfoOffset = 120, UserDefineInfoLength = 32,
        OmIrVersionOffset = 152, PlatformVersionOffset = 156, PlatformTypeOffset = 176, ReservedOffset = 177;

    /// <summary>SHA-256 of every byte after the header (32 bytes; the other 32 of the field are zero).</summary>
    public required byte[] Checksum { get; init; }
    /// <summary>Number of bytes after the header.</summary>
    public required uint Length { get; init; }
    public required string Name { get; init; }
    public required uint Ops { get; init; }
    /// <summary>The target ("cpu-portable"), zero-padded to 20 bytes.</summary>
    public required string PlatformVersion { get; init; }
    /// <summary>The om_ir_version field (written as <see cref="OmIrVersion"/>).</summary>
    public uint IrVersion { get; init; } = OmIrVersion;

    public void WriteTo(Span<byte> header)
    {
        header[..Size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header[MagicOffset..], Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[HeadSizeOffset..], Size);
        BinaryPrimitives.WriteUInt32LittleEndian(header[VersionOffset..], FormatVersion);
        Checksum.CopyTo(header.Slice(ChecksumOffset, ChecksumLength));
        BinaryPrimitives.WriteUInt32LittleEndian(header[LengthOffset..], Length);
        header[IsEncryptOffset] = 0;
        header[IsChecksumOffset] = 1;
        header[ModelTypeOffset] = 0;
        header[GenModeOffset] = 0;
        WriteFixedString(header.Slice(NameOffset, NameLength), Name);
        BinaryPrimitives.WriteUInt32LittleEndian(header[OpsOffset..], Ops);
        BinaryPrimitives.WriteUInt32LittleEndian(header[OmIrVersionOffset..], OmIrVersion);
        WriteFixedString(header.Slice(PlatformVersionOffset, PlatformVersionLength), PlatformVersion);
        header[PlatformTypeOffset] = 0;
    }

    /// <summary>Reads and checks every field that has one valid value; the caller checks length and checksum.</summary>
    public static OmFileHeader Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < Size)
            throw new OmFormatException($"the file has {file.Length} bytes, fewer than the {Size}-byte header");
        var h = file[..Size];
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(h[MagicOffset..]);
        if (magic != Magic)
            throw new OmFormatException($"bad magic 0x{magic:X8} (expected 0x{Magic:X8}): this is not an .om file");
        uint headSize = BinaryPrimitives.ReadUInt32LittleEndian(h[HeadSizeOffset..]);
        if (headSize != Size) throw new OmFormatException($"header size {headSize}, expected {Size}");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(h[VersionOffset..]);
        if (version != FormatVersion) throw new OmFormatException($"format version 0x{version:X8} is not supported (expected 0x{FormatVersion:X8})");
        if (h[IsEncryptOffset] != 0) throw new OmFormatException("the model is encrypted (is_encrypt != 0), which this runtime does not support");
        if (h[IsChecksumOffset] != 1) throw new OmFormatException($"is_checksum is {h[IsChecksumOffset]}, expected 1 (this runtime reads only checksummed files)");
        if (h[ModelTypeOffset] != 0) throw new OmFormatException($"model type {h[ModelTypeOffset]} is not supported (expected 0)");
        if (h[GenModeOffset] != 0) throw new OmFormatException($"generation mode {h[GenModeOffset]} is not supported (expected 0, offline)");
        if (h.Slice(ChecksumOffset + 32, 32).IndexOfAnyExcept((byte)0) >= 0)
            throw new OmFormatException("the unused second half of the checksum field is not zero");
        if (h.Slice(UserDefineInfoOffset, UserDefineInfoLength).IndexOfAnyExcept((byte)0) >= 0)
            throw new OmFormatException("the userdefineinfo field is not zero");
        uint irVersion = BinaryPrimitives.ReadUInt32LittleEndian(h[OmIrVersionOffset..]);
        if (irVersion is < OldestOmIrVersion or > OmIrVersion)
            throw new OmFormatException($"om_ir_version {irVersion} is not supported (expected {OldestOmIrVersion} to {OmIrVersion})");
        if (h[PlatformTypeOffset] != 0) throw new OmFormatException($"platform type {h[PlatformTypeOffset]} is not supported (expected 0)");
        if (h[ReservedOffset..].IndexOfAnyExcept((byte)0) >= 0)
            throw new OmFormatException("the reserved bytes of the header are not zero");

        return new OmFileHeader
        {
            Checksum = h.Slice(ChecksumOffset, ChecksumLength).ToArray(),
            Length = BinaryPrimitives.ReadUInt32LittleEndian(h[LengthOffset..]),
            Name = ReadFixedString(h.Slice(NameOffset, NameLength), "name"),
            Ops = BinaryPrimitives.ReadUInt32LittleEndian(h[OpsOffset..]),
            PlatformVersion = ReadFixedString(h.Slice(PlatformVersionOffset, PlatformVersionLength), "platform version"),
            IrVersion = irVersion,
        };
    }

    /// <summary>The name as the header stores it: UTF-8, cut at a character boundary to leave a terminating zero.</summary>
    public static string FitName(string name, int fieldLength = NameLength)
    {
        int max = fieldLength - 1;
        if (Encoding.UTF8.GetByteCount(name) <= max) return name;
        var sb = new StringBuilder();
        int bytes = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > max) break;
            bytes += rune.Utf8SequenceLength;
            sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    private static void WriteFixedString(Span<byte> field, string value)
        => Encoding.UTF8.GetBytes(FitName(value, field.Length), field);

    private static string ReadFixedString(ReadOnlySpan<byte> field, string what)
    {
        int end = field.IndexOf((byte)0);
        if (end < 0) throw new OmFormatException($"the header's {what} field is not zero-terminated");
        if (field[end..].IndexOfAnyExcept((byte)0) >= 0) throw new OmFormatException($"the header's {what} field has bytes after its terminating zero");
        try
        {
            return new UTF8Encoding(false, true).GetString(field[..end]);
        }
        catch (ArgumentException)
        {
            throw new OmFormatException($"the header's {what} field is not valid UTF-8");
        }
    }
}
