using System.Collections.Generic;

namespace Atc.Options.Parsing
{
    /// <summary>The ';'-separated entries of an option value, as every list option reads them.</summary>
    internal static class OptionEntries
    {
        /// <summary>Entries trimmed of blanks; empty ones (a trailing ';', or no value at all) are skipped.</summary>
        public static IEnumerable<string> Split(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) yield break;
            foreach (var raw in text!.Split(';'))
            {
                var entry = raw.Trim();
                if (entry.Length != 0) yield return entry;
            }
        }
    }
}
