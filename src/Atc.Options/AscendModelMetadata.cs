using System;
using System.Collections.Generic;

namespace Atc.Options
{
    /// <summary>
    /// THE mapping between an AscendModel item's metadata (the attributes a user writes in the project) and the ATC
    /// options they stand for. The MSBuild task and the analyzers word fixes and place diagnostics with it.
    /// </summary>
    public static class AscendModelMetadata
    {
        /// <summary>Item metadata names with the ATC option each stands for, in the order arguments are passed.</summary>
        public static readonly IReadOnlyList<KeyValuePair<string, string>> ToOption = new[]
        {
            new KeyValuePair<string, string>("InputShape", AtcOptionNames.InputShape),
            new KeyValuePair<string, string>("InputFormat", AtcOptionNames.InputFormat),
            new KeyValuePair<string, string>("DynamicBatchSize", AtcOptionNames.DynamicBatchSize),
            new KeyValuePair<string, string>("DynamicImageSize", AtcOptionNames.DynamicImageSize),
            new KeyValuePair<string, string>("DynamicDims", AtcOptionNames.DynamicDims),
            new KeyValuePair<string, string>("InputShapeRange", AtcOptionNames.InputShapeRange),
            new KeyValuePair<string, string>("OutNodes", AtcOptionNames.OutNodes),
            new KeyValuePair<string, string>("SocVersion", AtcOptionNames.SocVersion),
            new KeyValuePair<string, string>("Framework", AtcOptionNames.Framework),
            new KeyValuePair<string, string>("PrecisionMode", AtcOptionNames.PrecisionMode),
            new KeyValuePair<string, string>("PrecisionModeV2", AtcOptionNames.PrecisionModeV2),
            new KeyValuePair<string, string>("OutputType", AtcOptionNames.OutputType),
            new KeyValuePair<string, string>("InputFp16Nodes", AtcOptionNames.InputFp16Nodes),
            new KeyValuePair<string, string>("KeepDtype", AtcOptionNames.KeepDtype),
            new KeyValuePair<string, string>("FusionSwitchFile", AtcOptionNames.FusionSwitchFile),
            new KeyValuePair<string, string>("CheckReport", AtcOptionNames.CheckReport),
            new KeyValuePair<string, string>("InsertOpConf", AtcOptionNames.InsertOpConf),
            new KeyValuePair<string, string>("ArenaLimitMB", AtcOptionNames.ArenaLimitMb),
            new KeyValuePair<string, string>("Weight", AtcOptionNames.Weight),
        };

        /// <summary>The metadata name for an ATC option name ("dynamic_batch_size" or "--dynamic_batch_size" → "DynamicBatchSize").</summary>
        public static string? ForOption(string option)
        {
            option = option.TrimStart('-');
            foreach (var pair in ToOption)
                if (string.Equals(pair.Value, option, StringComparison.OrdinalIgnoreCase)) return pair.Key;
            return null;
        }
    }
}
