using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Atc.Runtime.Core;

namespace Atc.Runtime.IO;

/// <summary>A file that is not a .npy array this runtime can read; the message says what is wrong and how to fix it.</summary>
public sealed class NpyFormatException : FormatException
{
    // Thrown by the readers only: users catch it, they do not construct it.
    internal NpyFormatException(string detail) : base(detail) => Detail = detail;

    /// <summary>What exactly is wrong with the file.</summary>
    public string Detail { get; }
}

/// <summary>
/// NumPy's .npy format (versions 1, 2 and 3), C order, little-endian: '&lt;f4', '&lt;f8', '&lt;i8', '&lt;i4',
/// '|b1', '|u1', '|i1'. Writes version 1 (version 2 when the header needs more than 65535 bytes).
/// </summary>
public static class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a .npy file; throws <see cref="NpyFormatException"/> for an invalid or unsupported one.</summary>
    public static TensorData Read(string path) => Read(File.ReadAllBytes(path));

    /// <summary>Reads .npy bytes; throws <see cref="NpyFormatException"/> for invalid or unsupported ones.</summary>
    public static TensorData Read(byte[] file)
    {
        var span = file.AsSpan();
        if (span.Length < 10 || !span[..6].SequenceEqual(Magic))
            throw new NpyFormatException("not a .npy file (the magic string \\x93NUMPY is missing)");
        byte major = span[6];
        int headerLength, dataStart;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(span[8..]);
                dataStart = 10 + headerLength;
                break;
            case 2 or 3:
                if (span.Length < 12) throw new NpyFormatException("the file ends inside the header length");
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
                if (length > int.MaxValue - 12) throw new NpyFormatException($"header length {length} is too large");
                headerLength = (int)length;
                dataStart = 12 + headerLength;
                break;
            default:
                throw new NpyFormatException($".npy format version {major}.{span[7]} is not supported (1.0, 2.0 and 3.0 are)");
        }
        if (dataStart > span.Length)
            throw new NpyFormatException($"the header announces {headerLength} bytes but the file ends first");
        var headerBytes = span[(dataStart - headerLength)..dataStart];
        string header;
        try
        {
            header = major == 3 ? new UTF8Encoding(false, true).GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException)
        {
            throw new NpyFormatException("the header is not valid UTF-8");
        }

        var (descr, fortranOrder, shape) = ParseHeader(header);
        if (fortranOrder)
            throw new NpyFormatException("the array is in Fortran order; save it with numpy.ascontiguousarray(a) first");
        var type = TypeOf(descr);
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > int.MaxValue) throw new NpyFormatException($"shape {Shape.Format(shape)} has more than {int.MaxValue} elements");
        }
        long bytes = count * type.SizeOf();
        long available = span.Length - dataStart;
        if (available != bytes)
            throw new NpyFormatException($"{type.Name()} {Shape.Format(shape)} needs {bytes} data bytes but the file has {available}");
        return new TensorData(type, shape, span[dataStart..].ToArray());
    }

    /// <summary>Writes <paramref name="tensor"/> as a .npy file (little-endian, C order).</summary>
    public static void Write(string path, TensorData tensor) => File.WriteAllBytes(path, Write(tensor));

    /// <summary><paramref name="tensor"/> as .npy bytes (little-endian, C order).</summary>
    public static byte[] Write(TensorData tensor)
    {
        string shape = tensor.Dims.Length switch
        {
            0 => "()",
            1 => $"({tensor.Dims[0]},)",
            _ => "(" + string.Join(", ", tensor.Dims) + ")",
        };
        string dict = $"{{'descr': '{DescrOf(tensor.Type)}', 'fortran_order': False, 'shape': {shape}, }}";
        // Pad with spaces so that the data starts on a 64-byte boundary; the header ends with '\n'.
        int prefix = dict.Length + 1 + 10 > ushort.MaxValue ? 12 : 10;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - prefix - 1) + "\n";
        var file = new byte[total + tensor.Bytes.Length];
        Magic.CopyTo(file);
        file[6] = (byte)(prefix == 10 ? 1 : 2);
        file[7] = 0;
        if (prefix == 10) BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)header.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), (uint)header.Length);
        Encoding.Latin1.GetBytes(header, file.AsSpan(prefix));
        tensor.Bytes.Span.CopyTo(file.AsSpan(total));
        return file;
    }

    private static DataType TypeOf(string descr) => descr switch
    {
        "<f4" => DataType.Float32,
        "<f8" => DataType.Float64,
        "<f2" => DataType.Float16,
        "<i8" => DataType.Int64,
        "<i4" => DataType.Int32,
        "<u2" => DataType.UInt16,
        "<i2" => DataType.Int16,
        "<u4" => DataType.UInt32,
        "<u8" => DataType.UInt64,
        "|b1" or "<b1" => DataType.Bool,
        "|u1" or "<u1" => DataType.UInt8,
        "|i1" or "<i1" => DataType.Int8,
        _ when descr.StartsWith('>') => throw new NpyFormatException($"dtype '{descr}' is big-endian; save it with a.astype(a.dtype.newbyteorder('<'))"),
        _ => throw new NpyFormatException($"dtype '{descr}' is not supported (use float32 '<f4', float64 '<f8', float16 '<f2', int64 '<i8', int32 '<i4', int16 '<i2', uint64 '<u8', uint32 '<u4', uint16 '<u2' (also bfloat16 bits), bool '|b1', uint8 '|u1' or int8 '|i1')"),
    };

    private static string DescrOf(DataType type) => type switch
    {
        DataType.Float32 => "<f4",
        DataType.Float64 => "<f8",
        DataType.Float16 => "<f2",
        DataType.Int64 => "<i8",
        DataType.Int32 => "<i4",
        // NumPy has no bfloat16: its bits are written as uint16, which a bfloat16 input also accepts.
        DataType.UInt16 or DataType.BFloat16 => "<u2",
        DataType.Int16 => "<i2",
        DataType.UInt32 => "<u4",
        DataType.UInt64 => "<u8",
        DataType.Bool => "|b1",
        DataType.UInt8 => "|u1",
        DataType.Int8 => "|i1",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no .npy dtype"),
    };

    /// <summary>Parses the header's Python dict literal: exactly the keys descr, fortran_order and shape.</summary>
    private static (string Descr, bool FortranOrder, int[] Shape) ParseHeader(string header)
    {
        var p = new DictParser(header);
        string? descr = null;
        bool? fortran = null;
        int[]? shape = null;
        p.Expect('{');
        while (!p.TryConsume('}'))
        {
            string key = p.String();
            p.Expect(':');
            switch (key)
            {
                case "descr" when descr is null: descr = p.String(); break;
                case "fortran_order" when fortran is null: fortran = p.Bool(); break;
                case "shape" when shape is null: shape = p.Tuple(); break;
                default: throw new NpyFormatException($"malformed header: unexpected or repeated key '{key}'");
            }
            if (!p.TryConsume(',')) { p.Expect('}'); break; }
        }
        p.ExpectEnd();
        if (descr is null || fortran is null || shape is null)
            throw new NpyFormatException("malformed header: it must have the keys 'descr', 'fortran_order' and 'shape'");
        return (descr, fortran.Value, shape);
    }

    private sealed class DictParser(string text)
    {
        private int _pos;

        private void SkipSpace() { while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++; }

        private NpyFormatException Error(string expected)
            => new($"malformed header: expected {expected} at character {_pos} of \"{text.TrimEnd()}\"");

        public bool TryConsume(char c)
        {
            SkipSpace();
            if (_pos < text.Length && text[_pos] == c) { _pos++; return true; }
            return false;
        }

        public void Expect(char c) { if (!TryConsume(c)) throw Error($"'{c}'"); }

        public void ExpectEnd() { SkipSpace(); if (_pos != text.Length) throw Error("the end of the header"); }

        public string String()
        {
            SkipSpace();
            if (_pos >= text.Length || text[_pos] is not ('\'' or '"')) throw Error("a quoted string");
            char quote = text[_pos++];
            int end = text.IndexOf(quote, _pos);
            if (end < 0) throw Error("a closing quote");
            string s = text[_pos..end];
            _pos = end + 1;
            return s;
        }

        public bool Bool()
        {
            SkipSpace();
            if (string.CompareOrdinal(text, _pos, "True", 0, 4) == 0) { _pos += 4; return true; }
            if (string.CompareOrdinal(text, _pos, "False", 0, 5) == 0) { _pos += 5; return false; }
            throw Error("True or False");
        }

        public int[] Tuple()
        {
            Expect('(');
            var dims = new List<int>();
            while (!TryConsume(')'))
            {
                SkipSpace();
                int start = _pos;
                while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
                if (_pos == start || !int.TryParse(text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out int d))
                    throw Error("a non-negative dimension");
                // numpy may write 3L in Python 2 era files.
                if (_pos < text.Length && text[_pos] == 'L') _pos++;
                dims.Add(d);
                if (!TryConsume(',')) { Expect(')'); break; }
            }
            return [.. dims];
        }
    }
}
