using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>
    /// This project's own codes for dynamic AIPP at run time (range ATC3200-ATC3299): the per-run parameters a caller
    /// gives an input compiled with aipp_mode: dynamic (Atc.Runtime's InferenceModel.CreateAippInput and the kernel
    /// throw InferenceInputException with these texts; Atc.Runtime repeats them in RuntimeErrors, a test keeps them
    /// in step). ATC's runtime (AscendCL) returns a bare status for these. Part of <see cref="AtcErrorCatalog.All"/>.
    /// </summary>
    public static class AtcAippRuntimeErrorCatalog
    {
        public static readonly AtcErrorDescriptor ATC3200 = new AtcErrorDescriptor("ATC3200", "Aipp_Dynamic_Parameter_Invalid",
            "Dynamic AIPP parameter [{0}] = [{1}] for input [{2}] is invalid: {3}.",
            "A field of AippDynamicParameters is out of its range or does not fit the model input (the crop plus padding must give the model's image size).",
            "{4}",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC3201 = new AtcErrorDescriptor("ATC3201", "Aipp_Dynamic_Image_Too_Large",
            "The {0} source image of (w x h) {1} x {2} for input [{3}] needs {4} bytes, more than its max_src_image_size [{5}].",
            "Each batch item of a dynamic AIPP input has room for max_src_image_size bytes, fixed at compile time.",
            "Send an image of at most {5} bytes (crop or scale it first), or recompile with max_src_image_size: {4} or more.",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC3202 = new AtcErrorDescriptor("ATC3202", "Aipp_Dynamic_Input_Unknown",
            "Input [{0}] of model [{1}] has no dynamic AIPP; the inputs with dynamic AIPP are [{2}].",
            null,
            "Pass the name of the image input compiled with aipp_mode: dynamic.",
            AtcErrorOrigin.Project);

        /// <summary>Every descriptor, in code order.</summary>
        public static IReadOnlyList<AtcErrorDescriptor> All { get; } = new[] { ATC3200, ATC3201, ATC3202 };
    }
}
