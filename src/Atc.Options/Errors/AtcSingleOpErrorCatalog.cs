using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>
    /// This project's own codes for --singleop description files (ATC4240-ATC4279): ATC reports these cases from its
    /// operator library with no fixed code. Each names the file, the line and column, the offending value and a way out.
    /// </summary>
    public static class AtcSingleOpErrorCatalog
    {
        public static readonly AtcErrorDescriptor ATC4240 = new AtcErrorDescriptor("ATC4240", "SingleOp_Json_Invalid",
            "Single-op description [{0}] is not valid at line {1}, column {2}: {3}.",
            "The --singleop file must be a JSON array of op descriptions.",
            "Fix the file at line {1}; the form is [{{\"op\": \"Add\", \"input_desc\": [{{\"format\": \"ND\", \"shape\": [3, 3], \"type\": \"float\"}}, ...], \"output_desc\": [...], \"attr\": [...]}}].",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC4241 = new AtcErrorDescriptor("ATC4241", "SingleOp_Unknown_Op",
            "Op {0} of single-op description [{1}] (line {2}, column {3}) has op type [{4}], which this compiler cannot compile as a single op.",
            "Single ops are Ascend IR op types; this compiler maps a set of them onto its own operators (docs/atc-options.md, --singleop).",
            "Use one of: {5}; or wrap the op in a one-node ONNX model and compile that with --framework=5.",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC4242 = new AtcErrorDescriptor("ATC4242", "SingleOp_Desc_Invalid",
            "Op {0} [{1}] of single-op description [{2}] (line {3}, column {4}): {5}.",
            "A tensor description or attribute does not fit the op, or the output description differs from what the op computes.",
            "{6}",
            AtcErrorOrigin.Project);

        /// <summary>Every descriptor, in code order.</summary>
        public static IReadOnlyList<AtcErrorDescriptor> All { get; } = new[] { ATC4240, ATC4241, ATC4242 };
    }
}
