using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>
    /// This project's own codes for float16 and quantised models (ATC4100-ATC4199): cases ATC has no code for. Each
    /// names the offending value and a way out.
    /// </summary>
    public static class AtcNumericTypeErrorCatalog
    {
        public static readonly AtcErrorDescriptor ATC4100 = new AtcErrorDescriptor("ATC4100", "Output_Type_Not_A_Model_Output",
            "[--{0}] names output {1} of node [{2}], which is not an output of the model (the model's outputs: {3}).",
            "--output_type changes the data type of model outputs; an inner node's tensor has no type of its own to give.",
            "Name a model output as node:index:TYPE, or add the node to --out_nodes first.",
            AtcErrorOrigin.Project);

        /// <summary>Every descriptor, in code order.</summary>
        public static IReadOnlyList<AtcErrorDescriptor> All { get; } = new[] { ATC4100 };
    }
}
