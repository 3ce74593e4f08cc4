using System.Globalization;
using Atc.Options.Parsing;

namespace Atc.Options.Errors
{
    /// <summary>Factories for command-line and shape-option diagnostics (ATC's E10xxx / E11xxx codes).</summary>
    public static partial class AtcErrors
    {
        /// <summary>ATC's bounds on the number of gears (profiles): (1, 100].</summary>
        public const int MinProfiles = 2, MaxProfiles = 100;

        private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

        // ---- generic parameter errors ----

        /// <summary>E10001 with a parameter given by its option name ("--mode") and a reason.</summary>
        public static AtcDiagnostic InvalidValue(string option, string value, string reason, string? fix = null)
            => AtcErrorCatalog.E10001.Create(option, fix, value, "--" + option, reason);

        /// <summary>E10004: an option was given with an empty value.</summary>
        public static AtcDiagnostic ValueEmpty(string option, string? fix = null)
            => AtcErrorCatalog.E10004.Create(option, fix ?? "Give --" + option + " a value, enclosed in quotation marks.", option);

        /// <summary>E10054: a required option is missing.</summary>
        public static AtcDiagnostic RequiredMissing(string option, string? fix = null)
            => AtcErrorCatalog.E10054.Create(option, fix, "--" + option);

        /// <summary>E10007: an option is required and must have one of the listed values.</summary>
        public static AtcDiagnostic RequiredValue(string option, string support, string? fix = null)
            => AtcErrorCatalog.E10007.Create(option, fix, option, support);

        /// <summary>E10010: --log is not one of debug, info, warning, error, null.</summary>
        public static AtcDiagnostic InvalidLogLevel(string value)
            => AtcErrorCatalog.E10010.Create(AtcOptionNames.Log, "Use --log=error (or debug, info, warning, null).", value);

        /// <summary>E10022: an output path names a folder, not a file.</summary>
        public static AtcDiagnostic PathWithoutFileName(string option, string path)
            => AtcErrorCatalog.E10022.Create(option, "Add a file name, e.g. --" + option + "=" + path + "model.", path, option);

        /// <summary>E10047: two options cannot be given together.</summary>
        public static AtcDiagnostic MutuallyExclusive(string option, string other, string? fix = null)
            => AtcErrorCatalog.E10047.Create(other, fix, option, other);

        /// <summary>E10053: the command line itself is malformed (an unknown option, a repeated option, ...).</summary>
        public static AtcDiagnostic CommandLineError(string reason, string? fix = null, string? parameter = null)
            => AtcErrorCatalog.E10053.Create(parameter, fix, reason);

        /// <summary>E10055: a valid ATC request this compiler does not implement (Caffe, MindSpore, other modes).</summary>
        public static AtcDiagnostic NotSupported(string parameter, string reason, string? fix = null)
            => AtcErrorCatalog.E10055.Create(parameter, fix, reason);

        // ---- --input_shape / --input_shape_range ----

        /// <summary>The seed's case 1: an input with a -1 (or unknown rank, "-2") axis and no --input_shape for it.</summary>
        public static AtcDiagnostic InputShapeRequired(string inputName, string value = "-1", string? fix = null)
            => AtcErrorCatalog.E10001.Create(AtcOptionNames.InputShape, fix, value, inputName,
                "maybe you should set input_shape to specify its shape");

        /// <summary>E10002: an --input_shape entry is malformed.</summary>
        public static AtcDiagnostic InputShapeMalformed(string entry, string reason, string? fix = null)
            => AtcErrorCatalog.E10002.Create(AtcOptionNames.InputShape, fix, entry, reason, InputShapeParser.Sample);

        /// <summary>E10011: an axis of --input_shape is 0 or a negative other than -1.</summary>
        public static AtcDiagnostic InputShapeNotPositive(string entry, string value)
            => AtcErrorCatalog.E10011.Create(AtcOptionNames.InputShape,
                "Use a positive size, -1 for a dynamic axis, or min~max for a range.", entry, value);

        /// <summary>E10048: an --input_shape_range entry is malformed.</summary>
        public static AtcDiagnostic InputShapeRangeMalformed(string entry, string reason, string? fix = null)
            => AtcErrorCatalog.E10048.Create(AtcOptionNames.InputShapeRange,
                fix ?? "Write each input as name:[min~max,...], e.g. " + ShapeText.Option(AtcOptionNames.InputShapeRange, "input:[1~10,224,224,3]") + ".",
                entry, reason, InputShapeRangeParser.Sample);

        /// <summary>E10016: an input named in an option is not in the model.</summary>
        public static AtcDiagnostic InputNotFound(string name, string option, string? fix)
            => AtcErrorCatalog.E10016.Create(option, fix, name, option);

        /// <summary>E10017: the name is a node of the model, but not an input (placeholder).</summary>
        public static AtcDiagnostic InputNotData(string name, string option, string? fix)
            => AtcErrorCatalog.E10017.Create(option, fix, name, option);

        /// <summary>E10049: --input_shape gives a different number of axes than the model declares.</summary>
        public static AtcDiagnostic RankMismatch(int configured, int declared, string? fix)
            => AtcErrorCatalog.E10049.Create(AtcOptionNames.InputShape, fix, configured, declared);

        /// <summary>E10050: a shape at run time is outside the range the model was compiled for.</summary>
        public static AtcDiagnostic RangeDimOutOfBounds(long dim, long min, long max)
            => AtcErrorCatalog.E10050.Create(AtcOptionNames.InputShape, null, N(dim), N(min), max < 0 ? "∞" : N(max));

        // ---- gear (profile) options ----

        /// <summary>E10009: more than one of the dynamic options.</summary>
        public static AtcDiagnostic DynamicOptionsExclusive(string? fix)
            => AtcErrorCatalog.E10009.Create(AtcOptionNames.DynamicBatchSize, fix);

        /// <summary>E10001: an item of a gear option is not an integer.</summary>
        public static AtcDiagnostic GearValueNotInteger(string option, string value, string item)
            => InvalidValue(option, value, "[" + item + "] is not an integer",
                "Write the profiles as positive integers, e.g. " + ShapeText.Option(option,
                    option == AtcOptionNames.DynamicBatchSize ? "1,2,4,8" : "224,224;448,448") + ".");

        /// <summary>E10001: a gear option with an empty item or profile ("1,2,", "1,,2", "1,2;;3,4").</summary>
        public static AtcDiagnostic GearListItemEmpty(string option, string value)
            => InvalidValue(option, value, "the list has an empty item (a doubled or trailing separator)",
                "Remove the extra separator, e.g. " + ShapeText.Option(option,
                    option == AtcOptionNames.DynamicBatchSize ? "1,2,4,8" : "224,224;448,448") + ".");

        /// <summary>E10020: --dynamic_image_size is not "h,w;h,w".</summary>
        public static AtcDiagnostic ImageSizeMalformed(string value, string? badItem)
            => AtcErrorCatalog.E10020.Create(AtcOptionNames.DynamicImageSize,
                (badItem is null ? "" : badItem.Length == 0 ? "A profile or value is empty (a doubled or trailing separator). " : "[" + badItem + "] is not an integer. ")
                + "Give each profile as height,width, e.g. " + ShapeText.Option(AtcOptionNames.DynamicImageSize, "224,224;448,448") + ".",
                value);

        /// <summary>E10018, the seed's case 3: a -1 outside N with --dynamic_batch_size. <paramref name="axis"/> is the first offending axis.</summary>
        public static AtcDiagnostic BatchAxisOnly(int axis, string? fix)
            => AtcErrorCatalog.E10018.Create(AtcOptionNames.InputShape, fix, "-1", axis);

        /// <summary>E10019, the seed's case 4: a -1 outside H, W with --dynamic_image_size.</summary>
        public static AtcDiagnostic ImageAxesOnly(string? fix)
            => AtcErrorCatalog.E10019.Create(AtcOptionNames.InputShape, fix);

        /// <summary>E10031: --dynamic_batch_size, but no input of --input_shape has -1 as its first axis.</summary>
        public static AtcDiagnostic NoBatchAxis(string? fix)
            => AtcErrorCatalog.E10031.Create(AtcOptionNames.InputShape, fix);

        /// <summary>E10035, the seed's case 2: fewer than 2 gears.</summary>
        public static AtcDiagnostic TooFewProfiles(string option, int count, string? fix)
            => AtcErrorCatalog.E10035.Create(option, fix, count, MinProfiles);

        /// <summary>E10036: more than 100 gears.</summary>
        public static AtcDiagnostic TooManyProfiles(string option, int count, string? fix)
            => AtcErrorCatalog.E10036.Create(option, fix, count, MaxProfiles);

        /// <summary>E10037: the gears of --dynamic_dims give different numbers of values.</summary>
        public static AtcDiagnostic InconsistentProfiles(string option, int one, int another, string? fix)
            => AtcErrorCatalog.E10037.Create(option, fix, one, another);

        /// <summary>E10038: a gear value is 0 or negative.</summary>
        public static AtcDiagnostic ProfileValueNotPositive(string option, long value, string? fix)
            => AtcErrorCatalog.E10038.Create(option, fix, N(value));

        /// <summary>E10039: the same gear twice.</summary>
        public static AtcDiagnostic DuplicateProfiles(string option, string? fix)
            => AtcErrorCatalog.E10039.Create(option, fix);

        /// <summary>E10040: a gear option, but --input_shape has no -1 (or has a~b ranges).</summary>
        public static AtcDiagnostic GearsNeedDynamicAxes(string? fix)
            => AtcErrorCatalog.E10040.Create(AtcOptionNames.InputShape, fix);

        /// <summary>E10045: one input has more -1 axes than each --dynamic_dims gear has values.</summary>
        public static AtcDiagnostic DimsFewerThanInputAxes(string? fix)
            => AtcErrorCatalog.E10045.Create(AtcOptionNames.DynamicDims, fix);

        /// <summary>E10046: all inputs together have more -1 axes than each --dynamic_dims gear has values.</summary>
        public static AtcDiagnostic DimsFewerThanTotalAxes(string? fix)
            => AtcErrorCatalog.E10046.Create(AtcOptionNames.DynamicDims, fix);

        // ---- --out_nodes ----

        /// <summary>E10001: an --out_nodes entry is malformed.</summary>
        public static AtcDiagnostic OutNodesMalformed(string entry, string reason, string? fix)
            => InvalidValue(AtcOptionNames.OutNodes, entry, reason, fix);

        /// <summary>E11017: a node of --out_nodes is not in the model.</summary>
        public static AtcDiagnostic OutNodeNotFound(string nodeName, string? fix)
            => AtcErrorCatalog.E11017.Create(AtcOptionNames.OutNodes, fix, nodeName);

        /// <summary>E11016: the output index of an --out_nodes entry is beyond the node's outputs.</summary>
        public static AtcDiagnostic OutNodeIndexOutOfRange(string nodeName, int index, int outputCount, int entryIndex, int entryCount, string? fix)
            => AtcErrorCatalog.E11016.Create(AtcOptionNames.OutNodes, fix, nodeName, index, outputCount, entryIndex, entryCount);
    }
}
