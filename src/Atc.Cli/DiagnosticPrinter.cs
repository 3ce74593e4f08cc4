using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Cli;

/// <summary>Prints a failed run as ATC does: the banner, then per problem its code line, cause and solution, plus this
/// compiler's concrete fix.</summary>
internal static class DiagnosticPrinter
{
    public static void PrintFailure(TextWriter output, IEnumerable<AtcDiagnostic> diagnostics)
    {
        output.WriteLine(AtcErrors.RunFailedBanner);
        foreach (var d in diagnostics) Print(output, d);
    }

    /// <summary>A warning of a successful run: "[WARNING] CODE: message" and its fix (the build reads the prefix).</summary>
    public static void PrintWarning(TextWriter output, AtcDiagnostic d)
    {
        output.WriteLine(WarningPrefix + d.Code + ": " + AtcErrors.Printable(d.Message));
        if (d.Fix != null) output.WriteLine("Fix: " + AtcErrors.Printable(d.Fix));
    }

    public const string WarningPrefix = "[WARNING] ";

    /// <remarks>Messages quote names from model files: control characters are printed escaped, one line per field.</remarks>
    public static void Print(TextWriter output, AtcDiagnostic d)
    {
        output.WriteLine(d.Code + ": " + AtcErrors.Printable(d.Message));
        if (d.Cause != null) output.WriteLine("Possible Cause: " + AtcErrors.Printable(d.Cause));
        if (d.Solution != null) output.WriteLine("Solution: " + AtcErrors.Printable(d.Solution));
        if (d.Fix != null) output.WriteLine("Fix: " + AtcErrors.Printable(d.Fix));
    }
}
