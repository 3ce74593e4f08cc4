using System.Text;
using Atc.Options;

namespace Atc.Compiler.Driver;

/// <summary>
/// Writes a file so that it is either complete or absent: the bytes go to a temporary file in the same folder, which
/// then replaces the target in one rename. A failure leaves the previous file (if any) untouched and no temporary.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, byte[] bytes, string parameter)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        string? temp = null;
        try
        {
            Directory.CreateDirectory(folder);
            temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            temp = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            throw new AtcException(AtcErrors.WriteFailed(path, parameter, e.Message.TrimEnd('.')));
        }
        finally
        {
            if (temp != null) TryDelete(temp);
        }
    }

    public static void WriteAllText(string path, string text, string parameter)
        => WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text), parameter);

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
