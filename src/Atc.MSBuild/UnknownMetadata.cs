using System;
using System.Collections.Generic;
using System.Linq;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.ItemRules;
using Atc.Options.Rules;
using Microsoft.Build.Framework;

namespace Atc.MSBuild
{
    /// <summary>
    /// Custom metadata written on an &lt;AscendModel&gt; item that is no option of it (ATC3006, with a did-you-mean):
    /// a misspelt name would otherwise compile the model silently without that option.
    /// </summary>
    public static class UnknownMetadata
    {
        /// <summary>The names a user may write on the item.</summary>
        public static IReadOnlyList<string> Known { get; } =
            AscendModelOptions.MetadataToOption.Select(p => p.Key).Concat(AscendModelOptions.OtherMetadata).ToList();

        public static IEnumerable<(string Name, AtcDiagnostic Diagnostic)> Find(ITaskItem model, string itemSpec)
        {
            foreach (var raw in model.MetadataNames)
            {
                var name = raw as string;
                if (name is null || IsKnownOrInternal(name)) continue;
                var near = NameSuggestions.Closest(name, Known);
                yield return (name, AtcDeploymentErrorCatalog.ATC3006.Create(null, near is null ? null : "Did you mean " + near + "?",
                    itemSpec, name, near is null ? "" : " Did you mean " + near + "?", string.Join(", ", Known)));
            }
        }

        // Well-known item metadata (FullPath, ModifiedTime, ...) and what the build's own targets add (Atc*, OmPath, ...).
        private static readonly HashSet<string> Internal = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "FullPath", "RootDir", "Filename", "Extension", "RelativeDir", "Directory", "RecursiveDir", "Identity",
            "ModifiedTime", "CreatedTime", "AccessedTime", "DefiningProjectFullPath", "DefiningProjectDirectory",
            "DefiningProjectName", "DefiningProjectExtension", "ModelFullPath", "OmPath", "ManifestPath", "StampPath",
            "LogicalName", "WithCulture", "Type", "OriginalItemSpec",
        };

        private static bool IsKnownOrInternal(string name)
            => Internal.Contains(name) || name.StartsWith("Atc", StringComparison.Ordinal) || name.StartsWith("_", StringComparison.Ordinal)
               || Known.Contains(name, StringComparer.OrdinalIgnoreCase);
    }
}
