using System;
using System.IO;
using System.Text;
using Atc.Options.Errors;

namespace Atc.Options.IO
{
    /// <summary>
    /// Writes a file so that it is either complete or absent, the one implementation for the compiler, the CLI and the
    /// MSBuild task: the bytes go to a temporary file in the same folder, which then replaces the target in one rename.
    /// A reader (the generator, the IDE, a parallel build) never sees half a file; a failure leaves the previous file
    /// (if any) untouched and no temporary behind.
    /// </summary>
    public static class AtomicFile
    {
        /// <summary>Writes <paramref name="bytes"/>; a failure is ATC's write error for <paramref name="parameter"/>.</summary>
        public static void WriteAllBytes(string path, byte[] bytes, string parameter)
        {
            string? temporary = null;
            try
            {
                temporary = TemporaryPathFor(path);
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(flushToDisk: true);
                }
                Replace(temporary, path);
                temporary = null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is System.Security.SecurityException)
            {
                throw new AtcException(AtcErrors.WriteFailed(path, parameter, e.Message.TrimEnd('.')));
            }
            finally
            {
                if (temporary != null) TryDelete(temporary);
            }
        }

        /// <summary>UTF-8 without a byte-order mark.</summary>
        public static void WriteAllText(string path, string text, string parameter)
            => WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text), parameter);

        /// <summary>A fresh name next to <paramref name="path"/> (same folder, so the final rename does not cross
        /// volumes), hidden and unique per writer; the folder is created.</summary>
        public static string TemporaryPathFor(string path)
        {
            var full = Path.GetFullPath(path);
            var folder = Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(folder);
            return Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        }

        /// <summary>Moves a finished temporary file over its destination in one step.</summary>
        public static void Replace(string temporaryPath, string destinationPath)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destinationPath))!);
            if (File.Exists(destinationPath)) File.Replace(temporaryPath, destinationPath, null, ignoreMetadataErrors: true);
            else File.Move(temporaryPath, destinationPath);
        }

        private static void TryDelete(string path)
        {
            try { File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
