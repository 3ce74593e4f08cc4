using Atc.Options;

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

    public static void Print(TextWriter output, AtcDiagnostic d)
    {
        output.WriteLine(d.Code + ": " + d.Message);
        if (d.Cause != null) output.WriteLine("Possible Cause: " + d.Cause);
        if (d.Solution != null) output.WriteLine("Solution: " + d.Solution);
        if (d.Fix != null) output.WriteLine("Fix: " + d.Fix);
    }
}
