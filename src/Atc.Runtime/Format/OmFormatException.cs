namespace Atc.Runtime.Format;

/// <summary>
/// The bytes are not a valid .om file of this runtime (truncated, corrupt, or written by another tool). Carries the
/// catalog code ATC2000 (Atc.Options.Errors.AtcErrors.InvalidOmFile) and what exactly is wrong.
/// </summary>
public sealed class OmFormatException : Exception
{
    /// <summary>The catalog code of an invalid .om file.</summary>
    public const string ErrorCode = "ATC2000";

    /// <summary>A problem with the file as a whole.</summary>
    internal OmFormatException(string detail) : this(detail, null, null) { }

    private OmFormatException(string detail, string? nodeName, string? opType)
        : base($"{ErrorCode}: invalid .om file: {detail}. Recompile the model with this version of atc.")
    {
        Detail = detail;
        NodeName = nodeName;
        OpType = opType;
    }

    /// <summary>A problem with one node of the file: the detail is prefixed with the node, which the fields also carry.</summary>
    internal static OmFormatException AtNode(string nodeName, string opType, string detail)
        => new($"node '{nodeName}' ({opType}): {detail}", nodeName, opType);

    /// <summary><see cref="ErrorCode"/>, for handlers that read codes from exceptions.</summary>
    public string Code => ErrorCode;
    /// <summary>What exactly is wrong with the file.</summary>
    public string Detail { get; }
    /// <summary>The node the problem is at, when it is at one (set by <see cref="AtNode"/>).</summary>
    public string? NodeName { get; }
    /// <summary>The op type of <see cref="NodeName"/>, when the problem is at a node.</summary>
    public string? OpType { get; }
}
