using Atc.Options;

namespace Atc.Cli;

/// <summary>The --help texts of ATC's options, as this compiler implements them.</summary>
internal static class AtcOptionsHelp
{
    public const string Description =
        "atc: an ATC-compatible model compiler. Converts a TensorFlow frozen GraphDef (.pb, --framework=3) or an ONNX model "
        + "(--framework=5) into an offline model (.om) with ATC's command line, rules and error codes. The generated code is for "
        + "Atc's portable CPU runtime whatever --soc_version says; the value is checked as ATC checks it and recorded in the .om "
        + "for compatibility. Example: atc --model=./resnet.pb --framework=3 --output=./out/resnet --soc_version=Ascend310 "
        + "--input_shape=\"Inputs:-1,224,224,3\" --dynamic_batch_size=\"1,2,4,8\"";

    public static string HelpName(string option) => option switch
    {
        AtcOptionNames.Mode => "0|1|3",
        AtcOptionNames.Framework => "3|5",
        AtcOptionNames.Log => "debug|info|warning|error|null",
        AtcOptionNames.InputShape => "\"name:n,c,h,w;name2:d,d\"",
        AtcOptionNames.InputFormat => "NCHW|NHWC|ND|NCDHW|NDHWC",
        AtcOptionNames.DynamicBatchSize => "\"1,2,4,8\"",
        AtcOptionNames.DynamicImageSize => "\"h,w;h,w\"",
        AtcOptionNames.DynamicDims => "\"d,d;d,d\"",
        AtcOptionNames.InputShapeRange => "\"name:[1~10,224,224,3]\"",
        AtcOptionNames.OutNodes => "\"node:0;node2:1\"",
        AtcOptionNames.ArenaLimitMb => "MB",
        AtcOptionNames.InsertOpConf => "aipp.cfg",
        _ => "value",
    };

    public static string Describe(string option) => option switch
    {
        AtcOptionNames.Mode => "0: convert the model to an .om (default). 1: write an .om (or, with --framework, a model) as JSON (--om, --json). 3: check the options and the model only; write nothing.",
        AtcOptionNames.Model => "The original model file: a TensorFlow frozen GraphDef (.pb) or an ONNX model (.onnx).",
        AtcOptionNames.Framework => "The framework of --model: 3 TensorFlow, 5 ONNX. (ATC's 0 Caffe and 1 MindSpore are reported as not supported.)",
        AtcOptionNames.Output => "The output path without extension; \".om\" is appended. The file is written atomically.",
        AtcOptionNames.SocVersion => "ATC's target chip (Ascend310, Ascend310B1, Ascend310P3, Ascend910, Ascend910B, Ascend910_9391, ...). Required as in ATC and recorded in the .om; the code is generated for Atc's portable CPU runtime whatever the value.",
        AtcOptionNames.InputShape => "Input shapes by input name, \";\" between inputs. -1 marks a dynamic axis (set by the gears, or any size without a gear option); a~b a range. Names may contain ':' (the shape follows the last one).",
        AtcOptionNames.InputFormat => "Layout of the inputs. NCHW or NHWC place H and W for --dynamic_image_size (default NHWC for TensorFlow, NCHW for ONNX); --dynamic_dims requires ND.",
        AtcOptionNames.DynamicBatchSize => "Gears of the batch axis N (the first axis, -1 in --input_shape): 2 to 100 positive values separated by ','.",
        AtcOptionNames.DynamicImageSize => "Gears of H and W (-1 in --input_shape, NCHW/NHWC only): 2 to 100 \"height,width\" pairs separated by ';'.",
        AtcOptionNames.DynamicDims => "Gears of every -1 axis of --input_shape, in order across the inputs: 2 to 100 profiles separated by ';'. Requires --input_format=ND.",
        AtcOptionNames.InputShapeRange => "ATC's older form of ranges: \"name:[1~10,224,224,3];name2:[...]\". Excludes the gear options.",
        AtcOptionNames.OutNodes => "The model outputs, by node name and output index; nodes they do not need are dropped.",
        AtcOptionNames.InsertOpConf => "AIPP image pre-processing (static aipp_op blocks): the input becomes a uint8 image; swap, crop, colour conversion, normalisation and padding run in the model. See docs/aipp.md.",
        AtcOptionNames.Om => "--mode=1: the .om to write as JSON (with --framework: the original model).",
        AtcOptionNames.Json => "--mode=1: the JSON file to write.",
        AtcOptionNames.ArenaLimitMb => "Not an ATC option: the largest arena (intermediate tensors, MB) one shape profile may need; a profile above it fails with ATC1104. 0 = no limit. Default: a quarter of the memory available to the compiler.",
        AtcOptionNames.Log => "Extra output on stderr: debug, info, warning, error, or null (default: none).",
        _ => "",
    };
}
