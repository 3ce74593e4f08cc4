using Atc.Cli.Manifest;
using Atc.Compiler.Driver;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Cli;

/// <summary>Runs the compiler for the root command and prints the outcome as ATC does.</summary>
internal static class CompileAction
{
    /// <param name="manifestPath">--manifest=PATH: the manifest to write from the result; null for none.</param>
    public static int Execute(AtcCommandOptions options, TextWriter stdout, TextWriter stderr, CompilerServices services,
        string? manifestPath = null)
    {
        var log = new CompilerLog(stderr, LogLevelOf(options.Log));
        try
        {
            var result = new ModelCompiler(services).Compile(options, log);
            // Coded warnings are part of the result (the build shows them too), not only of --log.
            foreach (var warning in result.Warnings) DiagnosticPrinter.PrintWarning(stdout, warning);
            if (manifestPath is not null && ManifestWriter.WriteFor(result, manifestPath, stdout) != 0) return 1;
            stdout.WriteLine(Summary(result));
            stdout.WriteLine(AtcErrors.RunSucceededBanner);
            return 0;
        }
        catch (AtcException e)
        {
            DiagnosticPrinter.PrintFailure(stdout, e.Diagnostics);
            return 1;
        }
        catch (OutOfMemoryException)
        {
            DiagnosticPrinter.PrintFailure(stdout, [AtcErrors.OutOfMemory("compiling the model")]);
            return 1;
        }
        catch (Exception e)
        {
            // A compiler bug: still a coded report, the stack trace only with --log=debug.
            DiagnosticPrinter.PrintFailure(stdout, [AtcErrors.InternalError(e.GetType().Name + ": " + e.Message.TrimEnd('.'))]);
            log.Debug(e.ToString());
            return 1;
        }
    }

    private static string Summary(CompileResult result) => result.SingleOpFiles is { } files ? SingleOpSummary(result.Mode, files) : result.Mode switch
    {
        AtcMode.Convert => "Generated [" + result.OmPath + "] for Atc's portable CPU runtime ("
            + Gears(result) + "; --soc_version=" + result.SocVersion + " recorded for compatibility, no NPU code is generated).",
        AtcMode.ToJson => "Wrote [" + result.JsonPath + "].",
        _ => "Pre-check passed for Atc's portable CPU runtime (" + Gears(result) + "); nothing written (--mode=3).",
    };

    private static string SingleOpSummary(AtcMode mode, IReadOnlyList<string> files) => mode == AtcMode.Convert
        ? "Generated " + files.Count + " single-op model(s) for Atc's portable CPU runtime: " + string.Join(", ", files.Select(f => "[" + f + "]")) + "."
        : "Pre-check passed for " + files.Count + " single op(s) (" + string.Join(", ", files) + "); nothing written (--mode=3).";

    private static string Gears(CompileResult result)
        => result.Gears is null ? "" : result.Gears.Kind + ", " + result.Gears.Gears.Count + (result.Gears.Gears.Count == 1 ? " gear" : " gears");

    private static AtcLogLevel LogLevelOf(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "debug" => AtcLogLevel.Debug,
        "info" => AtcLogLevel.Info,
        "warning" => AtcLogLevel.Warning,
        "error" => AtcLogLevel.Error,
        _ => AtcLogLevel.Null,
    };
}
