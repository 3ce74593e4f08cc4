using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>
    /// This project's own codes for ATC's deployment options (ATC3000-ATC3099): cases ATC has no code for because on
    /// an NPU the option does something. Each names the option, its value and a way out.
    /// </summary>
    public static class AtcDeploymentErrorCatalog
    {
        public static readonly AtcErrorDescriptor ATC3000 = new AtcErrorDescriptor("ATC3000", "Option_Ignored_On_Cpu",
            "[--{0}{1}] is accepted and ignored: on Atc's CPU target {2}.",
            "The option tunes something of an Ascend NPU that this compiler's CPU target does not have.",
            "Nothing to do; remove --{0} to silence this warning.",
            AtcErrorOrigin.Project, AtcSeverity.Warning);

        public static readonly AtcErrorDescriptor ATC3001 = new AtcErrorDescriptor("ATC3001", "Fusion_Switch_Unknown",
            "Fusion switch [{0}] in [{1}] matches no fusion pass of this compiler and is ignored{2}.",
            "The name is an ATC fusion rule this compiler has no counterpart for, a misspelling, or a pass that cannot be switched off.",
            "Use one of: {3}.",
            AtcErrorOrigin.Project, AtcSeverity.Warning);

        public static readonly AtcErrorDescriptor ATC3002 = new AtcErrorDescriptor("ATC3002", "Config_File_Invalid",
            "File [{0}] for parameter [--{1}] is invalid at line {2}: {3}.",
            null, "Fix the line; the expected format is {4}.",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC3003 = new AtcErrorDescriptor("ATC3003", "Precision_Computed_In_Float32",
            "[--{0}={1}] asks for HiFloat8, which Atc's CPU target does not have, so the model keeps float32 precision.",
            "HiFloat8 is an Ascend NPU format; this target stores weights as float32, float16 or bfloat16 only.",
            "Nothing to do (the results are at least as precise); use --{0}={2} to state float32 explicitly, or a bfloat16/float16 mode for 16-bit weights.",
            AtcErrorOrigin.Project, AtcSeverity.Warning);

        public static readonly AtcErrorDescriptor ATC3004 = new AtcErrorDescriptor("ATC3004", "Keep_Dtype_Node_Unknown",
            "Node [{0}] listed in [--keep_dtype] file [{1}] (line {2}) is not in the model and is ignored.",
            null, "Check the name against the model (atc --mode=1 --framework=N --om=model --json=model.json lists every node).",
            AtcErrorOrigin.Project, AtcSeverity.Warning);

        public static readonly AtcErrorDescriptor ATC3006 = new AtcErrorDescriptor("ATC3006", "AscendModel_Unknown_Metadata",
            "<AscendModel Include=\"{0}\"> has metadata [{1}], which is not an option of the item and is ignored.{2}",
            "A misspelt metadata name compiles the model without that option (e.g. DynamicBatchSizes compiles no batch gears).",
            "Use one of: {3}.",
            AtcErrorOrigin.Project, AtcSeverity.Warning);

        public static readonly AtcErrorDescriptor ATC3007 = new AtcErrorDescriptor("ATC3007", "Weight_Ignored_For_Framework",
            "[--weight={0}] is ignored: a {1} model carries its weights in --model.",
            "Only a Caffe model (--framework=0) has a separate weight file; ATC ignores --weight for the other frameworks.",
            "Remove --weight, or use --framework=0 if --model is a Caffe .prototxt.",
            AtcErrorOrigin.Project, AtcSeverity.Warning);

        /// <summary>Every descriptor, in code order.</summary>
        public static IReadOnlyList<AtcErrorDescriptor> All { get; } = new[] { ATC3000, ATC3001, ATC3002, ATC3003, ATC3004, ATC3006, ATC3007 };
    }
}
