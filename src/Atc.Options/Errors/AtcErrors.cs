using System.Collections.Generic;
using System.Linq;

namespace Atc.Options.Errors
{
    /// <summary>
    /// Factories for every diagnostic, over the descriptor table in <see cref="AtcErrorCatalog"/>. Used by the CLI,
    /// the MSBuild task and the analyzers. Texts with an ATC counterpart are ATC's, verbatim (including its en dash in
    /// "–1"). Option and shape errors are in AtcErrors.Options.cs.
    /// </summary>
    public static partial class AtcErrors
    {
        /// <summary>First line of every failed run, as ATC prints it.</summary>
        public const string RunFailedBanner = "ATC run failed, Please check the detail log, Try 'atc --help' for more information";
        public const string RunSucceededBanner = "ATC run success, welcome to the next use.";

        // ---- model file and framework errors (front ends) ----

        /// <summary>The model file does not exist or cannot be read (ATC's E13000 with the operating system's reason).</summary>
        public static AtcDiagnostic ModelFileNotFound(string path) => FileNotFound(path, "model");

        /// <summary>A file named by an option (--model, --om, ...) does not exist.</summary>
        public static AtcDiagnostic FileNotFound(string path, string parameter) => AtcErrorCatalog.E13000.Create(parameter,
            "Check the path given to --" + parameter + ": [" + path + "] does not exist or is not a readable file.",
            "[" + path + "]", "No such file or directory");

        /// <summary>The model file is not a valid model of the framework (truncated or malformed protobuf, wrong framework).</summary>
        public static AtcDiagnostic ModelParseFailed(string path, string framework, string detail)
            => AtcErrorCatalog.ATC1201.Create("model", null, path, framework, detail);

        /// <summary>The model is well-formed protobuf but its graph is inconsistent (a dangling input, a duplicate name, ...).</summary>
        public static AtcDiagnostic InvalidModel(string detail) => AtcErrorCatalog.ATC1202.Create("model", null, detail);

        /// <summary>Ops the compiler does not support; every op type is listed with the first node that uses it.</summary>
        public static AtcDiagnostic UnsupportedOps(IEnumerable<KeyValuePair<string, string>> opTypeAndNodeName)
        {
            var list = opTypeAndNodeName.Select(p => "[" + p.Key + "] (node [" + p.Value + "])").ToList();
            return AtcErrorCatalog.ATC1200.Create("model", null, list.Count, string.Join(", ", list));
        }

        /// <summary>A file could not be written (the output .om or .json); nothing half-written is left behind.</summary>
        public static AtcDiagnostic WriteFailed(string path, string parameter, string reason)
            => AtcErrorCatalog.E13004.Create(parameter, "Check that the folder of [" + path + "] is writable and has free space.",
                "[" + path + "]", reason);

        /// <summary>A file exists but could not be read.</summary>
        public static AtcDiagnostic ReadFailed(string path, string parameter, string reason)
            => AtcErrorCatalog.E13001.Create(parameter, "Check the permissions of [" + path + "].", "[" + path + "]", reason);

        /// <summary>A compiler bug surfaced as an exception: reported with a code, never as a stack trace.</summary>
        public static AtcDiagnostic InternalError(string detail) => AtcErrorCatalog.ATC9999.Create(null, null, detail);
    }
}
