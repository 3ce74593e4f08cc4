using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>
/// Reads tensor data that an ONNX model keeps outside the .onnx file (data_location = EXTERNAL): the external_data
/// entries "location" (a path relative to the model's folder), "offset" and "length" (bytes). A model must not make
/// the compiler read anything but its own data: the location's real path (every link resolved) must be a regular
/// file inside the model folder's real path, and exactly the declared bytes are read from that resolved file.
/// </summary>
internal sealed class OnnxExternalData(string modelPath)
{
    private readonly string _modelPath = modelPath;
    private string? _realFolder;

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

        long count = length ?? expectedBytes;
        if (count != expectedBytes)
            throw Fail($"{what} declares {count} bytes of external data, but its type and shape need {expectedBytes}");

        string folder = RealFolder();
        string file = ResolveInside(folder, location, what);
        long fileSize = new FileInfo(file).Length; // of the resolved file, never of a link
        if (offset > fileSize || count > fileSize - offset)
            throw Fail($"{what} reads bytes [{offset}, {(decimal)offset + count}) of '{location}', but the file has only {fileSize} bytes");
        if (count == 0) return [];

        // Only a regular file has a size: FIFOs and devices report 0 and were refused above, before any open (opening
        // a FIFO would block).
        var bytes = new byte[count];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (!stream.CanSeek || stream.Length != fileSize)
            throw Invalid(location, what, folder, "it is not a regular file");
        stream.Seek(offset, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        return bytes;
    }

    // The model's folder with every link resolved: the reference every location is checked against.
    private string RealFolder()
    {
        if (_realFolder is not null) return _realFolder;
        string folder = Path.GetDirectoryName(Path.GetFullPath(_modelPath)) ?? Directory.GetCurrentDirectory();
        return _realFolder = RealPath.Resolve(folder);
    }

    private string ResolveInside(string folder, string location, string what)
    {
        if (location.Any(char.IsControl))
            throw Invalid(location, what, folder, "the location contains NUL or control characters");
        if (Path.IsPathRooted(location) || location.StartsWith('/') || location.StartsWith('\\'))
            throw Invalid(location, what, folder, "the location is an absolute path; ONNX requires a path relative to the model");

        string resolved;
        try
        {
            resolved = RealPath.Resolve(Path.Combine(folder, location));
        }
        catch (RealPath.LinkLoopException e)
        {
            throw Invalid(location, what, folder, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Invalid(location, what, folder, e.Message.TrimEnd('.'));
        }

        string root = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        if (!resolved.StartsWith(root, StringComparison.Ordinal))
            throw new AtcException(AtcErrors.ExternalDataOutsideModel(location, what, resolved, folder));
        if (Directory.Exists(resolved))
            throw Invalid(location, what, folder, "it is a folder, not a regular file");
        if (!File.Exists(resolved))
            throw Fail($"{what} stores its data in external file '{location}', which does not exist (looked for '{resolved}'); " +
                       "keep the data file next to the model");
        return resolved;
    }

    private long ParseNumber(string text, string key, string what)
        => long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v)
            ? v
            : throw Fail($"{what} has external_data {key} '{text}', which is not a non-negative integer");

    private static AtcException Invalid(string location, string what, string folder, string reason)
        => new(AtcErrors.ExternalDataInvalid(location, what, folder, reason));

    private AtcException Fail(string detail) => new(AtcErrors.ModelParseFailed(_modelPath, "ONNX", detail));
}
