using Atc.Options;

namespace Atc.Cli;

/// <summary>The --help texts of ATC's options: the rows of <see cref="AtcOptionCatalog"/> with their status here.</summary>
internal static class AtcOptionsHelp
{
    public const string Description =
        "atc: an ATC-compatible model compiler. Converts a TensorFlow frozen GraphDef (.pb, --framework=3) or an ONNX model "
        + "(--framework=5) into an offline model (.om) with ATC's command line, rules and error codes. The generated code is for "
        + "Atc's portable CPU runtime whatever --soc_version says; the value is checked as ATC checks it and recorded in the .om "
        + "for compatibility. An option given twice takes its last value. Options marked [ignored] are accepted with warning "
        + "ATC3000; docs/atc-options.md lists every option with its status. Example: atc --model=./resnet.pb --framework=3 "
        + "--output=./out/resnet --soc_version=Ascend310 --input_shape=\"Inputs:-1,224,224,3\" --dynamic_batch_size=\"1,2,4,8\"";

    public static string HelpName(string option) => AtcOptionCatalog.Find(option)?.HelpName ?? "value";

    public static string Describe(string option)
    {
        var info = AtcOptionCatalog.Find(option);
        if (info is null) return "";
        return info.Status switch
        {
            AtcOptionStatus.Ignored => "[ignored] " + info.Description + " On a CPU target " + info.CpuMeaning + ".",
            AtcOptionStatus.NotSupported => "[not supported] " + info.Description,
            _ => info.Description,
        };
    }
}
