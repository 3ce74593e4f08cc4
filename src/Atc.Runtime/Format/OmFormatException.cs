namespace Atc.Runtime.Format;

/// <summary>
/// The bytes are not a valid .om file of this runtime (truncated, corrupt, or written by another tool). Carries the
/// catalog code E19020 (Atc.Options.AtcErrors.InvalidOmFile) and what exactly is wrong.
/// </summary>
public sealed class OmFormatException(string detail)
    : Exception($"{ErrorCode}: invalid .om file: {detail}. Recompile the model with this version of atc.")
{
    /// <summary>The catalog code of an invalid .om file.</summary>
    public const string ErrorCode = "E19020";

    /// <summary><see cref="ErrorCode"/>, for handlers that read codes from exceptions.</summary>
    public string Code => ErrorCode;
    /// <summary>What exactly is wrong with the file.</summary>
    public string Detail { get; } = detail;
}
