using System.Collections.Generic;
using System.Linq;

namespace Atc.Options
{
    /// <summary>
    /// The error catalog: every code this project reports, defined once and used by the CLI, the MSBuild task and the
    /// analyzers. Texts with an ATC counterpart are ATC's, verbatim (including its en dash in "–1").
    /// </summary>
    public static partial class AtcErrors
    {
        /// <summary>First line of every failed run, as ATC prints it.</summary>
        public const string RunFailedBanner = "ATC run failed, Please check the detail log, Try 'atc --help' for more information";
        public const string RunSucceededBanner = "ATC run success, welcome to the next use.";

        // ---- model file and framework errors (front ends) ----

        /// <summary>The model file does not exist or cannot be read.</summary>
        public static AtcDiagnostic ModelFileNotFound(string path) => new AtcDiagnostic("E10002",
            "Value [" + path + "] for parameter [--model] is invalid. Reason: the file does not exist or cannot be read.",
            solution: "Check that the path is right and the file is readable.", parameter: "model");

        /// <summary>The model file is not a valid model of the framework (truncated or malformed protobuf, wrong framework).</summary>
        public static AtcDiagnostic ModelParseFailed(string path, string framework, string detail) => new AtcDiagnostic("E19005",
            "Failed to parse file [" + path + "] as a " + framework + " model. Reason: " + detail + ".",
            solution: "Check that the file is a complete " + framework + " model and that --framework matches it.",
            parameter: "model");

        /// <summary>The model is well-formed protobuf but its graph is inconsistent (a dangling input, a duplicate name, ...).</summary>
        public static AtcDiagnostic InvalidModel(string detail) => new AtcDiagnostic("E19010",
            "The model graph is invalid: " + detail + ".",
            solution: "Re-export the model from its framework.", parameter: "model");

        /// <summary>Ops the compiler does not support; every op type is listed with the first node that uses it.</summary>
        public static AtcDiagnostic UnsupportedOps(IEnumerable<KeyValuePair<string, string>> opTypeAndNodeName)
        {
            var list = opTypeAndNodeName.Select(p => "[" + p.Key + "] (node [" + p.Value + "])").ToList();
            return new AtcDiagnostic("E11001",
                "The model contains " + list.Count + " unsupported op type(s): " + string.Join(", ", list) + ".",
                solution: "Replace these ops in the source model, or request support for them.", parameter: "model");
        }
    }
}
