using System.Globalization;

namespace Atc.Options.Errors
{
    /// <summary>Factories for hostile or corrupt model contents and resource limits (ATC1100-ATC1104).</summary>
    public static partial class AtcErrors
    {
        /// <summary>ATC1100: an ONNX external_data location whose real path (links followed) leaves the model folder.</summary>
        public static AtcDiagnostic ExternalDataOutsideModel(string location, string tensor, string resolved, string modelFolder)
            => AtcErrorCatalog.ATC1100.Create(AtcOptionNames.Model, null, Printable(location), tensor, Printable(resolved), modelFolder);

        /// <summary>ATC1101: an external_data location that is malformed (control characters, absolute, a link loop)
        /// or names something other than a regular file.</summary>
        public static AtcDiagnostic ExternalDataInvalid(string location, string tensor, string modelFolder, string reason)
            => AtcErrorCatalog.ATC1101.Create(AtcOptionNames.Model, null, Printable(location), tensor, modelFolder, reason);

        /// <summary>ATC1102: a node with fewer or more inputs (or outputs) than its operator takes.</summary>
        public static AtcDiagnostic NodeArityInvalid(string node, string opType, string sourceOpType, string actual, string expected)
            => AtcErrorCatalog.ATC1102.Create(AtcOptionNames.Model, null, node, opType, sourceOpType, actual, expected);

        /// <summary>ATC1103: a node attribute stored with another type than its op requires.</summary>
        public static AtcDiagnostic AttributeTypeInvalid(string node, string opType, string attribute, string actual, string expected)
            => AtcErrorCatalog.ATC1103.Create(AtcOptionNames.Model, null, node, attribute, opType, actual, expected);

        /// <summary>ATC1104: a gear whose planned arena is above the limit (--arena_limit_mb). With
        /// <paramref name="estimatedFrom"/>, the gear was too large to plan and its size is scaled from that gear's.</summary>
        public static AtcDiagnostic ArenaLimitExceeded(string gear, long arenaBytes, long limitBytes, string? estimatedFrom = null)
            => AtcErrorCatalog.ATC1104.Create(AtcOptionNames.ArenaLimitMb, null, gear,
                estimatedFrom is null ? Megabytes(arenaBytes) : "about " + Megabytes(arenaBytes) + " (estimated from shape profile [" + estimatedFrom + "])",
                Megabytes(limitBytes));

        private static string Megabytes(long bytes)
            => (bytes / (1024.0 * 1024.0)).ToString(bytes < 1024 * 1024 ? "0.###" : "0", CultureInfo.InvariantCulture) + " MB";

        /// <summary>ATC1105: the compiler itself ran out of memory (a huge model or profile); reported, never a crash.</summary>
        public static AtcDiagnostic OutOfMemory(string activity) => AtcErrorCatalog.ATC1105.Create(null, null, activity);

        /// <summary>E10001: an option value that is an integer, but too large for a tensor dimension or a gear.</summary>
        public static AtcDiagnostic ValueTooLarge(string option, string value, long max)
            => InvalidValue(option, value, "[" + value + "] is larger than " + N(max) + ", the largest size a tensor dimension may have",
                "Use sizes up to " + N(max) + ".");

        /// <summary>Text from a model file (names, locations) with NUL and terminal control characters escaped, so that
        /// a hostile file cannot write escape sequences to the user's terminal.</summary>
        public static string Printable(string text)
        {
            var sb = new System.Text.StringBuilder(text.Length);
            foreach (char c in text)
            {
                if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            return sb.ToString();
        }
    }
}
