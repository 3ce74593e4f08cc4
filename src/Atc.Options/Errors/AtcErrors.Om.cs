using System.Collections.Generic;
using System.Linq;

namespace Atc.Options.Errors
{
    /// <summary>Errors about offline models (.om): planning gears at compile time, reading files, running them.</summary>
    public static partial class AtcErrors
    {
        /// <summary>The file is not a valid .om of this project (truncated, corrupt, or written by another tool).
        /// The runtime's OmFormatException carries the same code.</summary>
        public static AtcDiagnostic InvalidOmFile(string path, string detail)
            => AtcErrorCatalog.ATC2000.Create("om", null, path, detail);

        /// <summary>A node cannot be planned for one gear (its shape rule fails with that gear's input shapes).</summary>
        public static AtcDiagnostic GearInvalid(string nodeName, string opType, string gear, string detail)
            => AtcErrorCatalog.ATC1203.Create(null, null, nodeName, opType, gear, detail);

        /// <summary>An input file of the runner is missing, malformed, or does not fit the model.</summary>
        public static AtcDiagnostic RunnerInputInvalid(string path, string detail)
            => AtcErrorCatalog.ATC2200.Create("input", null, path, detail);

        /// <summary>The requested gear (--dymBatch, --dymHW, --dymDims, or the inputs' shapes) is not one the model was compiled for.</summary>
        public static AtcDiagnostic GearNotFound(string requested, IEnumerable<string> accepted, string parameter)
            => AtcErrorCatalog.ATC2201.Create(parameter, null, requested, parameter, string.Join(" | ", accepted.ToList()));

        /// <summary>A runner option has a value it cannot use (ATC's E10001).</summary>
        public static AtcDiagnostic RunnerOptionInvalid(string option, string value, string reason)
            => AtcErrorCatalog.E10001.Create(option, null, value, "--" + option, reason);

        /// <summary>A command-line token that is not an option of `atc run` (ATC's E10001).</summary>
        public static AtcDiagnostic RunnerArgumentUnknown(string token, IEnumerable<string> options)
            => AtcErrorCatalog.E10001.Create(null, "the options of atc run are " + string.Join(", ", options.ToList()) + ", written --name=value or --name value",
                token, "atc run", "it is not an option of atc run");

        /// <summary>The model failed while running (a kernel rejected its inputs).</summary>
        public static AtcDiagnostic RunFailed(string model, string detail)
            => AtcErrorCatalog.ATC2202.Create("model", null, model, detail);

        /// <summary>The run was cancelled: --timeout elapsed (or the caller's token, e.g. Ctrl+C, was cancelled).</summary>
        public static AtcDiagnostic RunStopped(string model, string reason)
            => AtcErrorCatalog.ATC2203.Create("model", null, model, reason);
    }
}
