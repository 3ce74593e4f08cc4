using System;
using System.Linq;
using System.Reflection;

namespace Atc.Options.Errors
{
    /// <summary>
    /// Absolute help links for diagnostics. The base comes from the build property AtcDocsBaseUrl (derived from
    /// AtcRepositoryUrl, Directory.Build.props), which every assembly carries as AssemblyMetadata; these sources are
    /// compiled into the task, the analyzers and the generator, so each reads its own assembly's value.
    /// </summary>
    public static class HelpLinks
    {
        /// <summary>"https://host/owner/repo/blob/main/" (always ending in '/'); empty when the assembly has no value.</summary>
        public static string Base { get; } = ReadBase();

        /// <summary>The absolute link of a repository-relative page ("docs/errors.md#e10001").</summary>
        public static string Absolute(string relative) => Base + relative;

        /// <summary>A code's anchor on the error reference page (docs/errors.md), where every code is listed.</summary>
        public static string ForCode(string code) => Absolute(AtcErrorCatalog.HelpPage + "#" + code.ToLowerInvariant());

        private static string ReadBase()
        {
            var value = typeof(HelpLinks).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), false)
                .OfType<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => string.Equals(a.Key, "AtcDocsBaseUrl", StringComparison.Ordinal))?.Value;
            if (string.IsNullOrEmpty(value)) return "";
            return value!.EndsWith("/", StringComparison.Ordinal) ? value : value + "/";
        }
    }
}
