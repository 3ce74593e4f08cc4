using System.Text;
using System.Text.RegularExpressions;
using Atc.Runtime;

namespace Atc.Tests.TestSupport;

/// <summary>
/// Reads NumPy .npy files (format versions 1-3): little-endian float32/float64/int32/int64/uint8/int8/bool in C order.
/// </summary>
internal static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static TensorData Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < 10 || !file.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidDataException($"{path} is not a .npy file");
        int major = file[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(file, 8) : BitConverter.ToInt32(file, 8);
        int headerStart = major == 1 ? 10 : 12;
        string header = Encoding.UTF8.GetString(file, headerStart, headerLength);

        string descr = DescrPattern().Match(header) is { Success: true } d ? d.Groups[1].Value
            : throw new InvalidDataException($"{path}: no 'descr' in header {header}");
        if (FortranPattern().IsMatch(header))
            throw new InvalidDataException($"{path}: Fortran-order arrays are not supported");
        var shapeText = ShapePattern().Match(header) is { Success: true } s ? s.Groups[1].Value
            : throw new InvalidDataException($"{path}: no 'shape' in header {header}");
        int[] dims = [.. shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)];

        var type = descr switch
        {
            "<f4" => DataType.Float32,
            "<f8" => DataType.Float64,
            "<i4" => DataType.Int32,
            "<i8" => DataType.Int64,
            "|u1" => DataType.UInt8,
            "|i1" => DataType.Int8,
            "|b1" => DataType.Bool,
            _ => throw new InvalidDataException($"{path}: element type '{descr}' is not supported"),
        };
        int dataStart = headerStart + headerLength;
        long bytes = Shape.ElementCount(dims) * type.SizeOf();
        if (file.Length - dataStart != bytes)
            throw new InvalidDataException($"{path}: {file.Length - dataStart} data bytes, {Shape.Format(dims)} {type.Name()} needs {bytes}");
        return new TensorData(type, dims, file.AsMemory(dataStart));
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
