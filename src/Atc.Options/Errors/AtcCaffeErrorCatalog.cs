using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>
    /// ATC's codes for Caffe models (--framework=0), with ATC's texts (the GE error catalog, "Invalid_Argument_Caffe_Model_Data"
    /// and neighbours; %s arguments shown in brackets as elsewhere in this catalog). ATC has a code for every Caffe case
    /// this compiler reports, so there are no project-own codes here. Part of <see cref="AtcErrorCatalog.All"/>.
    /// </summary>
    public static class AtcCaffeErrorCatalog
    {
        public static readonly AtcErrorDescriptor E11001 = new AtcErrorDescriptor("E11001", "Invalid_Argument_Caffe_Model_Data",
            "input_dim and input_shape are mutually exclusive in NetParameter for Caffe model conversion.",
            null, "Remove either --input_dim or --input_shape from your atc command line.");

        public static readonly AtcErrorDescriptor E11003 = new AtcErrorDescriptor("E11003", "Invalid_Argument_Caffe_Model_Data",
            "The number of input_dim fields in the model is [{0}], which is not 4x the input count [{1}].",
            null, "Modify your Caffe model and try again.");

        public static readonly AtcErrorDescriptor E11004 = new AtcErrorDescriptor("E11004", "Invalid_Argument_Caffe_Model_Data",
            "The number of input shapes is [{0}], which does not match the number of inputs [{1}].",
            null, "Modify your Caffe model and try again.");

        public static readonly AtcErrorDescriptor E11009 = new AtcErrorDescriptor("E11009", "Not_Supported_Operator",
            "No Caffe parser is registered for Op [{0}] with optype [{1}].",
            null, "Check whether the Caffe plugin of the operator has been registered.");

        public static readonly AtcErrorDescriptor E11012 = new AtcErrorDescriptor("E11012", "Invalid_Argument_Caffe_Model_Data",
            "Unknown bottom blob [{0}] at layer [{1}]. The bottom blob is indexed [{2}].",
            null, "Modify your Caffe model and try again.");

        public static readonly AtcErrorDescriptor E11021 = new AtcErrorDescriptor("E11021", "Invalid_Argument_Caffe_Model_Data",
            "Model file [{0}] contains \"layers\" structures, which have been deprecated in Caffe and unsupported by ATC.",
            null, "Replace layers with layer.");

        public static readonly AtcErrorDescriptor E11022 = new AtcErrorDescriptor("E11022", "Invalid_Argument_Caffe_Model_Data",
            "Invalid prototxt file.",
            "No layer structures are found in the Caffe model.", "Invalid Caffe model. Modify the Caffe model and add the layer field.");

        public static readonly AtcErrorDescriptor E11023 = new AtcErrorDescriptor("E11023", "Invalid_Argument_Caffe_Model_Data",
            "Weight file contains \"layers\" structures, which have been deprecated in Caffe and unsupported by ATC.",
            null, "Replace layers with layer.");

        public static readonly AtcErrorDescriptor E11024 = new AtcErrorDescriptor("E11024", "Invalid_Argument_Caffe_Model_Data",
            "Invalid Caffe weight file.",
            "No layer structures are found in the Caffe weight file.", "Invalid Caffe weight file. Modify the Caffe weight file and add the layer field.");

        public static readonly AtcErrorDescriptor E11029 = new AtcErrorDescriptor("E11029", "Invalid_Argument_Caffe_Model_Data",
            "Op [{0}] exists in model file but not found in weight file.",
            null, "Try again with a valid Caffe model or weight file. Ensure that the two files match with each other.");

        public static readonly AtcErrorDescriptor E11032 = new AtcErrorDescriptor("E11032", "Invalid_Argument_Caffe_Model_Data",
            "Failed to parse message [{0}]. The error field is [{1}]. Reason: {2}.",
            null, "Check whether the Caffe model supports the field.");

        public static readonly AtcErrorDescriptor E11033 = new AtcErrorDescriptor("E11033", "Invalid_Argument_Caffe_Model_Weight",
            "Failed to convert the weight file. Blob [{0}] of size [{1}] is invalid. Reason: {2}.",
            "The blob size of the node in the Caffe weight file does not match the number of elements calculated based on its shape.",
            "Try again with a valid Caffe model or weight file. Ensure that the two files match with each other.");

        public static readonly AtcErrorDescriptor E11037 = new AtcErrorDescriptor("E11037", "Invalid_Argument_Caffe_Model_Data",
            "Op [{0}] has zero outputs.",
            null, "Nodes in the Caffe model must have at least one output.");

        public static readonly AtcErrorDescriptor E13005 = new AtcErrorDescriptor("E13005", "File_Operation_Error_Parse",
            "Failed to parse file [{0}].",
            null, "Check that a matched Protobuf version is installed and try again with a valid file. For details, see section \"--framework\" in ATC Instructions.");

        public static readonly AtcErrorDescriptor E13014 = new AtcErrorDescriptor("E13014", "Invalid_Argument",
            "Value [{0}] of parameter [{1}] for Op [{2}] is invalid. Reason: {3}.",
            null, null);

        /// <summary>Every descriptor, in code order.</summary>
        public static IReadOnlyList<AtcErrorDescriptor> All { get; } = new[]
        {
            E11001, E11003, E11004, E11009, E11012, E11021, E11022, E11023, E11024, E11029, E11032, E11033, E11037, E13005, E13014,
        };
    }
}
