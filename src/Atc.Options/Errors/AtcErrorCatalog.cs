using System.Collections.Generic;
using System.Linq;

namespace Atc.Options.Errors
{
    /// <summary>
    /// Every code this project reports, defined once. Codes with <see cref="AtcErrorOrigin.Atc"/> carry ATC's message,
    /// possible cause and solution verbatim, as in ATC's error catalog (CANN GE "error_code.json" of the metadef
    /// repository, and the hiascend.com "GE Errors" pages of CANN 8.0; the en dash in "–1" follows those pages and the
    /// seed document). Codes prefixed "ATC" are this project's own, for cases ATC has no code for; their ranges are
    /// listed on docs/errors.md (ATC00xx build integration, ATC01xx build task, ATC1xxx compiler, ATC2xxx runtime and
    /// runner, ATC3xxx deployment options and AIPP, ATC9xxx source generator and internal errors).
    /// </summary>
    public static class AtcErrorCatalog
    {
        /// <summary>The error reference page (relative to the repository root); each code has an anchor on it.</summary>
        public const string HelpPage = "docs/errors.md";

        private const string AtcUsage = "Run the \"atc -h\" command to view the usage. For details, see ATC Instructions.";
        private const string ProfileOptions = "[--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims]";

        // ---- parameter errors (ATC "GE Errors", E10xxx) ----

        public static readonly AtcErrorDescriptor E10001 = new AtcErrorDescriptor("E10001", "Invalid_Argument",
            "Value [{0}] for parameter [{1}] is invalid. Reason: {2}",
            null, "Try again with a valid argument.");

        public static readonly AtcErrorDescriptor E10002 = new AtcErrorDescriptor("E10002", "Invalid_Argument_Tensor_Input_Shape",
            "Value [{0}] for parameter [--input_shape] is invalid. Reason: {1}. The value must be formatted as [{2}].",
            null, "The valid format is [input_name1:n1,c1,h1,w1;input_name2:n2,c2,h2,w2]. Replace [input_name#] with node names. Ensure that the shape values are integers.");

        public static readonly AtcErrorDescriptor E10004 = new AtcErrorDescriptor("E10004", "Invalid_Argument",
            "Value for [--{0}] is empty.",
            null, "Set a valid parameter value.");

        public static readonly AtcErrorDescriptor E10007 = new AtcErrorDescriptor("E10007", "Invalid_Argument",
            "[--{0}] is required. The value must be [{1}].",
            null, "Set a valid parameter value.");

        public static readonly AtcErrorDescriptor E10009 = new AtcErrorDescriptor("E10009", "Invalid_Argument_Tensor_Dynamic_Shape",
            "[--dynamic_batch_size], [--dynamic_image_size], [--input_shape_range], and [--dynamic_dims] are mutually exclusive.",
            null, "1.In dynamic shape scenarios, include only one of these options in your command line.  2.In static shape scenarios, remove these options from your command line.");

        public static readonly AtcErrorDescriptor E10010 = new AtcErrorDescriptor("E10010", "Invalid_Argument",
            "Value [{0}] for parameter [--log] is invalid.",
            null, "Select the value from [debug], [info], [warning], [error], and [null].");

        public static readonly AtcErrorDescriptor E10011 = new AtcErrorDescriptor("E10011", "Invalid_Argument_Tensor_Input_Shape",
            "Value [{0}] for parameter [--input_shape] is invalid. Shape values must be positive integers. The error value in the shape is {1}",
            null, "1. In static shape scenarios, set the shape values in [--input_shape] to positive integers. 2. In dynamic shape scenarios, add the related dynamic-input option in your command line, such as [--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims].");

        public static readonly AtcErrorDescriptor E10016 = new AtcErrorDescriptor("E10016", "Invalid_Argument_Operator_Name",
            "Opname [{0}] specified in [--{1}] is not found in the model, confirm whether this node name exists, or node is not split with the specified delimiter ';'",
            null, "Specify the name of an existing node in the graph.");

        public static readonly AtcErrorDescriptor E10017 = new AtcErrorDescriptor("E10017", "Invalid_Argument",
            "Input Op [{0}] specified in [--{1}] is invalid. The Op type must be Data.",
            null, AtcUsage);

        public static readonly AtcErrorDescriptor E10018 = new AtcErrorDescriptor("E10018", "Invalid_Argument_Tensor_Dynamic_Shape",
            "Value [{0}] for shape [{1}] is invalid. When [--dynamic_batch_size] is included, only batch size N can be –1 in [--input_shape].",
            "When [--dynamic_batch_size] is included, only batch size N can be –1 in the shape.",
            "Try again with a valid [--input_shape] argument. Make sure that non-batch size axes are not –1.");

        public static readonly AtcErrorDescriptor E10019 = new AtcErrorDescriptor("E10019", "Invalid_Argument_Tensor_Input_Shape",
            "When [--dynamic_image_size] is included, only the height and width axes can be –1 in [--input_shape].",
            "When [--dynamic_image_size] is included, only the height and width axes can be –1 in the shape.",
            "Try again with a valid [--input_shape] argument. Make sure that axes other than height and width are not –1.");

        public static readonly AtcErrorDescriptor E10020 = new AtcErrorDescriptor("E10020", "Invalid_Argument",
            "Value [{0}] for parameter [--dynamic_image_size] is invalid.",
            null, "The value must be formatted as [imagesize1_height,imagesize1_width;imagesize2_height,imagesize2_width]. Make sure that each profile has two dimensions.");

        public static readonly AtcErrorDescriptor E10022 = new AtcErrorDescriptor("E10022", "Invalid_Argument",
            "Path [{0}] for parameter [--{1}] does not include the file name.",
            null, "Add the file name to the path.");

        public static readonly AtcErrorDescriptor E10031 = new AtcErrorDescriptor("E10031", "Invalid_Argument_Tensor_Input_Shape",
            "[--dynamic_batch_size] is included, but none of the nodes specified in [--input_shape] have a batch size equaling –1.",
            "As [--dynamic_batch_size] is included, ensure that at least one of the nodes specified in [--input_shape] has a batch size equaling –1.",
            "1. In static shape scenarios, remove the [--dynamic_batch_size] option from your command line. 2. In dynamic shape scenarios, set the corresponding axis of the dynamic-shape input in [--input_shape] to –1.");

        public static readonly AtcErrorDescriptor E10035 = new AtcErrorDescriptor("E10035", "Invalid_Argument_Tensor_Dynamic_Shape",
            ProfileOptions + " has [{0}] profiles, which is less than the minimum ([{1}]).",
            null, "Ensure that the number of profiles configured in " + ProfileOptions + " is at least the minimum.");

        public static readonly AtcErrorDescriptor E10036 = new AtcErrorDescriptor("E10036", "Invalid_Argument_Tensor_Dynamic_Shape",
            ProfileOptions + " has [{0}] profiles, which is greater than the maximum ([{1}]).",
            null, "Ensure that the number of profiles configured in " + ProfileOptions + " is at most the maximum.");

        public static readonly AtcErrorDescriptor E10037 = new AtcErrorDescriptor("E10037", "Invalid_Argument_Tensor_Dynamic_Shape",
            "The profiles configured in " + ProfileOptions + " have inconsistent dimension counts. A profile has {0} dimensions while another has {1} dimensions.",
            null, "Ensure that the profiles configured in " + ProfileOptions + " have the same dimension count.");

        public static readonly AtcErrorDescriptor E10038 = new AtcErrorDescriptor("E10038", "Invalid_Argument_Tensor_Dynamic_Shape",
            "Dimension size [{0}] is invalid. The value must be greater than 0.",
            null, "Set the shape values of each profile to positive in " + ProfileOptions + ".");

        public static readonly AtcErrorDescriptor E10039 = new AtcErrorDescriptor("E10039", "Invalid_Argument_Tensor_Dynamic_Shape",
            "The " + ProfileOptions + " argument have duplicate profiles.",
            null, "Check that the profiles configured in " + ProfileOptions + " are unique.");

        public static readonly AtcErrorDescriptor E10040 = new AtcErrorDescriptor("E10040", "Invalid_Argument_Tensor_Input_Shape",
            "As the " + ProfileOptions + " argument is included, the corresponding nodes specified in [--input_shape] must have –1 axes and can not have '~'.",
            "In dynamic shape scenarios, when " + ProfileOptions + " argument is included, the corresponding shape value in the input node must be set to –1 and can not have '~'.",
            "1. In static shape scenarios, remove the [--dynamic_batch_size], [--dynamic_image_size] or [--dynamic_dims] option from your command line. 2. In dynamic multi-batch scenarios, set the corresponding axis of the dynamic-shape input in [--input_shape] to –1. 3. In dynamic shape scenarios, remove the [--dynamic_batch_size], [--dynamic_image_size] or [--dynamic_dims] option from your command line and set [--input_shape] to -1 or n1~n2.");

        public static readonly AtcErrorDescriptor E10045 = new AtcErrorDescriptor("E10045", "Invalid_Argument_Tensor_Dynamic_Shape",
            "The number of -1 axes in the [--input_shape] argument exceeds the dimension count per profile in [--dynamic_dims].",
            null, "Ensure that the number of -1 axes in the [--input_shape] argument matches the dimension count per profile in [--dynamic_dims].");

        public static readonly AtcErrorDescriptor E10046 = new AtcErrorDescriptor("E10046", "Invalid_Argument_Tensor_Dynamic_Shape",
            "The total number of -1 axes in the [--input_shape] argument is greater than the dimension count per profile in [--dynamic_dims].",
            null, "Ensure that the total number of -1 axes in the [--input_shape] argument is less than the dimension count per profile in [--dynamic_dims].");

        public static readonly AtcErrorDescriptor E10047 = new AtcErrorDescriptor("E10047", "Invalid_Argument",
            "[--{0}] and [--{1}] are mutually exclusive.",
            null, "Remove either of them and try again.");

        public static readonly AtcErrorDescriptor E10048 = new AtcErrorDescriptor("E10048", "Invalid_Argument",
            "Value [{0}] for parameter [--input_shape_range] is invalid. Reason: {1}. The value must be formatted as [{2}].",
            null, "Try again with a valid argument.");

        public static readonly AtcErrorDescriptor E10049 = new AtcErrorDescriptor("E10049", "Invalid_Argument_Tensor_Input_Shape",
            "Dimension count [{0}] configured in [--input_shape] does not match dimension count [{1}] of the node.",
            null, "Set the dimension count in [--input_shape] according to the dimension count of the node.");

        public static readonly AtcErrorDescriptor E10050 = new AtcErrorDescriptor("E10050", "Invalid_Argument_Tensor_Input_Shape_Range",
            "Current dimension size [{0}] is not in the range of [{1}–{2}] specified by [--input_shape].",
            null, "Set the dimension size according to [--input_shape].");

        public static readonly AtcErrorDescriptor E10053 = new AtcErrorDescriptor("E10053", "Invalid_Argument",
            "There is an error in the command line. Reason: {0}",
            null, "Check whether the command line parameter or used function is correct.");

        public static readonly AtcErrorDescriptor E10054 = new AtcErrorDescriptor("E10054", "Invalid_Argument",
            "The required parameter [{0}] for ATC is empty. Another possible reason is that the value of some parameter is not enclosed by quotation marks (\"\").",
            null, "Check whether the command line parameter format is correct.");

        public static readonly AtcErrorDescriptor E10055 = new AtcErrorDescriptor("E10055", "Not_Supported",
            "The operation is not supported. Reason: {0}",
            null, "Check whether the configured parameter or used function is supported.");

        // ---- graph errors around the options (ATC "GE Errors", E11xxx) ----

        public static readonly AtcErrorDescriptor E11016 = new AtcErrorDescriptor("E11016", "Invalid_Argument",
            "Failed to add Op [{0}] to NetOutput. Op output index [{1}] is not less than [{2}]. NetOutput input_index [{3}] is not less than [{4}].",
            null, "Try again with a valid [--out_nodes] argument.");

        public static readonly AtcErrorDescriptor E11017 = new AtcErrorDescriptor("E11017", "Invalid_Argument",
            "Failed to find node [{0}] specified by [--out_nodes].",
            null, "Try again with a valid [--out_nodes] argument.");

        // ---- file errors (ATC "GE Errors", E13xxx) ----

        public static readonly AtcErrorDescriptor E13000 = new AtcErrorDescriptor("E13000", "File_Operation_Error_Invalid_Path",
            "Path {0} is empty. Reason: {1}.",
            "The file does not exist.", "Try again with a valid directory.");

        public static readonly AtcErrorDescriptor E13001 = new AtcErrorDescriptor("E13001", "File_Operation_Error_Open",
            "Failed to open file {0}. Reason: {1}.",
            null, "Fix the error according to the error message.");

        public static readonly AtcErrorDescriptor E13004 = new AtcErrorDescriptor("E13004", "File_Operation_Error_Write",
            "Failed to write file {0}. Reason: {1}.",
            null, null);

        // ---- model errors of this project's front ends (ATC1200-ATC1299; ATC reports these cases with
        //      framework-specific codes, so the texts are this project's). ----

        public static readonly AtcErrorDescriptor ATC1200 = new AtcErrorDescriptor("ATC1200", "Not_Supported_Operator",
            "The model contains {0} unsupported op type(s): {1}.",
            null, "Replace these ops in the source model, or request support for them.", AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC1201 = new AtcErrorDescriptor("ATC1201", "File_Operation_Error_Parse",
            "Failed to parse file [{0}] as a {1} model. Reason: {2}.",
            null, "Check that the file is a complete {1} model and that --framework matches it.", AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC1202 = new AtcErrorDescriptor("ATC1202", "Invalid_Argument_Model",
            "The model graph is invalid: {0}.",
            null, "Re-export the model from its framework.", AtcErrorOrigin.Project);

        // ---- offline models (.om) and the runner (ATC2000-ATC2099 and ATC2200-ATC2299;
        //      Atc.Runtime.Format.OmFormatException carries ATC2000). ----

        public static readonly AtcErrorDescriptor ATC2000 = new AtcErrorDescriptor("ATC2000", "Invalid_Offline_Model",
            "The offline model [{0}] is invalid: {1}.",
            null, "Recompile the model with this version of atc; ATC's own NPU .om files do not load here.", AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC1203 = new AtcErrorDescriptor("ATC1203", "Invalid_Shape_Profile",
            "Node [{0}] (op [{1}]) is invalid for the shape profile [{2}]: {3}.",
            "The input shapes of this profile (from --input_shape and the dynamic-shape options) do not satisfy the node's shape rules.",
            "Remove this profile from --dynamic_batch_size, --dynamic_image_size or --dynamic_dims, or give --input_shape values the model accepts.",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC2200 = new AtcErrorDescriptor("ATC2200", "Invalid_Runner_Input",
            "Value [{0}] for parameter [--input] is invalid. Reason: {1}.",
            null, "Give one .npy or .bin file per model input, comma-separated, in model input order.", AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC2201 = new AtcErrorDescriptor("ATC2201", "Invalid_Runner_Profile",
            "Value [{0}] for parameter [--{1}] matches no shape profile of the model.",
            null, "Use one of the profiles the model was compiled with: {2}.", AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC2202 = new AtcErrorDescriptor("ATC2202", "Runner_Execution_Failed",
            "Running the offline model [{0}] failed: {1}.",
            null, "Check the inputs against the model's signature (atc --mode=1 prints it).", AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC2203 = new AtcErrorDescriptor("ATC2203", "Runner_Execution_Stopped",
            "Running the offline model [{0}] was stopped: {1}.",
            "A model can iterate as long as its file says (a Loop's trip count), so a run is bounded by --timeout.",
            "Raise --timeout if the model needs longer; if it should not, check the Loop trip counts of the model (atc --mode=1 prints its graph).",
            AtcErrorOrigin.Project);

        /// <summary>A failure that is not the user's mistake (a compiler bug). ATC has no public code for it.</summary>
        public static readonly AtcErrorDescriptor ATC9999 = new AtcErrorDescriptor("ATC9999", "Internal_Error",
            "Internal error: {0}.",
            null, "This is a bug in the compiler, not in your model or options. Please report it with the command line and the model.",
            AtcErrorOrigin.Project);

        // ---- this project's own codes for hostile or corrupt inputs and resource limits (ATC1100-ATC1199): cases ATC
        //      has no public code for. Every one names the offending value and a way out. ----

        public static readonly AtcErrorDescriptor ATC1100 = new AtcErrorDescriptor("ATC1100", "External_Data_Outside_Model",
            "External data [{0}] of {1} resolves to [{2}], which is outside the model folder [{3}].",
            "ONNX external_data must name a file inside the model's folder; links are followed to their real target.",
            "Move the data file into the model folder [{3}] (a copy, not a link to elsewhere) and name it by a relative path.",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC1101 = new AtcErrorDescriptor("ATC1101", "External_Data_Invalid_Location",
            "External data [{0}] of {1} in the model folder [{2}] is not usable: {3}.",
            null, "Re-export the model so that external_data names a regular file inside its folder by a plain relative path.",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC1102 = new AtcErrorDescriptor("ATC1102", "Invalid_Node_Arity",
            "Node [{0}] (op [{1}], from [{2}]) has {3}, but [{1}] takes {4}.",
            "The model file is malformed or was edited by hand: the node lacks inputs or outputs its operator needs.",
            "Re-export the model from its framework, or fix the node's inputs.",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC1103 = new AtcErrorDescriptor("ATC1103", "Invalid_Attribute_Type",
            "Attribute [{1}] of node [{0}] (op [{2}]) is {3}, but the op requires {4}.",
            "The model file stores the attribute with the wrong type.",
            "Re-export the model from its framework, or store the attribute as {4}.",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC1104 = new AtcErrorDescriptor("ATC1104", "Arena_Limit_Exceeded",
            "Shape profile [{0}] needs an arena of {1} for its intermediate tensors, above the limit of {2}.",
            "The profile's shapes (from --input_shape and the dynamic-shape options) make the model's intermediate tensors too large to run on this machine.",
            "Remove the profile from --dynamic_batch_size, --dynamic_image_size or --dynamic_dims, or raise the limit with --arena_limit_mb=N (0 = no limit; MSBuild item metadata ArenaLimitMB).",
            AtcErrorOrigin.Project);

        public static readonly AtcErrorDescriptor ATC1105 = new AtcErrorDescriptor("ATC1105", "Out_Of_Memory",
            "The compiler ran out of memory while {0}.",
            "The model or its shape profiles need more memory than this machine gives the compiler.",
            "Compile fewer or smaller shape profiles (--dynamic_batch_size, --dynamic_image_size, --dynamic_dims), keep --arena_limit_mb at its default, or compile on a machine with more memory.",
            AtcErrorOrigin.Project);

        // ---- this project's own runtime codes (ATC2100-ATC2199): sessions and threads, which ATC's runtime
        //      (AscendCL) reports without a code of the model compiler. ----

        /// <summary>One InferenceSession used by two threads at once (Atc.Runtime throws InvalidOperationException).</summary>
        public static readonly AtcErrorDescriptor ATC2100 = new AtcErrorDescriptor("ATC2100", "Session_Used_Concurrently",
            "InferenceSession of model [{0}] was entered by {1} while another thread was still inside it.",
            "A session holds the buffers of one run; two threads using it at once would overwrite each other's inputs, arena and outputs.",
            "Create one session per thread (InferenceModel.CreateSession), or call InferenceModel.Run, which is safe from any number of threads.",
            AtcErrorOrigin.Project);

        /// <summary>SessionOptions.ThreadCount above the cap: the runtime uses the cap and reports this warning.</summary>
        public static readonly AtcErrorDescriptor ATC2101 = new AtcErrorDescriptor("ATC2101", "Thread_Count_Capped",
            "SessionOptions.ThreadCount [{0}] exceeds the cap of [{1}] threads ({2} per processor on {3} processors); the session uses {1}.",
            "More compute threads than processors only add switching and spinning: the kernels are compute-bound.",
            "Set ThreadCount to 0 (one per processor) or to at most {1}.",
            AtcErrorOrigin.Project, AtcSeverity.Warning);

        /// <summary>A negative SessionOptions.ThreadCount (Atc.Runtime throws ArgumentOutOfRangeException).</summary>
        public static readonly AtcErrorDescriptor ATC2102 = new AtcErrorDescriptor("ATC2102", "Invalid_Thread_Count",
            "SessionOptions.ThreadCount [{0}] is invalid: it must be 0 (one per processor) or between 1 and [{1}].",
            null, "Set ThreadCount to 0, or to a number of threads between 1 and {1}.",
            AtcErrorOrigin.Project);

        /// <summary>Every descriptor, in code order.</summary>
        public static IReadOnlyList<AtcErrorDescriptor> All { get; } = new List<AtcErrorDescriptor>
        {
            E10001, E10002, E10004, E10007, E10009, E10010, E10011, E10016, E10017, E10018, E10019, E10020, E10022,
            E10031, E10035, E10036, E10037, E10038, E10039, E10040, E10045, E10046, E10047, E10048, E10049, E10050,
            E10053, E10054, E10055, ATC1200, E11016, E11017, E13000, E13001, E13004, ATC1201, ATC1202,
            ATC2000, ATC1203, ATC2200, ATC2201, ATC2202, ATC2203, ATC9999,
            ATC1100, ATC1101, ATC1102, ATC1103, ATC1104, ATC1105,
            ATC2100, ATC2101, ATC2102,
        }.Concat(AtcBuildErrorCatalog.All).Concat(AtcToolingErrorCatalog.All).Concat(AtcDeploymentErrorCatalog.All).Concat(AtcAippErrorCatalog.All).Concat(AtcAippRuntimeErrorCatalog.All).Concat(AtcNumericTypeErrorCatalog.All).Concat(AtcOperatorErrorCatalog.All).Concat(AtcDynamicShapeErrorCatalog.All).Concat(AtcCaffeErrorCatalog.All).Concat(AtcControlFlowErrorCatalog.All).Concat(AtcSingleOpErrorCatalog.All).OrderBy(d => d.Code, System.StringComparer.Ordinal).ToList();

        /// <summary>The descriptor of a code, or null.</summary>
        public static AtcErrorDescriptor? Find(string code) => All.FirstOrDefault(d => d.Code == code);
    }
}
