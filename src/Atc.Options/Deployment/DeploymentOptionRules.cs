using System.Collections.Generic;
using System.Linq;
using Atc.Options.Errors;
using Atc.Options.Parsing;

namespace Atc.Options.Deployment
{
    /// <summary>
    /// The model-independent rules of the options beyond shapes: values in ATC's fixed sets (E10001), ignored NPU
    /// options (ATC3000), options this compiler cannot do (E10055), precision modes (E10047 for both forms, ATC3003
    /// for HiFloat8), --output_type syntax. Files and node names are checked by the compiler.
    /// </summary>
    public static class DeploymentOptionRules
    {
        /// <summary>ATC's --output_type values this runtime produces (CANN 9's list without the 8-bit floats).</summary>
        public static readonly IReadOnlyList<string> OutputTypes = new[]
        {
            "FP32", "FP16", "UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "UINT64", "INT64", "DOUBLE",
        };

        /// <summary>ATC's 8-bit float output types (Atlas 350 only): valid for ATC, E10055 here.</summary>
        public static readonly IReadOnlyList<string> EightBitFloatOutputTypes = new[] { "HIF8", "FP8E5M2", "FP8E4M3FN" };

        public static DeploymentOptions Check(AtcCommandOptions options, List<AtcDiagnostic> diagnostics)
        {
            foreach (var pair in options.Others)
                CheckCatalogRow(pair.Key, pair.Value, diagnostics);

            var precision = PrecisionValue(options, AtcOptionNames.PrecisionMode, "force_fp32", diagnostics);
            var precisionV2 = PrecisionValue(options, AtcOptionNames.PrecisionModeV2, "origin", diagnostics);
            if (options.Get(AtcOptionNames.PrecisionMode) != null && options.Get(AtcOptionNames.PrecisionModeV2) != null)
                diagnostics.Add(AtcErrors.MutuallyExclusive(AtcOptionNames.PrecisionMode, AtcOptionNames.PrecisionModeV2,
                    "Keep only --precision_mode_v2 (ATC's newer form), e.g. --precision_mode_v2=origin."));

            return new DeploymentOptions(precision, precisionV2,
                FilePath(options, AtcOptionNames.KeepDtype, diagnostics),
                FilePath(options, AtcOptionNames.FusionSwitchFile, diagnostics),
                FilePath(options, AtcOptionNames.CheckReport, diagnostics),
                ParseOutputTypes(options.Get(AtcOptionNames.OutputType), diagnostics),
                OptionEntries.Split(options.Get(AtcOptionNames.InputFp16Nodes)).ToList());
        }

        /// <summary>The generic rules every table row gets: its fixed values, ignored or not supported.</summary>
        private static void CheckCatalogRow(string name, string? raw, List<AtcDiagnostic> diagnostics)
        {
            var info = AtcOptionCatalog.Find(name);
            if (info is null) return;
            var value = (raw ?? "").Trim();
            switch (info.Status)
            {
                case AtcOptionStatus.NotSupported:
                    diagnostics.Add(AtcErrors.NotSupported(name, "--" + name + ": " + info.Description,
                        "Remove --" + name + " from the command line."));
                    return;
                case AtcOptionStatus.Ignored:
                    // A bare flag (e.g. --enable_small_channel) is accepted as ATC's scripts write it.
                    if (value.Length != 0 && info.Values != null && !info.Values.Contains(value))
                    {
                        diagnostics.Add(AtcErrors.ValueNotInSet(name, value, info.Values));
                        return;
                    }
                    diagnostics.Add(AtcErrors.OptionIgnored(name, value, info.CpuMeaning ?? "it has no effect"));
                    return;
            }
        }

        private static string? PrecisionValue(AtcCommandOptions options, string name, string float32Value, List<AtcDiagnostic> diagnostics)
        {
            var raw = options.Get(name);
            if (raw is null) return null;
            var value = raw.Trim();
            var allowed = AtcOptionCatalog.Find(name)!.Values!;
            if (!allowed.Contains(value))
            {
                diagnostics.Add(value.Length == 0 ? AtcErrors.ValueEmpty(name, "Use --" + name + "=" + float32Value + ".") : AtcErrors.ValueNotInSet(name, value, allowed));
                return null;
            }
            if (PrecisionModes.Of(value) == WeightPrecision.Unavailable)
                diagnostics.Add(AtcErrors.PrecisionKeptFloat32(name, value, float32Value));
            return value;
        }

        private static string? FilePath(AtcCommandOptions options, string name, List<AtcDiagnostic> diagnostics)
        {
            var raw = options.Get(name);
            if (raw is null) return null;
            if (raw.Trim().Length == 0)
            {
                diagnostics.Add(AtcErrors.ValueEmpty(name, "Give --" + name + " a file path, e.g. --" + name + "=./" + name + ".cfg."));
                return null;
            }
            return raw.Trim();
        }

        /// <summary>"FP16" (every output) or "node:index:FP16;node2:0:FP32" (per node output).</summary>
        public static IReadOnlyList<OutputTypeSpec> ParseOutputTypes(string? text, List<AtcDiagnostic> diagnostics)
        {
            var specs = new List<OutputTypeSpec>();
            if (text is null) return specs;
            if (text.Trim().Length == 0)
            {
                diagnostics.Add(AtcErrors.ValueEmpty(AtcOptionNames.OutputType, "Use --output_type=FP32, or per output --output_type=\"node:0:FP32\"."));
                return specs;
            }
            foreach (var entry in OptionEntries.Split(text))
            {
                if (OutputTypes.Contains(entry))
                {
                    specs.Add(new OutputTypeSpec(null, 0, entry));
                    continue;
                }
                var named = entry.Substring(entry.LastIndexOf(':') + 1).Trim();
                if (EightBitFloatOutputTypes.Contains(named))
                {
                    diagnostics.Add(AtcErrors.NotSupported(AtcOptionNames.OutputType,
                        "--output_type " + named + " (in [" + entry + "]) is an 8-bit float type that ATC gives only the Atlas 350 NPU; this CPU runtime has no 8-bit float tensors",
                        "Use FP16 or FP32 (or an integer type: " + string.Join(", ", OutputTypes.Skip(2)) + ")."));
                    continue;
                }
                // The node name may contain ':'; index and type are the last two fields.
                int typeColon = entry.LastIndexOf(':');
                int indexColon = typeColon > 0 ? entry.LastIndexOf(':', typeColon - 1) : -1;
                var type = typeColon >= 0 ? entry.Substring(typeColon + 1).Trim() : entry;
                if (indexColon <= 0 || !int.TryParse(entry.Substring(indexColon + 1, typeColon - indexColon - 1).Trim(), out int index) || index < 0
                    || !OutputTypes.Contains(type))
                {
                    diagnostics.Add(AtcErrors.InvalidValue(AtcOptionNames.OutputType, entry,
                        "The value must be one of [" + string.Join(", ", OutputTypes) + "], or node:index:TYPE entries separated by ';' with TYPE one of them",
                        "Use --output_type=FP32, or e.g. --output_type=\"prob:0:FP32\"."));
                    continue;
                }
                specs.Add(new OutputTypeSpec(entry.Substring(0, indexColon).Trim(), index, type));
            }
            return specs;
        }
    }
}
