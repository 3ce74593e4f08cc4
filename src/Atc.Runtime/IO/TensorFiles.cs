using System.Globalization;
using System.Text;
using Atc.Runtime.Core;

namespace Atc.Runtime.IO;

/// <summary>Raw .bin tensors (msame style: the bytes only, the shape comes from the model) and text output.</summary>
public static class TensorFiles
{
    /// <summary>Reads a .bin file as a tensor of a known type and shape; the size must match exactly.</summary>
    public static TensorData ReadBin(string path, DataType type, int[] shape)
    {
        long expected = Shape.ElementCount(shape) * type.SizeOf();
        long actual = new FileInfo(path).Length;
        if (actual != expected)
            throw new InvalidDataException($"{type.Name()} {Shape.Format(shape)} needs {expected} bytes but the file has {actual}");
        return new TensorData(type, shape, File.ReadAllBytes(path));
    }

    /// <summary>Writes the raw little-endian elements (a .bin file, as msame writes).</summary>
    public static void WriteBin(string path, TensorData tensor) => File.WriteAllBytes(path, tensor.Bytes.ToArray());

    /// <summary>One line per innermost row, values separated by spaces (invariant culture, round-trippable).</summary>
    public static void WriteText(string path, TensorData tensor)
    {
        int row = tensor.Rank == 0 ? 1 : tensor.Dims[^1];
        var sb = new StringBuilder();
        long count = tensor.ElementCount;
        for (long i = 0; i < count; i++)
        {
            sb.Append(Format(tensor, (int)i));
            sb.Append(row > 0 && (i + 1) % row == 0 ? '\n' : ' ');
        }
        File.WriteAllText(path, sb.ToString());
    }

    private static string Format(TensorData t, int i) => t.Type switch
    {
        DataType.Float32 => t.AsSpan<float>()[i].ToString("R", CultureInfo.InvariantCulture),
        DataType.Float64 => t.AsSpan<double>()[i].ToString("R", CultureInfo.InvariantCulture),
        DataType.Float16 => t.AsSpan<Half>()[i].ToString(CultureInfo.InvariantCulture),
        DataType.Int64 => t.AsSpan<long>()[i].ToString(CultureInfo.InvariantCulture),
        DataType.Int32 => t.AsSpan<int>()[i].ToString(CultureInfo.InvariantCulture),
        DataType.UInt16 => t.AsSpan<ushort>()[i].ToString(CultureInfo.InvariantCulture),
        DataType.Int16 => t.AsSpan<short>()[i].ToString(CultureInfo.InvariantCulture),
        DataType.UInt32 => t.AsSpan<uint>()[i].ToString(CultureInfo.InvariantCulture),
        DataType.UInt64 => t.AsSpan<ulong>()[i].ToString(CultureInfo.InvariantCulture),
        DataType.BFloat16 => Core.BFloat16Bits.ToSingle(t.AsSpan<ushort>()[i]).ToString("R", CultureInfo.InvariantCulture),
        DataType.UInt8 => t.Bytes.Span[i].ToString(CultureInfo.InvariantCulture),
        DataType.Int8 => ((sbyte)t.Bytes.Span[i]).ToString(CultureInfo.InvariantCulture),
        DataType.Bool => t.Bytes.Span[i] != 0 ? "1" : "0",
        _ => "?",
    };
}
