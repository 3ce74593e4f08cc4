using System;
using System.Globalization;
using System.IO;
using Atc.Options.Manifest;

namespace Atc.MSBuild
{
    /// <summary>
    /// The one line a build prints per compiled model at minimal verbosity:
    /// `compiled Models/x.pb (3 gears, 14.2 MB) in 1.2 s`.
    /// </summary>
    public static class CompiledSummary
    {
        public static string Format(string itemSpec, string manifestPath, string omPath, TimeSpan elapsed)
        {
            var gears = GearCount(manifestPath);
            var gearText = gears is null ? "" : gears.Value + (gears.Value == 1 ? " gear, " : " gears, ");
            var size = File.Exists(omPath) ? new FileInfo(omPath).Length : 0;
            return string.Format(CultureInfo.InvariantCulture, "compiled {0} ({1}{2}) in {3:0.0} s",
                itemSpec.Replace('\\', '/'), gearText, Size(size), elapsed.TotalSeconds);
        }

        /// <summary>1,234 B; 12.3 KB; 14.2 MB (powers of 1024, as file managers show them).</summary>
        public static string Size(long bytes)
        {
            if (bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + " B";
            if (bytes < 1024 * 1024) return (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB";
            return (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
        }

        private static int? GearCount(string manifestPath)
        {
            try
            {
                return ManifestFormat.TryParse(File.ReadAllText(manifestPath), out var manifest, out _) ? manifest!.Gears.Count : (int?)null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}
