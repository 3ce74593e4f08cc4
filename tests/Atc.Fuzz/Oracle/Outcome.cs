namespace Atc.Fuzz.Oracle;

public enum OutcomeKind
{
    /// <summary>The entry point succeeded.</summary>
    Passed,
    /// <summary>It threw one of the project's coded exceptions (a user-facing error with a catalog code).</summary>
    Coded,
    /// <summary>Any other exception, an ATC9999 internal error, excessive memory, or the process died.</summary>
    Crash,
    /// <summary>The case did not finish within its time budget.</summary>
    Hang,
}

/// <summary>What one case did. <see cref="Detail"/> is the code (Coded) or the crash signature (Crash, Hang).</summary>
public sealed record Outcome(OutcomeKind Kind, string Detail)
{
    public static Outcome Passed { get; } = new(OutcomeKind.Passed, "");

    public bool IsFinding => Kind is OutcomeKind.Crash or OutcomeKind.Hang;

    public override string ToString() => Kind + (Detail.Length > 0 ? " " + Detail : "");
}
