using System;
using System.Collections.Generic;

namespace Atc.Options.ItemRules
{
    /// <summary>
    /// The ATC options of one AscendModel item, as written in the project (metadata names are the item's attribute
    /// names). Shared by the MSBuild task and the analyzer so both see the same thing.
    /// </summary>
    public sealed class AscendModelOptions
    {
        /// <summary>Item metadata names with the ATC option each stands for (Atc.Options' one mapping).</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> MetadataToOption => AscendModelMetadata.ToOption;

        /// <summary>Metadata of an AscendModel item that are not ATC options: the wrapper's names, the arena limit, and
        /// what MSBuild and IDEs attach to any item. Anything else is reported as unknown (ATC3006).</summary>
        public static readonly IReadOnlyList<string> OtherMetadata = new[]
        {
            "ClassName", "Namespace",
            "Link", "Visible", "DependentUpon", "AutoGen", "DesignTime", "CopyToOutputDirectory", "Generator", "SubType",
        };

        private readonly Dictionary<string, string> _values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public AscendModelOptions(string modelPath, Func<string, string?> metadata)
        {
            ModelPath = modelPath;
            foreach (var pair in MetadataToOption)
            {
                var value = metadata(pair.Key);
                if (!string.IsNullOrWhiteSpace(value)) _values[pair.Key] = value!.Trim();
            }
        }

        public string ModelPath { get; }

        public string? this[string metadataName] => _values.TryGetValue(metadataName, out var value) ? value : null;

        public string? InputShape => this["InputShape"];
        public string? InputFormat => this["InputFormat"];
        public string? DynamicBatchSize => this["DynamicBatchSize"];
        public string? DynamicImageSize => this["DynamicImageSize"];
        public string? DynamicDims => this["DynamicDims"];
        public string? InputShapeRange => this["InputShapeRange"];
        public string? OutNodes => this["OutNodes"];
        public string? SocVersion => this["SocVersion"];

        /// <summary>ATC's --framework code: the Framework metadata, else inferred from the extension (.prototxt → 0,
        /// .pb → 3, .onnx → 5).</summary>
        public int? Framework
        {
            get
            {
                if (int.TryParse(this["Framework"], out var code)) return code;
                var lower = ModelPath.ToLowerInvariant();
                if (lower.EndsWith(".prototxt", StringComparison.Ordinal)) return 0;
                if (lower.EndsWith(".pb", StringComparison.Ordinal)) return 3;
                if (lower.EndsWith(".onnx", StringComparison.Ordinal)) return 5;
                return null;
            }
        }

        /// <summary>The metadata name for an ATC option name ("dynamic_batch_size" → "DynamicBatchSize").</summary>
        public static string? MetadataFor(string option) => AscendModelMetadata.ForOption(option);

        /// <summary>The options as ATC command-line arguments, in a stable order (also the content of the options stamp).</summary>
        public IEnumerable<string> ToArguments()
        {
            foreach (var pair in MetadataToOption)
            {
                if (pair.Key == "Framework" || pair.Key == "SocVersion") continue;
                var value = this[pair.Key];
                if (value is not null) yield return "--" + pair.Value + "=" + value;
            }
        }
    }
}
