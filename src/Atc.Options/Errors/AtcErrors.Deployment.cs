using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>Factories for the deployment options' diagnostics (precision, output types, fusion switches, ignored NPU options).</summary>
    public static partial class AtcErrors
    {
        /// <summary>ATC3000: an NPU option accepted and ignored, with what it means on the CPU target.</summary>
        public static AtcDiagnostic OptionIgnored(string option, string value, string cpuMeaning)
            => AtcDeploymentErrorCatalog.ATC3000.Create(option, null, option, value.Length == 0 ? "" : "=" + value, cpuMeaning);

        /// <summary>ATC3007: --weight given with a framework whose model file holds the weights.</summary>
        public static AtcDiagnostic WeightIgnored(string path, string framework)
            => AtcDeploymentErrorCatalog.ATC3007.Create(AtcOptionNames.Weight, null, path, framework);

        /// <summary>E10001 for a value outside ATC's fixed set, listing the set.</summary>
        public static AtcDiagnostic ValueNotInSet(string option, string value, IReadOnlyList<string> allowed)
            => InvalidValue(option, value, "The value must be one of [" + string.Join(", ", allowed) + "]",
                "Use --" + option + "=" + allowed[0] + " (or " + string.Join(", ", allowed) + ").");

        /// <summary>ATC3001: a fusion switch name that matches no pass here.</summary>
        public static AtcDiagnostic FusionSwitchUnknown(string name, string file, string? suggestion, IEnumerable<string> known)
            => AtcDeploymentErrorCatalog.ATC3001.Create(AtcOptionNames.FusionSwitchFile,
                suggestion != null ? "Did you mean " + suggestion + "?" : null,
                name, file, suggestion != null ? " (did you mean " + suggestion + "?)" : "", string.Join(", ", known));

        /// <summary>ATC3002: a configuration file named by an option has a bad line.</summary>
        public static AtcDiagnostic ConfigFileInvalid(string option, string file, int line, string reason, string format)
            => AtcDeploymentErrorCatalog.ATC3002.Create(option, null, file, option, line, reason, format);

        /// <summary>ATC3003: a HiFloat8 precision mode, kept float32.</summary>
        public static AtcDiagnostic PrecisionKeptFloat32(string option, string value, string float32Value)
            => AtcDeploymentErrorCatalog.ATC3003.Create(option, null, option, value, float32Value);

        /// <summary>ATC3004: a --keep_dtype name that is not a node of the model.</summary>
        public static AtcDiagnostic KeepDtypeNodeUnknown(string node, string file, int line, string? suggestion)
            => AtcDeploymentErrorCatalog.ATC3004.Create(AtcOptionNames.KeepDtype,
                suggestion != null ? "Did you mean [" + suggestion + "]?" : null, node, file, line);

        /// <summary>ATC4100: a per-node --output_type entry names a tensor that is not a model output.</summary>
        public static AtcDiagnostic OutputTypeNotModelOutput(string node, int index, IEnumerable<string> outputs)
            => AtcNumericTypeErrorCatalog.ATC4100.Create(AtcOptionNames.OutputType, null, AtcOptionNames.OutputType, index, node, string.Join(", ", outputs));

        /// <summary>E10016: a node named by an option is not in the model.</summary>
        public static AtcDiagnostic NodeNotFound(string option, string node, string? suggestion)
            => AtcErrorCatalog.E10016.Create(option, suggestion != null ? "Did you mean [" + suggestion + "]?" : null, node, option);
    }
}
