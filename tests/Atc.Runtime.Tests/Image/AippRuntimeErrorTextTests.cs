using Atc.Options.Errors;
using Atc.Runtime;

namespace Atc.Tests.Image;

/// <summary>The runtime repeats the catalog's dynamic AIPP texts (it has no dependency on Atc.Options): keep them in step.</summary>
public class AippRuntimeErrorTextTests
{
    private static string Solution(AtcErrorDescriptor d, params object[] args)
        => d.Create(null, null, args).Solution!;

    [Fact]
    public void Runtime_texts_are_the_catalog_texts()
    {
        object[] invalid = ["CropWidth", "5", "image", "too wide", "Shrink it."];
        var text = RuntimeErrors.AippParameterInvalid("CropWidth", "5", "image", "too wide", "Shrink it.");
        Assert.StartsWith(RuntimeErrors.AippParameterInvalidCode + ": " + AtcAippRuntimeErrorCatalog.ATC3200.FormatMessage(invalid), text);
        Assert.EndsWith(Solution(AtcAippRuntimeErrorCatalog.ATC3200, invalid), text);

        object[] large = ["RGB888_U8", 8, 6, "image", 144L, 100L];
        text = RuntimeErrors.AippImageTooLarge("RGB888_U8", 8, 6, "image", 144, 100);
        Assert.StartsWith(RuntimeErrors.AippImageTooLargeCode + ": " + AtcAippRuntimeErrorCatalog.ATC3201.FormatMessage(large), text);
        Assert.EndsWith(Solution(AtcAippRuntimeErrorCatalog.ATC3201, large), text);

        object[] unknown = ["x", "m", "input"];
        text = RuntimeErrors.AippInputUnknown("x", "m", "input");
        Assert.StartsWith(RuntimeErrors.AippInputUnknownCode + ": " + AtcAippRuntimeErrorCatalog.ATC3202.FormatMessage(unknown), text);
        Assert.EndsWith(Solution(AtcAippRuntimeErrorCatalog.ATC3202, unknown), text);

        foreach (var code in new[] { RuntimeErrors.AippParameterInvalidCode, RuntimeErrors.AippImageTooLargeCode, RuntimeErrors.AippInputUnknownCode })
            Assert.Equal(AtcErrorOrigin.Project, AtcErrorCatalog.Find(code)!.Origin);
    }
}
