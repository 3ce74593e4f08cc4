using Atc.Cli.Tests.Support;

namespace Atc.Cli.Tests;

/// <summary>The seed document's four failing command lines, their exact output, and the six fixes.</summary>
public static class SeedCases
{
    public const string Banner = "ATC run failed, Please check the detail log, Try 'atc --help' for more information";

    /// <summary>The command line of a seed case: model, framework 3, output, soc_version, then the shape options.</summary>
    public static string[] Args(string model, string output, string soc, params string[] shapeOptions)
        => ["--model=" + model, "--framework=3", "--output=" + output, "--soc_version=" + soc, .. shapeOptions];

    // (input name, shape options, expected output lines)
    public static readonly (string Input, string[] Options, string[] Lines) Case1 = ("Inputs", [],
    [
        Banner,
        "E10001: Value [-1] for parameter [Inputs] is invalid. Reason: maybe you should set input_shape to specify its shape",
        "Solution: Try again with a valid argument.",
        "Fix: --input_shape=\"Inputs:1,224,224,3\" for a fixed shape, or --input_shape=\"Inputs:-1,224,224,3\" --dynamic_batch_size=\"1,2,4,8\" for batches 1, 2, 4 and 8, or --input_shape=\"Inputs:1~10,224,224,3\" for any batch from 1 to 10.",
    ]);

    public static readonly (string Input, string[] Options, string[] Lines) Case2 = ("Placeholder",
        ["--input_shape=Placeholder:-1,224,224,3", "--dynamic_batch_size=2"],
    [
        Banner,
        "E10035: [--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims] has [1] profiles, which is less than the minimum ([2]).",
        "Solution: Ensure that the number of profiles configured in [--dynamic_batch_size], [--dynamic_image_size], or [--dynamic_dims] is at least the minimum.",
        "Fix: Give at least 2 profiles, e.g. --dynamic_batch_size=\"2,4\".",
    ]);

    public static readonly (string Input, string[] Options, string[] Lines) Case3 = ("Placeholder",
        ["--input_shape=Placeholder:-1,-1,-1,3", "--dynamic_batch_size=2,4,8"],
    [
        Banner,
        "E10018: Value [-1] for shape [1] is invalid. When [--dynamic_batch_size] is included, only batch size N can be –1 in [--input_shape].",
        "Possible Cause: When [--dynamic_batch_size] is included, only batch size N can be –1 in the shape.",
        "Solution: Try again with a valid [--input_shape] argument. Make sure that non-batch size axes are not –1.",
        "Fix: --input_shape=\"Placeholder:-1,224,224,3\" --dynamic_batch_size=\"2,4,8\". Only the first axis can vary with --dynamic_batch_size; to vary other axes use --dynamic_dims with --input_format=ND.",
    ]);

    public static readonly (string Input, string[] Options, string[] Lines) Case4 = ("Placeholder",
        ["--input_shape=Placeholder:-1,-1,-1,3", "--dynamic_image_size=448,448;224,224"],
    [
        Banner,
        "E10019: When [--dynamic_image_size] is included, only the height and width axes can be –1 in [--input_shape].",
        "Possible Cause: When [--dynamic_image_size] is included, only the height and width axes can be –1 in the shape.",
        "Solution: Try again with a valid [--input_shape] argument. Make sure that axes other than height and width are not –1.",
        "Fix: --input_shape=\"Placeholder:1,-1,-1,3\" --dynamic_image_size=\"448,448;224,224\" (NHWC: H is axis 1, W is axis 2).",
    ]);

    public static TheoryData<int> FailureCases => new() { 1, 2, 3, 4 };

    public static (string Input, string[] Options, string[] Lines) Failure(int n) => n switch
    {
        1 => Case1,
        2 => Case2,
        3 => Case3,
        _ => Case4,
    };

    /// <summary>The six fixes: input name, soc_version, options, expected gear kind and gear shapes (by gear).</summary>
    public static readonly (string Input, string Soc, string[] Options, string Kind, string[] Gears)[] Fixes =
    [
        ("Inputs", "Ascend310", ["--input_shape=Inputs:1,224,224,3"], "Static", ["1,224,224,3"]),
        ("Inputs", "Ascend310", ["--input_shape=Inputs:-1,224,224,3", "--dynamic_batch_size=1,2,4,8"], "Batch",
            ["1,224,224,3", "2,224,224,3", "4,224,224,3", "8,224,224,3"]),
        ("Inputs", "Ascend910", ["--input_shape=Inputs:1~10,224,224,3"], "Range", ["1,224,224,3", "10,224,224,3"]),
        ("Placeholder", "Ascend310", ["--input_shape=Placeholder:-1,224,224,3", "--dynamic_batch_size=2,4"], "Batch",
            ["2,224,224,3", "4,224,224,3"]),
        ("Placeholder", "Ascend310", ["--input_shape=Placeholder:-1,224,224,3", "--dynamic_batch_size=2,4,8"], "Batch",
            ["2,224,224,3", "4,224,224,3", "8,224,224,3"]),
        ("Placeholder", "Ascend310", ["--input_shape=Placeholder:1,-1,-1,3", "--dynamic_image_size=448,448;224,224"], "ImageSize",
            ["1,448,448,3", "1,224,224,3"]),
    ];

    public static TheoryData<int> FixCases => new() { 0, 1, 2, 3, 4, 5 };
}
