using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>
    /// This project's own codes for AIPP configuration files (--insert_op_conf), range ATC3100-ATC3199: ATC reports
    /// these cases only in its log, without a public code. A bad field value is ATC's E10001 and a mode this compiler
    /// does not run yet is ATC's E10055. Part of <see cref="AtcErrorCatalog.All"/>.
    /// </summary>
    public static class AtcAippErrorCatalog
    {
        private const string Template = "Write one block per pre-processed model input: aipp_op, then its fields as name: value "
            + "lines between braces (input_format: RGB888_U8, src_image_size_w: 224, ...); docs/aipp.md has a complete example.";

        public static readonly AtcErrorDescriptor ATC3100 = new AtcErrorDescriptor("ATC3100", "Aipp_Config_Syntax",
            "AIPP configuration [{0}] line {1}, column {2}: {3}.",
            "The file given to --insert_op_conf is not in protobuf text format.",
            Template, AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC3101 = new AtcErrorDescriptor("ATC3101", "Aipp_Unknown_Field",
            "AIPP configuration [{0}] line {1}, column {2}: [{3}] is not a field of {4}.",
            null, "Correct or remove the field; docs/aipp.md lists the fields of aipp_op.", AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC3102 = new AtcErrorDescriptor("ATC3102", "Aipp_Duplicate_Field",
            "AIPP configuration [{0}] line {1}, column {2}: field [{3}] is set again; it was first set at line {4}, column {5}.",
            null, "Keep one of the two lines.", AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC3103 = new AtcErrorDescriptor("ATC3103", "Aipp_Crop_Outside_Image",
            "AIPP configuration [{0}] line {1}, column {2}: the crop window {3} lies outside the source image {4}.",
            "load_start_pos + crop_size must not exceed src_image_size in either direction.",
            "Move load_start_pos_w/h or shrink crop_size_w/h so that the window fits inside the source image, or enlarge src_image_size_w/h.",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC3104 = new AtcErrorDescriptor("ATC3104", "Aipp_Size_Mismatch",
            "AIPP configuration [{0}] line {1}, column {2}: AIPP produces {3} images but model input [{4}] takes {5}.",
            "AIPP does not resize: the cropped (or source) image plus padding must be the model input's height and width.",
            "Make crop_size_w/h (src_image_size_w/h without crop) plus the padding equal the model input's width and height; 0 takes the model's size.",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC3105 = new AtcErrorDescriptor("ATC3105", "Aipp_Modes_Mixed",
            "AIPP configuration [{0}] line {1}, column {2}: aipp_mode [{3}] is mixed with aipp_mode [{4}] (line {5}); static and dynamic AIPP cannot be mixed in one model.",
            null, "Give every aipp_op block the same aipp_mode.", AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC3106 = new AtcErrorDescriptor("ATC3106", "Aipp_Required_Field_Missing",
            "AIPP configuration [{0}] line {1}, column {2}: the aipp_op block has no [{3}], which is required {4}.",
            null, "Add the field to the block, e.g. {5}.", AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC3107 = new AtcErrorDescriptor("ATC3107", "Aipp_Model_Input_Invalid",
            "AIPP configuration [{0}] line {1}, column {2}: {3}.",
            "AIPP turns a uint8 image into one 4-D float32 image input (NCHW or NHWC) of the model.",
            "Point related_input_rank (0-based) at the model's image input, one block per input, with an input_format of its channel count.",
            AtcErrorOrigin.Project);

        /// <summary>Every AIPP descriptor, in code order.</summary>
        public static IReadOnlyList<AtcErrorDescriptor> All { get; } = new List<AtcErrorDescriptor>
        {
            ATC3100, ATC3101, ATC3102, ATC3103, ATC3104, ATC3105, ATC3106, ATC3107,
        };
    }
}
