using System;
using System.Collections.Generic;
using System.IO;

namespace Atc.MSBuild
{
    /// <summary>
    /// Removes the temporaries a killed build left in the models' output folder (a SIGKILL during a write leaves a
    /// multi-megabyte hidden .tmp). Called with the folder's <see cref="BuildLock"/> held, and it removes only files of
    /// ours (by <see cref="PartialOutputs"/>' name pattern) whose owner process is gone.
    /// </summary>
    public static class StaleTemporaries
    {
        public static IReadOnlyList<string> Remove(string folder) => Remove(folder, PartialOutputs.ProcessStartUtc);

        public static IReadOnlyList<string> Remove(string folder, Func<int, DateTime?> processStartUtc)
        {
            var removed = new List<string>();
            if (!Directory.Exists(folder)) return removed;
            foreach (var path in Directory.GetFileSystemEntries(folder))
            {
                try
                {
                    var isFolder = Directory.Exists(path);
                    var written = isFolder ? Directory.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path);
                    if (!PartialOutputs.IsStale(Path.GetFileName(path), written, processStartUtc)) continue;
                    if (isFolder) Directory.Delete(path, recursive: true);
                    else File.Delete(path);
                    removed.Add(path);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // In use or protected after all: left for a later build.
                }
            }
            return removed;
        }
    }
}
