using System.Collections.Generic;
using System.Linq;

namespace Atc.Options
{
    /// <summary>Errors about offline models (.om): planning gears at compile time, reading files, running them.</summary>
    public static partial class AtcErrors
    {
        /// <summary>The file is not a valid .om of this project (truncated, corrupt, or written by another tool).
        /// The runtime's OmFormatException carries the same code.</summary>
        public static AtcDiagnostic InvalidOmFile(string path, string detail) => new AtcDiagnostic("E19020",
            "The offline model [" + path + "] is invalid: " + detail + ".",
            solution: "Recompile the model with this version of atc; ATC's own NPU .om files do not load here.",
            parameter: "om");

        /// <summary>A node cannot be planned for one gear (its shape rule fails with that gear's input shapes).</summary>
        public static AtcDiagnostic GearInvalid(string nodeName, string opType, string gear, string detail) => new AtcDiagnostic("E19021",
            "Node [" + nodeName + "] (op [" + opType + "]) is invalid for the shape profile [" + gear + "]: " + detail + ".",
            cause: "The input shapes of this profile (from --input_shape and the dynamic-shape options) do not satisfy the node's shape rules.",
            solution: "Remove this profile from --dynamic_batch_size, --dynamic_image_size or --dynamic_dims, or give --input_shape values the model accepts.");

        /// <summary>An input file of the runner is missing, malformed, or does not fit the model.</summary>
        public static AtcDiagnostic RunnerInputInvalid(string path, string detail) => new AtcDiagnostic("E19022",
            "Value [" + path + "] for parameter [--input] is invalid. Reason: " + detail + ".",
            solution: "Give one .npy or .bin file per model input, comma-separated, in model input order.",
            parameter: "input");

        /// <summary>The requested gear (--dymBatch, --dymHW, --dymDims, or the inputs' shapes) is not one the model was compiled for.</summary>
        public static AtcDiagnostic GearNotFound(string requested, IEnumerable<string> accepted, string parameter) => new AtcDiagnostic("E19023",
            "Value [" + requested + "] for parameter [--" + parameter + "] matches no shape profile of the model.",
            solution: "Use one of the profiles the model was compiled with: " + string.Join(" | ", accepted.ToList()) + ".",
            parameter: parameter);

        /// <summary>The model failed while running (a kernel rejected its inputs).</summary>
        public static AtcDiagnostic RunFailed(string model, string detail) => new AtcDiagnostic("E19024",
            "Running the offline model [" + model + "] failed: " + detail + ".",
            solution: "Check the inputs against the model's signature (atc --mode=1 prints it).",
            parameter: "model");
    }
}
