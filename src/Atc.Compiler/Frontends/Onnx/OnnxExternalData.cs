using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Options;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>
/// Reads tensor data that an ONNX model keeps outside the .onnx file (data_location = EXTERNAL): the external_data
/// entries "location" (a path relative to the model's folder), "offset" and "length" (bytes).
/// </summary>
internal sealed class OnnxExternalData(string modelPath)
{
    private readonly string _modelPath = modelPath;

    public byte[] Read(TensorProto tensor, string what, long expectedBytes)
    {
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var entry in tensor.ExternalData)
        {
            switch (entry.Key)
            {
                case "location": location = entry.Value; break;
                case "offset": offset = ParseNumber(entry.Value, "offset", what); break;
                case "length": length = ParseNumber(entry.Value, "length", what); break;
            }
        }
        if (string.IsNullOrEmpty(location))
            throw Fail($"{what} stores its data externally but names no file (external_data has no 'location')");

        string folder = Path.GetDirectoryName(Path.GetFullPath(_modelPath)) ?? Directory.GetCurrentDirectory();
        string file = ResolveInside(folder, location, what);
        if (!File.Exists(file))
            throw Fail($"{what} stores its data in external file '{location}', which does not exist (looked for '{file}'); " +
                       "keep the data file next to the model");

        long fileSize = new FileInfo(file).Length;
        long count = length ?? expectedBytes;
        if (count != expectedBytes)
            throw Fail($"{what} declares {count} bytes of external data, but its type and shape need {expectedBytes}");
        if (offset > fileSize || count > fileSize - offset)
            throw Fail($"{what} reads bytes [{offset}, {offset + count}) of '{location}', but the file has only {fileSize} bytes");

        var bytes = new byte[count];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        stream.Seek(offset, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        return bytes;
    }

    // External data must stay inside the model's folder: a model file must not make the compiler read arbitrary files.
    private string ResolveInside(string folder, string location, string what)
    {
        if (Path.IsPathRooted(location))
            throw Fail($"{what} names external file '{location}' by an absolute path; ONNX requires a path relative to the model");
        string full = Path.GetFullPath(Path.Combine(folder, location));
        string root = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw Fail($"{what} names external file '{location}', which is outside the model's folder '{folder}'");
        return full;
    }

    private long ParseNumber(string text, string key, string what)
        => long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v)
            ? v
            : throw Fail($"{what} has external_data {key} '{text}', which is not a non-negative integer");

    private AtcException Fail(string detail) => new(AtcErrors.ModelParseFailed(_modelPath, "ONNX", detail));
}
